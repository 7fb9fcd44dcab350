import {describe, expect, it} from 'vitest';
import {forRealCommand, programName, resumeCommand, retryCommand, retryOutPath, shellQuote} from '../src/cli/commands.js';
import {shownPath} from '../src/report/format.js';
import {makeRedact} from '../src/cli/redact.js';

const KEY = 'seam_live_Zq8sEcReT0nly';

describe('the commands printed for the next step', () => {
  it.each<[string, string[], string]>([
    ['adds --resume', ['people.csv', '-o', 'out.csv'], 'seam-import people.csv --out out.csv --resume'],
    ['drops --restart', ['people.csv', '--restart', '-y'], 'seam-import people.csv --yes --resume'],
    ['keeps it once', ['people.csv', '--resume'], 'seam-import people.csv --resume'],
    ['replaces --api-key by its variable', ['people.csv', '--api-key', KEY, '-c', '20'], 'seam-import people.csv --api-key "$SEAM_API_KEY" --concurrency 20 --resume'],
    ['replaces --api-key= by its variable', ['people.csv', `--api-key=${KEY}`], 'seam-import people.csv --api-key "$SEAM_API_KEY" --resume'],
    ['replaces the token by its variable', ['people.csv', '--personal-access-token', KEY, '--workspace-id', 'ws_1'], 'seam-import people.csv --personal-access-token "$SEAM_PERSONAL_ACCESS_TOKEN" --workspace-id ws_1 --resume'],
    ['quotes what the shell would split', ['my people.csv', '--map', 'email_address=Work Email'], `seam-import 'my people.csv' --map 'email_address=Work Email' --resume`],
    ['keeps repeated flags', ['p.csv', '--acs-system-id', 'a', '--acs-system-id', 'b'], 'seam-import p.csv --acs-system-id a --acs-system-id b --resume'],
    ['keeps combined short flags apart', ['p.csv', '-yo', 'r.csv'], 'seam-import p.csv --yes --out r.csv --resume'],
  ])('resume: %s', (_name, args, expected) => {
    const command = resumeCommand({program: 'seam-import', args});
    expect(command).toBe(expected);
    expect(command).not.toContain(KEY);
  });

  it('retry feeds the results file back in, into a fresh results file', () => {
    const command = retryCommand(
      {program: 'node dist/cli.js', args: ['/data/people.csv', '--api-key', KEY, '-o', '/data/people.results.csv', '--resume', '-c', '5']},
      '/data/people.results.csv',
      '/data',
    );
    // Typed as an absolute path (a CI step), kept absolute: the next step may run in another folder.
    expect(command).toBe('node dist/cli.js /data/people.results.csv --api-key "$SEAM_API_KEY" -o /data/people.retry.csv --concurrency 5');
    // Typed relative, shown relative to where the person is.
    expect(retryCommand({program: 'seam-import', args: ['people.csv', '-o', 'people.results.csv']}, '/data/people.results.csv', '/data')).toBe(
      'seam-import people.results.csv -o people.retry.csv',
    );
  });

  // After `--`, an added flag reads as a second file: "Only one <file> can be imported at a time; got 2".
  it('flags added to a command go before a `--`', () => {
    expect(forRealCommand({program: 'seam-import', args: ['--dry-run', '--', 'p.csv']}, {scripted: true})).toBe('seam-import --yes -- p.csv');
    expect(resumeCommand({program: 'seam-import', args: ['-y', '--', '-odd.csv']})).toBe('seam-import --yes --resume -- -odd.csv');
  });

  // A dry run in CI printed a for-real command without --yes, which stopped at its question when pasted.
  it('for real, after a dry run with no terminal to answer on, carries --yes', () => {
    expect(forRealCommand({program: 'seam-import', args: ['p.csv', '--dry-run', '--json']}, {scripted: true})).toBe('seam-import p.csv --json --yes');
    expect(forRealCommand({program: 'seam-import', args: ['p.csv', '--dry-run', '-y']}, {scripted: true})).toBe('seam-import p.csv --yes');
  });

  it('retry of a workbook drops --sheet: the results file is a CSV', () => {
    expect(retryCommand({program: 'seam-import', args: ['people.xlsx', '--sheet', 'Residents', '-o', 'r.csv']}, '/w/r.csv', '/w')).toBe(
      'seam-import r.csv -o r.retry.csv',
    );
  });

  it('retry adds -o when the first run used the default', () => {
    expect(retryCommand({program: 'seam-import', args: ['people.csv', '--sandbox', '--demo']}, '/tmp/x/people.results.csv', '/home/me')).toBe(
      'seam-import /tmp/x/people.results.csv --sandbox -o /tmp/x/people.retry.csv',
    );
  });

  it('a --demo retry keeps the sandbox', () => {
    expect(retryCommand({program: 'seam-import', args: ['b.csv', '--demo']}, '/tmp/d/b.results.csv', '/x')).toBe(
      'seam-import /tmp/d/b.results.csv -o /tmp/d/b.retry.csv --sandbox',
    );
  });

  it('a retry of a retry does not overwrite the first', () => {
    const taken = new Set(['a.retry.csv', 'a.retry-2.csv']);
    expect(retryOutPath('a.results.csv', (p) => taken.has(p))).toBe('a.retry-3.csv');
    expect(retryOutPath('a.retry.csv', (p) => taken.has(p))).toBe('a.retry-3.csv');
  });

  it('for real drops --dry-run', () => {
    expect(forRealCommand({program: 'seam-import', args: ['p.csv', '--dry-run', '--json']})).toBe('seam-import p.csv --json');
  });

  it.each([
    ['/usr/local/bin/seam-import', '/home/me', 'seam-import'],
    // A project's own install, run through npx: not on PATH afterwards.
    ['/work/proj/node_modules/.bin/seam-import', '/work/proj', 'npx seam-import'],
    ['/repo/dist/cli.js', '/repo', 'node dist/cli.js'],
    ['/repo/dist/cli.js', '/elsewhere', 'node /repo/dist/cli.js'],
    [undefined, '/repo', 'seam-import'],
  ])('programName(%s, %s) = %s', (script, cwd, expected) => {
    expect(programName(script, cwd)).toBe(expected);
  });

  it.each([
    ['plain.csv', 'plain.csv'],
    ['with space.csv', "'with space.csv'"],
    ["it's.csv", `'it'\\''s.csv'`],
    ['$HOME', "'$HOME'"],
    // A name with an escape sequence and a line break: one line to paste, nothing the terminal acts on.
    ["res\u001b[31mRED\u001b[0m\nidents's.csv", "$'res\\x1b[31mRED\\x1b[0m\\x0aidents\\'s.csv'"],
  ])('shellQuote(%j)', (word, expected) => {
    expect(shellQuote(word)).toBe(expected);
    expect(expected).not.toMatch(/[\u0000-\u001f]/);
  });

  it('a path with control characters is shown with them escaped', () => {
    expect(shownPath('res\u001b[31mRED\u001b[0m\nidents.csv')).toBe('res\\x1b[31mRED\\x1b[0m\\x0aidents.csv');
  });
});

