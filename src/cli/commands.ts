import {existsSync} from 'node:fs';
import {basename, dirname, isAbsolute, relative} from 'node:path';
import {parseArgs} from 'node:util';
import {IMPORT_OPTIONS} from './args.js';
import {shownPath} from '../report/format.js';

/** How this process was started, to print commands the person can paste back. */
export interface Invocation {
  /** `seam-import`, or `node dist/cli.js` when run through node. */
  program: string;
  /** The arguments after the program, as typed. */
  args: readonly string[];
}

/** `process.argv[1]` → what to type: the bin name when run through it, else `node <path>`. */
export function programName(script: string | undefined, cwd: string): string {
  if (script === undefined) return 'seam-import';
  const name = basename(script);
  // A package's own bin (npm install in a project, npx): not on PATH once npx has returned.
  if ((name === 'seam-import' || name === 'seam-import.js') && /[\\/]node_modules[\\/]\.bin$/.test(dirname(script))) return 'npx seam-import';
  if (name === 'seam-import' || name === 'seam-import.js') return 'seam-import';
  const rel = relative(cwd, script);
  return `node ${shellQuote(rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : script)}`;
}

/**
 * Quotes one word for a POSIX shell when it needs it. A control character (a line break or an
 * escape in a file's name) is written as bash's $'\x0a': the command stays one line to paste,
 * and the terminal does not act on it.
 */
export function shellQuote(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  // Backslashes and quotes escaped first; then the control characters as shownPath writes them.
  const escaped = word.replace(/[\\']/g, (c) => `\\${c}`);
  const shown = shownPath(escaped);
  if (shown !== escaped) return `$'${shown}'`;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** A secret flag's value is replaced by a reference to its environment variable, never printed. */
const SECRET_VALUE: Readonly<Record<string, string>> = {
  'api-key': '"$SEAM_API_KEY"',
  'personal-access-token': '"$SEAM_PERSONAL_ACCESS_TOKEN"',
};


interface Rewrite {
  /** Long option names left out. */
  drop?: readonly string[];
  /** Replaces the input file. */
  input?: string;
  /** Replaces (or adds) `--out`. */
  out?: string;
  /** Added at the end. */
  add?: readonly string[];
}

/**
 * The command line again, rewritten, with secrets replaced by `"$SEAM_API_KEY"` (so it can be
 * pasted as is when the variable is set) and every word quoted for the shell.
 */
export function rewriteCommand(invocation: Invocation, rewrite: Rewrite): string {
  const drop = new Set(rewrite.drop ?? []);
  const words: string[] = [];
  let outDone = false;
  let tokens;
  try {
    ({tokens} = parseArgs({args: [...invocation.args], options: IMPORT_OPTIONS, strict: false, allowPositionals: true, tokens: true}));
  } catch {
    tokens = undefined;
  }
  if (tokens === undefined) return [invocation.program, ...invocation.args.map(shellQuote)].join(' ');

  for (const token of tokens) {
    if (token.kind === 'option-terminator') {
      words.push('--');
      continue;
    }
    if (token.kind === 'positional') {
      words.push(shellQuote(rewrite.input ?? token.value));
      continue;
    }
    if (drop.has(token.name)) continue;
    const secret = SECRET_VALUE[token.name];
    if (secret !== undefined) {
      words.push(`--${token.name}`, secret);
      continue;
    }
    if (token.name === 'out' && rewrite.out !== undefined) {
      if (!outDone) words.push('-o', shellQuote(rewrite.out));
      outDone = true;
      continue;
    }
    if (token.value === undefined) {
      words.push(token.rawName.startsWith('--') ? token.rawName : `--${token.name}`);
    } else {
      words.push(`--${token.name}`, shellQuote(token.value));
    }
  }
  if (rewrite.out !== undefined && !outDone) words.splice(terminator(words), 0, '-o', shellQuote(rewrite.out));
  // Before a `--` (after it, a flag is read as a second file).
  words.splice(terminator(words), 0, ...(rewrite.add ?? []));
  return [invocation.program, ...words].join(' ');
}

/** Where options may still go: before `--`, or at the end. */
function terminator(words: readonly string[]): number {
  const at = words.indexOf('--');
  return at < 0 ? words.length : at;
}

/** The same command plus `--resume` (and without `--restart`). */
export function resumeCommand(invocation: Invocation): string {
  return rewriteCommand(invocation, {drop: ['resume', 'restart', 'dry-run'], add: ['--resume']});
}

/** The same command with --restart: the file changed while it was being imported, so its record cannot be resumed. */
export function restartCommand(invocation: Invocation): string {
  return rewriteCommand(invocation, {drop: ['resume', 'restart', 'dry-run'], add: ['--restart']});
}

/** The same command again (a dry run stopped by Seam refusing the credentials). */
export function againCommand(invocation: Invocation): string {
  return rewriteCommand(invocation, {drop: ['resume', 'restart']});
}

/**
 * The same command without `--dry-run`: the import for real. `scripted`: the dry run had no
 * terminal to answer on (CI, a script): without --yes the pasted command stops at its question.
 */
export function forRealCommand(invocation: Invocation, {scripted = false}: {scripted?: boolean} = {}): string {
  const yes = invocation.args.some((arg) => arg === '--yes' || arg === '-y');
  return rewriteCommand(invocation, {drop: ['dry-run', 'resume', 'restart'], add: scripted && !yes ? ['--yes'] : []});
}

/**
 * Retrying failed rows = feeding the results file back in: rows already created or existing keep
 * their status and id and are not sent again. The new results go to a fresh file beside it.
 */
export function retryCommand(invocation: Invocation, resultsPath: string, cwd: string): string {
  // --demo meant --sandbox; the retry keeps the sandbox and drops the demo's faults and fresh path.
  const demoOnly = invocation.args.includes('--demo') && !invocation.args.includes('--sandbox');
  // An input typed as an absolute path (a CI step) keeps its results absolute: the next step may run elsewhere.
  const shown = (path: string): string => (typedAbsolute(invocation) ? path : displayPath(path, cwd));
  return rewriteCommand(invocation, {
    // The results file is a CSV: a workbook's --sheet no longer applies.
    drop: ['resume', 'restart', 'dry-run', 'demo', 'sheet'],
    input: shown(resultsPath),
    out: shown(retryOutPath(resultsPath)),
    add: demoOnly ? ['--sandbox'] : [],
  });
}

/** `x.results.csv` → `x.retry.csv`, then `x.retry-2.csv`, … whichever does not exist yet. */
export function retryOutPath(resultsPath: string, exists: (path: string) => boolean = existsSync): string {
  const stem = resultsPath.replace(/\.csv$/i, '').replace(/\.results$/, '').replace(/\.retry(-\d+)?$/, '');
  for (let n = 1; ; n++) {
    const candidate = `${stem}.retry${n === 1 ? '' : `-${n}`}.csv`;
    if (candidate !== resultsPath && !exists(candidate) && !exists(`${candidate}.journal.jsonl`)) return candidate;
  }
}

/** Whether the input file was typed as an absolute path. */
function typedAbsolute(invocation: Invocation): boolean {
  try {
    const {positionals} = parseArgs({args: [...invocation.args], options: IMPORT_OPTIONS, strict: false, allowPositionals: true});
    return positionals[0] !== undefined && isAbsolute(positionals[0]);
  } catch {
    return false;
  }
}

/** A path as the person would type it: relative to where they are when it is below it. */
export function displayPath(path: string, cwd: string): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
