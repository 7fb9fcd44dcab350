// The built CLI on a real terminal: a pty from `script` (util-linux, or BSD's on macOS), so that
// the Ink UI draws as it does for an operator (`npm run build` first; `npm test` does).
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {wantsNoColor} from '../src/cli/tty.js';
import {CLI} from './helpers/cli.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
});

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does).`);
});

const quote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

/** Run the built CLI in a pty of 100×40 (or `rows` high), outside CI, with `extra` in its environment; all it drew. */
function inTerminal(args: string[], extra: Record<string, string>, rows = 40): Promise<{code: number | null; screen: string}> {
  const env: NodeJS.ProcessEnv = {...process.env};
  for (const key of Object.keys(env)) {
    if (key.startsWith('SEAM_') || ['CI', 'CONTINUOUS_INTEGRATION', 'DEBUG', 'NO_COLOR', 'FORCE_COLOR'].includes(key)) delete env[key];
  }
  Object.assign(env, {TERM: 'xterm-256color'}, extra);
  // `script` opens the pty with the size of a terminal it does not have: set one, or Ink wraps at 1 column.
  const command = `stty cols 100 rows ${rows} 2>/dev/null; exec ${[process.execPath, CLI, ...args].map(quote).join(' ')}`;
  const argv = process.platform === 'darwin' ? ['-q', '/dev/null', 'sh', '-c', command] : ['-qfec', command, '/dev/null'];
  return new Promise((resolve, reject) => {
    const child = spawn('script', argv, {env, stdio: ['ignore', 'pipe', 'pipe']});
    let screen = '';
    child.stdout.on('data', (d: Buffer) => (screen += d.toString()));
    child.stderr.on('data', (d: Buffer) => (screen += d.toString()));
    child.on('error', (error) => reject(new Error(`This test needs \`script\` for a pty: ${error.message}`)));
    child.on('close', (code) => resolve({code, screen}));
  });
}

/** The colours among the SGR codes drawn (30–49, 90–107); bold and dim are not colours. */
function colourCodes(screen: string): string[] {
  const codes: string[] = [];
  for (const [, params] of screen.matchAll(/\u001B\[([\d;]*)m/g)) {
    for (const p of (params ?? '').split(';')) {
      const n = Number(p);
      if ((n >= 30 && n <= 49) || (n >= 90 && n <= 107)) codes.push(p);
    }
  }
  return codes;
}

function people(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'seam-import-tty-'));
  dirs.push(dir);
  const input = join(dir, 'people.csv');
  writeFileSync(input, 'Employee ID,Name,Email\nT-1,Ada,ada@example.com\nT-2,Grace,grace@example.com\nT-3,Alan,not-an-email\n');
  // One invalid row: the end screen then has a coloured status (and "failed"/"invalid" counts).
  return [input, '--sandbox', '--yes', '-o', join(dir, 'out.csv')];
}

describe('a window shorter than what is drawn', () => {
  // Ink clears the screen and the terminal's scrollback (ESC[3J) when its live area is as tall
  // as the window: the file's description while looking up, or the end summary, did that in a
  // 10-row window, and the summary lost its last line ending (the shell prompt joined it).
  it('10 rows: the user\'s scrollback is never cleared, the summary is drawn once and ends its line', async () => {
    const r = await inTerminal(people(), {}, 10);
    expect(r.code).toBe(1);
    expect(r.screen).not.toContain('\u001B[3J');
    expect(r.screen).not.toContain('\u001B[2J');
    expect(r.screen.match(/Finished in/g)).toHaveLength(1);
    expect(r.screen.match(/Plan for 3 rows/g)).toHaveLength(1);
    const text = r.screen.replace(/\u001B\[[\d;?]*[A-Za-z]/g, '');
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/\S/);
    expect(text).toMatch(/\r?\n\s*$/);
  });
});

describe('NO_COLOR in the terminal UI', () => {
  it('without it, the UI draws in colour (so that the test below can see colour go)', async () => {
    const r = await inTerminal(people(), {});
    expect(r.screen).toContain('Finished in');
    expect(colourCodes(r.screen).length).toBeGreaterThan(0);
  });

  // Ink still drew colour codes with NO_COLOR=1: its chalk never reads NO_COLOR.
  it.each(['1', 'true', 'anything'])('NO_COLOR=%s: no colour codes at all', async (value) => {
    const r = await inTerminal(people(), {NO_COLOR: value});
    expect(r.screen).toContain('Finished in');
    expect(r.screen).toContain('Plan for 3 rows');
    expect(colourCodes(r.screen)).toEqual([]);
  });

  it.each<[string, Record<string, string | undefined>, boolean]>([
    ['NO_COLOR=1', {NO_COLOR: '1'}, true],
    ['NO_COLOR=0 (any value but "")', {NO_COLOR: '0'}, true],
    ['NO_COLOR empty is unset', {NO_COLOR: ''}, false],
    ['unset', {}, false],
    ['FORCE_COLOR set too wins, as in Node', {NO_COLOR: '1', FORCE_COLOR: '1'}, false],
  ])('wantsNoColor: %s → %s', (_name, env, expected) => {
    expect(wantsNoColor(env)).toBe(expected);
  });
});

describe('the plain prompt on a terminal (--no-tui)', () => {
  // "yes" and Enter typed while the file was still being checked answered the question before it
  // was shown: a 60,000-row import started without anyone seeing its plan. The Ink UI drops them.
  it('throws away keys typed before the question, and waits for an answer to it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seam-import-tty-'));
    dirs.push(dir);
    const input = join(dir, 'people.csv');
    writeFileSync(input, 'Employee ID,Name,Email\nT-1,Ada,ada@example.com\nT-2,Grace,grace@example.com\n');
    const env: NodeJS.ProcessEnv = {...process.env, TERM: 'xterm-256color'};
    for (const key of Object.keys(env)) if (key.startsWith('SEAM_') || ['CI', 'CONTINUOUS_INTEGRATION'].includes(key)) delete env[key];
    const command = `stty cols 100 rows 40 2>/dev/null; exec ${[process.execPath, CLI, input, '--sandbox', '--no-tui', '-o', join(dir, 'out.csv')].map(quote).join(' ')}`;
    const argv = process.platform === 'darwin' ? ['-q', '/dev/null', 'sh', '-c', command] : ['-qfec', command, '/dev/null'];
    const child = spawn('script', argv, {env, stdio: ['pipe', 'pipe', 'pipe']});
    // Typed at once, long before the plan is drawn.
    child.stdin.write('yes\r');
    let screen = '';
    let answered = false;
    const onData = (d: Buffer): void => {
      screen += d.toString();
      // The question shown: now the answer to it.
      if (!answered && /\[y\/N\] \S*$/.test(screen.replace(/\u001B\[[\d;?]*[A-Za-z]/g, '').trimEnd() + ' ')) {
        answered = true;
        child.stdin.write('n\r');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.end();
    expect(answered).toBe(true);
    expect(screen).toContain('Nothing was sent to Seam.');
    expect(screen).not.toContain('Finished in');
    expect(code).not.toBeNull();
  });
});