describe('redaction', () => {
  it('replaces every secret, the longest first', () => {
    const redact = makeRedact([KEY, `${KEY}_more`, '']);
    expect(redact(`bad key ${KEY}_more and ${KEY}.`)).toBe('bad key *** and ***.');
  });
  it('replaces a short key only where it stands alone ("Export" survives --api-key x)', () => {
    const redact = makeRedact(['x']);
    expect(redact('Export failed for key x: x refused')).toBe('Export failed for key ***: *** refused');
  });
  it('leaves text alone with no secrets', () => {
    expect(makeRedact([])('nothing to hide')).toBe('nothing to hide');
  });
  // A key file passed as the input was quoted whole: "the first, \"seam_live_Zq9x…\", reads as a title".
  it('masks a Seam key or token it was not given (read from a file, a cell), with or without secrets; a file name that starts with seam_ stays', () => {
    for (const redact of [makeRedact([]), makeRedact(['seam_other_key_0123456789'])]) {
      expect(redact('the first, "seam_live_Zq9xK2mP4vR7tY1wB3nD5fH8", reads as a title')).toBe('the first, "***", reads as a title');
      expect(redact('export SEAM_API_KEY=seam_test2bMS_94SrGUXuNR2JmJkjtvBQDg5c')).toBe('export SEAM_API_KEY=***');
      expect(redact('Results: /tmp/seam_import_results_2026.csv, seam_sandbox_key')).toBe('Results: /tmp/seam_import_results_2026.csv, seam_sandbox_key');
      // Was "Reading ***.csv": a file name with a long mixed-case part is not a key.
      expect(redact('Reading seam_export_BuildingB-Residents-2024.csv; seam_export_AbCdEfGh12345678IjKlMn.csv')).toBe('Reading seam_export_BuildingB-Residents-2024.csv; seam_export_AbCdEfGh12345678IjKlMn.csv');
      expect(redact('a key seam_test2bMS_94SrGUXuNR2JmJkjtvBQDg5c. Then my_seam_test2bMS_94SrGUXuNR2JmJkjtvBQDg5c')).toBe('a key ***. Then my_***');
    }
  });
});
