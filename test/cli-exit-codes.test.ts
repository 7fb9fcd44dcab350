// Every exit code in PRODUCT.md, produced by the built CLI (`npm run build` first; `npm test`
// does) against the sandbox on port 0, as a pipe sees it: plain lines, no TTY.
import {spawn, type ChildProcess} from 'node:child_process';
import {closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parse} from 'csv-parse/sync';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startSandbox, type Sandbox} from '../src/sandbox/index.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const BUILDING = fileURLToPath(new URL('../examples/building.csv', import.meta.url));
const ESC = /\u001B/;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a person with nothing set: no SEAM_*, no CI, no colour. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {...process.env};
  for (const key of Object.keys(env)) if (key.startsWith('SEAM_') || key === 'CI' || key === 'DEBUG') delete env[key];
  return {...env, ...extra};
}

function start(args: string[], options: {cwd: string; env?: Record<string, string>}): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], {cwd: options.cwd, env: cleanEnv(options.env), stdio: ['ignore', 'pipe', 'pipe']});
}

function finish(child: ChildProcess, seen: {stdout: string; stderr: string} = {stdout: '', stderr: ''}): Promise<Run> {
  child.stdout?.on('data', (d: Buffer) => (seen.stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (seen.stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({code, stdout: seen.stdout, stderr: seen.stderr}));
  });
}

function cli(args: string[], options: {cwd: string; env?: Record<string, string>}): Promise<Run> {
  return finish(start(args, options));
}

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'seam-import-cli-'));
  dirs.push(dir);
  return dir;
}

// Phone numbers are unique per workspace, and the tests share one sandbox: each file gets its own.
let nextPhone = 2_000_000;

/** `n` people with a key, an email and a valid US phone each. */
function writePeople(path: string, n: number, prefix: string): string {
  const lines = ['Employee ID,Name,Email,Phone'];
  for (let i = 1; i <= n; i++) lines.push(`${prefix}-${i},Person ${i},${prefix}${i}@example.com,+1617${String(nextPhone++)}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

type Row = Record<string, string>;
function readResults(path: string): Row[] {
  return parse(readFileSync(path), {bom: true, columns: true, skip_empty_lines: true}) as Row[];
}

let sandbox: Sandbox;
let env: Record<string, string>;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does).`);
  sandbox = await startSandbox({port: 0});
  env = {SEAM_API_KEY: sandbox.apiKey};
});

afterAll(async () => {
  await sandbox?.close();
  for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
});

describe('exit codes of the built CLI', () => {
  it('0: every row created; piped output has no escape codes; --json is one object on stdout', async () => {
    const dir = tempDir();
    const input = writePeople(join(dir, 'staff.csv'), 12, 'zero');
    const r = await cli([input, '--endpoint', sandbox.url, '--yes', '--json'], {cwd: dir, env});
    expect(r.stderr).not.toMatch(ESC);
    expect(r.stdout).not.toMatch(ESC);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {exitCode: number; counts: Record<string, number>; outPath: string};
    expect(report).toMatchObject({exitCode: 0, counts: {created: 12}});
    expect(readResults(join(dir, 'staff.results.csv')).map((row) => row['import_status'])).toEqual(Array(12).fill('created'));
    expect(r.stderr).toContain('Every row is in Seam.');
    expect(r.stderr).not.toContain(sandbox.apiKey);
  });

  it('1: finished, some rows need attention (the sample building: invalid and duplicate rows)', async () => {
    const dir = tempDir();
    copyFileSync(BUILDING, join(dir, 'building.csv'));
    const r = await cli(['building.csv', '--endpoint', sandbox.url, '-y'], {cwd: dir, env});
    expect(r.code).toBe(1);
    const results = readResults(join(dir, 'building.results.csv'));
    expect(results).toHaveLength(200);
    const count = (status: string): number => results.filter((row) => row['import_status'] === status).length;
    expect([count('invalid'), count('duplicate')]).toEqual([6, 4]);
    expect(r.stderr).toContain('import the results file; rows already created or existing are not sent again:');
  });

  it.each<[string, string[], Record<string, string> | undefined, RegExp]>([
    ['a usage error names the flag', ['-c', '0'], undefined, /--concurrency must be a whole number from 1 to 100/],
    ['no credentials', [], {}, /No Seam credentials: set SEAM_API_KEY/],
    ['nobody can answer the prompt', ['--no-tui'], undefined, /Pass --yes to import without asking/],
    ['plain http to another host', ['--endpoint', 'http://seam.example.com'], undefined, /plain http:\/\//],
  ])('2: %s', async (_name, args, extraEnv, message) => {
    const dir = tempDir();
    const input = writePeople(join(dir, 'p.csv'), 2, 'two');
    const r = await cli([input, ...args], {cwd: dir, env: extraEnv ?? env});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('seam-import');
    expect(r.stdout).toBe('');
  });

  it('2: an input that does not exist', async () => {
    const dir = tempDir();
    const r = await cli(['missing.csv', '--endpoint', sandbox.url, '-y'], {cwd: dir, env});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing.csv');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.each(['-', '/dev/stdin'])('2: the spreadsheet piped in as %s is refused with what to do (was "File not found: -" and "ESPIPE")', async (input) => {
    const dir = tempDir();
    const child = spawn(process.execPath, [CLI, input, '--endpoint', sandbox.url, '-y'], {cwd: dir, env: cleanEnv(env), stdio: ['pipe', 'pipe', 'pipe']});
    // The pipe may be closed unread: that is the point.
    child.stdin?.on('error', () => {});
    child.stdin?.end(readFileSync(BUILDING));
    const r = await finish(child);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^seam-import: Reading from standard input \(.+\) is not supported: .*Save it to a file first/);
    expect(r.stderr).not.toMatch(/File not found|ESPIPE/);
    expect(r.stdout).toBe('');
  });

  it('2: -o that would replace the input (by its path, or the same file through a symlink) or a file that is not a results file; nothing is sent', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'w'));
    const input = join(dir, 'w', 'b.csv');
    writePeople(input, 2, 'OVR');
    const before = readFileSync(input, 'utf8');
    symlinkSync(join(dir, 'w'), join(dir, 'wl'));
    const requests = sandbox.stats().requests;
    for (const [file, out] of [['w/b.csv', 'w/b.csv'], ['wl/b.csv', 'w/b.csv'], ['w/b.csv', 'wl/b.csv']]) {
      const r = await cli([file!, '--endpoint', sandbox.url, '-y', '-o', out!], {cwd: dir, env});
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('The results file would overwrite the input');
    }
    writeFileSync(join(dir, 'notes.txt'), 'my notes\n');
    const notes = await cli(['w/b.csv', '--endpoint', sandbox.url, '-y', '-o', 'notes.txt'], {cwd: dir, env});
    expect(notes.code).toBe(2);
    expect(notes.stderr).toContain('notes.txt already exists and is not a results file of seam-import: the results would replace it.');
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('my notes\n');
    expect(readFileSync(input, 'utf8')).toBe(before);
    expect(sandbox.stats().requests).toBe(requests);
    // A results file (an earlier dry run's) is replaced as usual.
    expect((await cli(['w/b.csv', '--endpoint', sandbox.url, '--dry-run', '-o', 'dry.csv'], {cwd: dir, env})).code).toBe(0);
    expect((await cli(['w/b.csv', '--endpoint', sandbox.url, '--dry-run', '-o', 'dry.csv'], {cwd: dir, env})).code).toBe(0);
    // Its own results file with a header cell wrapped in Excel ("Full⏎Name") is one too.
    writeFileSync(join(dir, 'wrapped.csv'), '"Full\nName","E-mail\nAddress"\nAnn Lee,ann@example.com\n');
    expect((await cli(['wrapped.csv', '--endpoint', sandbox.url, '--dry-run'], {cwd: dir, env})).code).toBe(0);
    const again = await cli(['wrapped.csv', '--endpoint', sandbox.url, '--dry-run'], {cwd: dir, env});
    expect(again.stderr).not.toContain('not a results file');
    expect(again.code).toBe(0);
  });

  it('3: Seam refuses the key; the key is never printed', async () => {
    const dir = tempDir();
    const input = writePeople(join(dir, 'p.csv'), 3, 'three');
    const wrong = 'seam_wrong_key_Xy7Qz0';
    const r = await cli([input, '--endpoint', sandbox.url, '-y', '--api-key', wrong], {cwd: dir, env: {}});
    expect(r.code).toBe(3);
    expect(r.stderr + r.stdout).not.toContain(wrong);
    // A dry run: the way on is the dry run again, never an import with --resume.
    const dry = await cli([input, '--endpoint', sandbox.url, '--dry-run', '--api-key', wrong, '-o', 'dry.csv'], {cwd: dir, env: {}});
    expect(dry.code).toBe(3);
    expect(dry.stderr).toMatch(/run the dry run again:\n {2}.+ --endpoint \S+ --dry-run --api-key "\$SEAM_API_KEY" --out dry\.csv\n/);
    expect(dry.stderr).not.toContain('--resume');
    expect(dry.stderr + dry.stdout).not.toContain(wrong);
  });

  it('130: Ctrl-C mid-run writes every row (unsent ones skipped); the printed resume command finishes the job', async () => {
    const dir = tempDir();
    const rows = 120;
    const input = writePeople(join(dir, 'people.csv'), rows, 'ctrlc');
    sandbox.setFaults({latencyMs: 60, jitterMs: 0});
    try {
      const child = start(['people.csv', '--endpoint', sandbox.url, '-y', '-c', '2'], {cwd: dir, env});
      const seen = {stdout: '', stderr: ''};
      const done = finish(child, seen);
      // The first progress line is printed when the first row is back.
      await new Promise<void>((resolve) => {
        child.stderr?.on('data', () => {
          if (/Importing: [1-9]/.test(seen.stderr)) resolve();
        });
      });
      child.kill('SIGINT');
      const r = await done;
      expect(r.code).toBe(130);

      const results = readResults(join(dir, 'people.results.csv'));
      expect(results.map((row) => Number(row['import_row']))).toEqual(Array.from({length: rows}, (_, i) => i + 1));
      const statuses = new Set(results.map((row) => row['import_status']));
      expect([...statuses].every((s) => s === 'created' || s === 'skipped')).toBe(true);
      expect(results.some((row) => row['import_status'] === 'skipped')).toBe(true);

      // Without --resume or --restart, the earlier run's record stops a new one.
      const again = await cli(['people.csv', '--endpoint', sandbox.url, '-y', '-c', '2'], {cwd: dir, env});
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/--resume/);

      const resume = /Continue where it stopped with:\n {2}(.+)\n/.exec(r.stderr)?.[1];
      expect(resume).toBe(`node ${CLI} people.csv --endpoint ${sandbox.url} --yes --concurrency 2 --resume`);
      sandbox.setFaults({latencyMs: 0});
      const resumed = await finish(spawn('sh', ['-c', resume ?? 'false'], {cwd: dir, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe']}));
      expect(resumed.code).toBe(0);
      const final = readResults(join(dir, 'people.results.csv'));
      expect(final.every((row) => row['import_status'] === 'created')).toBe(true);
      const ids = new Set(final.map((row) => row['user_identity_id']));
      expect(ids.size).toBe(rows);
      const held = sandbox.identities().filter((identity) => identity.user_identity_key?.startsWith('ctrlc-'));
      expect(held).toHaveLength(rows);
    } finally {
      sandbox.setFaults({latencyMs: 0});
    }
  });

  it('--sandbox imports the sample building with no account and no network', async () => {
    const dir = tempDir();
    const r = await cli([BUILDING, '--sandbox', '-y', '-o', join(dir, 'out.csv')], {cwd: dir});
    expect(r.code).toBe(1);
    expect(readResults(join(dir, 'out.csv'))).toHaveLength(200);
    expect(r.stderr).toMatch(/created +190/);
  });

  it('a reader that goes away (2>&1 | head -1) does not stop the import: every row is written, with the run\'s own exit code', async () => {
    const dir = tempDir();
    const input = writePeople(join(dir, 'piped.csv'), 40, 'pipe');
    const child = start([input, '--endpoint', sandbox.url, '--yes', '-c', '2'], {cwd: dir, env});
    // Like `head -1`: read the first chunk, then close the pipe; every later write gets EPIPE.
    child.stderr!.once('data', () => child.stderr!.destroy());
    child.stdout!.resume();
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    expect(code).toBe(0);
    expect(readResults(join(dir, 'piped.results.csv')).map((row) => row['import_status'])).toEqual(Array(40).fill('created'));
  });

  it('stderr on a full disk (2>/dev/full) does not stop the import: every row is written, the JSON printed, the run\'s own exit code', async () => {
    const dir = tempDir();
    const input = writePeople(join(dir, 'full.csv'), 20, 'full');
    const full = openSync('/dev/full', 'w');
    try {
      const child = spawn(process.execPath, [CLI, input, '--endpoint', sandbox.url, '--yes', '--json', '-c', '2'], {cwd: dir, env: cleanEnv(env), stdio: ['ignore', 'pipe', full]});
      const r = await finish(child);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ok: true, exitCode: 0});
      expect(readResults(join(dir, 'full.results.csv')).map((row) => row['import_status'])).toEqual(Array(20).fill('created'));
    } finally {
      closeSync(full);
    }
  });

  it('stdout on a full disk (--json > /dev/full): the import finishes, and stderr says the JSON object was lost', async () => {
    const dir = tempDir();
    const input = writePeople(join(dir, 'full-out.csv'), 20, 'fullout');
    const full = openSync('/dev/full', 'w');
    try {
      const child = spawn(process.execPath, [CLI, input, '--endpoint', sandbox.url, '--yes', '--json', '-c', '2'], {cwd: dir, env: cleanEnv(env), stdio: ['ignore', full, 'pipe']});
      const r = await finish(child);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('The --json object could not be written to stdout (ENOSPC: no space left on the disk). The run itself ended with exit code 0');
      expect(readResults(join(dir, 'full-out.results.csv')).map((row) => row['import_status'])).toEqual(Array(20).fill('created'));
    } finally {
      closeSync(full);
    }
  });

  it('--help and --version', async () => {
    const dir = tempDir();
    const help = await cli(['--help'], {cwd: dir});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes');
    const version = await cli(['--version'], {cwd: dir});
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string}).version);
  });
});
