import {EventEmitter} from 'node:events';
import {describe, expect, it} from 'vitest';
import type {ImportEvents} from '../src/engine/index.js';
import {jsonReport, outcomeLines, exitCodeOf} from '../src/report/outcome.js';
import {lineText} from '../src/report/format.js';
import {PlainReporter} from '../src/report/plain.js';
import {T0, counts, emitReading, plan, progress, serverError, summary} from './ui-fixtures.js';

const ESC = /\u001B/;

function setup(intervalMs = 3000) {
  const events = new EventEmitter<ImportEvents>();
  let now = T0;
  let out = '';
  const reporter = new PlainReporter(events, {
    write: (text) => {
      out += text;
    },
    now: () => now,
    intervalMs,
  });
  return {
    events,
    reporter,
    output: () => out,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('plain reporter', () => {
  it('prints one line per phase, the mapping, the check and the plan, with no escape codes', () => {
    const {events, output} = setup();
    emitReading(events);
    expect(output()).not.toMatch(ESC);
    expect(output()).toMatchInlineSnapshot(`
      "Reading examples/building.csv (CSV, utf-8, comma-separated, 8 columns)
        Columns:
          "Resident ID" → user_identity_key
          "E-mail" → email_address
          "Mobile" → phone_number
          "First Name" + "Last Name" → full_name
        Seam: connect.getseam.com
        Results: examples/building.results.csv
      Checking rows…
      Checking: 200 rows read, 6 invalid, 4 duplicates
      Checked 200 rows: 6 invalid, 4 duplicates
        row 18 invalid_email: The "E-mail" column has "hiroshi.rodriguez@@example.com", which is not an email address (it has more than one "@").
        row 31 duplicate_email: Same email address as row 6.
        row 44 invalid_phone: The "Mobile" column has "1.21255E+10": Excel turned the number into scientific notation. Format the column as Text and export again.
        … and 7 more in the results file
      Plan for 200 rows
        to create       187  new people, sent now
        already in Seam   2  same person found: adopted, not sent
        conflicts         1  in Seam with other details: not sent, marked failed
        invalid           6  break a rule: not sent
        duplicates        4  repeat an earlier row: not sent
        already done      0  finished by an earlier attempt
        The workspace holds 3 user identities and 3 access systems.
      "
    `);
  });

  // 6,400 identities over slow pages: 29 s of nothing after "Looking up…", not to be told from a hang.
  it('says how many identities the workspace lookup has listed, once an interval has passed, and at most once per interval', () => {
    const {events, output, advance} = setup(3000);
    events.emit('phase', 'preflight');
    events.emit('looking', 500);
    advance(1000);
    events.emit('looking', 1000);
    expect(output()).toBe('Looking up what the workspace already has…\n');
    advance(2500);
    events.emit('looking', 1500);
    advance(100);
    events.emit('looking', 2000);
    advance(3000);
    events.emit('looking', 6400);
    expect(output()).toBe(
      'Looking up what the workspace already has…\nLooking up: 1,500 identities of the workspace listed so far…\nLooking up: 6,400 identities of the workspace listed so far…\n',
    );
  });

  it('prints progress on engine events, at most once per interval, the first at once', () => {
    const {events, output} = setup(3000);
    events.emit('phase', 'importing');
    const before = output();
    events.emit('progress', progress({sent: 1, counts: counts({created: 1})}));
    events.emit('progress', progress({sent: 2, counts: counts({created: 2})}));
    expect(output().slice(before.length).split('\n').filter(Boolean)).toHaveLength(1);
    const once = output();
    events.emit('progress', progress({sent: 40}));
    expect(output()).toBe(once);
    // Nothing is printed without an event, however long it has been: no timer keeps the process up.
    expect(output()).toBe(once);
  });

  it('prints a progress line every few seconds of engine time', () => {
    const {events, output, advance} = setup(3000);
    events.emit('phase', 'importing');
    // Nothing until the first row is back, then at once, then every 3 seconds.
    events.emit('progress', progress({sent: 0}));
    for (let i = 1; i <= 10; i++) {
      events.emit('progress', progress({sent: i * 10}));
      advance(1000);
    }
    const lines = output().split('\n').filter((l) => l.startsWith('Importing:'));
    expect(lines).toMatchInlineSnapshot(`
      [
        "Importing: 10/187 (5%) · created 72 · existing 1 · failed 2 · 25 rows/s · ETA 5s · 8 in flight, concurrency 6/10 · 4 retries",
        "Importing: 40/187 (21%) · created 72 · existing 1 · failed 2 · 25 rows/s · ETA 5s · 8 in flight, concurrency 6/10 · 4 retries",
        "Importing: 70/187 (37%) · created 72 · existing 1 · failed 2 · 25 rows/s · ETA 5s · 8 in flight, concurrency 6/10 · 4 retries",
        "Importing: 100/187 (53%) · created 72 · existing 1 · failed 2 · 25 rows/s · ETA 5s · 8 in flight, concurrency 6/10 · 4 retries",
      ]
    `);
  });

  it('says when Seam rate-limits, once per pause, and each failed row as it happens', () => {
    const {events, output} = setup();
    events.emit('phase', 'importing');
    events.emit('paused', {until: T0 + 4000, reason: 'rate_limited'});
    events.emit('paused', {until: T0 + 4200, reason: 'rate_limited'});
    events.emit('row', serverError);
    events.emit('warning', 'Seam is slow to answer (p95 4.1s).');
    expect(output()).toMatchInlineSnapshot(`
      "Sending creates… (Ctrl-C stops sending, finishes the requests in flight and writes the results)
      Rate limited by Seam: all requests wait 4s, then go on at a lower pace.
      Failed: row 57 server_error: Seam answered 503 five times; nothing was created (checked). Run again to retry this row.
      Warning: Seam is slow to answer (p95 4.1s).
      "
    `);
  });

  it('caps the failure lines and says how many more there are', () => {
    const events = new EventEmitter<ImportEvents>();
    let out = '';
    const reporter = new PlainReporter(events, {write: (t) => (out += t), maxFailureLines: 2});
    for (let row = 1; row <= 5; row++) events.emit('row', {...serverError, row});
    reporter.finish({kind: 'declined'});
    expect(out.match(/^Failed:/gm)).toHaveLength(2);
    expect(out).toContain('… and 3 more failed rows: see the results file.');
  });

  it('ends with the summary: totals, failures by code, the results file and the retry command', () => {
    const {events, reporter, output} = setup();
    const before = output();
    events.emit('done', summary());
    reporter.finish({kind: 'summary', summary: summary()}, {retry: 'seam-import examples/building.results.csv -o examples/building.retry.csv'});
    const text = output().slice(before.length);
    expect(text).not.toMatch(ESC);
    expect(text).toMatchInlineSnapshot(`
      "Finished in 8.4s.
        200 rows · 214 requests · 9 retries · 3 rate-limited
        created      184  made by this run
        existing       2  already in Seam, adopted
        invalid        6  not sent: broke a rule
        duplicate      4  not sent: repeats an earlier row
        failed         4  not created: refused, conflict or no answer
      Rows that need attention, by reason:
        invalid_email 4  e.g. row 18: The "E-mail" column has "hiroshi.rodriguez@@example.com", which is not an email address (it has more than one "@").
        invalid_phone 2  e.g. row 44: The "Mobile" column has "1.21255E+10": Excel turned the number into scientific notation. Format the column as Text and export again.
        server_error  3  e.g. row 57: Seam answered 503 five times; nothing was created (checked). Run again to retry this row.
        conflict      1  e.g. row 5: Seam already has user identity 4f1c… with this email address under another key (OLD-0977).
      Results: examples/building.results.csv
      Fix the 6 invalid rows in the results file (import_error_message says how), then feed it back in.
      One row conflicts with a person in Seam (import_error_message names the identity and the field that differs): fix the row or that identity first, or it fails again.
      To retry the 4 failed rows, import the results file; rows already created or existing are not sent again:
        seam-import examples/building.results.csv -o examples/building.retry.csv
      "
    `);
    // Detached: later events print nothing.
    const after = output();
    events.emit('phase', 'writing');
    expect(output()).toBe(after);
  });
});

describe('outcomes', () => {
  it.each([
    ['all in', {kind: 'summary', summary: summary({exitCode: 0})}, 0],
    ['some need attention', {kind: 'summary', summary: summary()}, 1],
    ['declined', {kind: 'declined'}, 1],
    ['could not start', {kind: 'error', code: 'input_not_found', message: 'x', exitCode: 2}, 2],
    ['bad credentials', {kind: 'error', code: 'unauthorized', message: 'x', exitCode: 3}, 3],
    ['interrupted', {kind: 'summary', summary: summary({interrupted: true, exitCode: 130})}, 130],
    ['stopped before sending', {kind: 'stopped'}, 130],
  ] as const)('%s → exit %i', (_name, outcome, code) => {
    expect(exitCodeOf(outcome)).toBe(code);
  });

  it('an interrupted run ends with the resume command', () => {
    const s = summary({interrupted: true, exitCode: 130, counts: counts({created: 40, skipped: 147, invalid: 6, duplicate: 4, existing: 2, failed: 1}), failures: []});
    expect(outcomeLines({kind: 'summary', summary: s}, {resume: 'seam-import building.csv --resume'}).map(lineText).join('\n')).toMatchInlineSnapshot(`
      "Interrupted after 8.4s: no new requests were sent, and those in flight were finished.
        200 rows · 214 requests · 9 retries · 3 rate-limited
        created       40  made by this run
        existing       2  already in Seam, adopted
        invalid        6  not sent: broke a rule
        duplicate      4  not sent: repeats an earlier row
        failed         1  not created: refused, conflict or no answer
        skipped      147  the run stopped first: not sent, or not confirmed
      Results: examples/building.results.csv
      147 rows marked skipped: not sent, or not confirmed by Seam before the stop (import_error_message says which). Continue where it stopped with:
        seam-import building.csv --resume"
    `);
  });

  it('credentials refused before the first create: the plan and the import say nothing is sent, with no progress line', () => {
    const {events, output} = setup();
    emitReading(events, {...plan, fatal: {code: 'unauthorized', message: 'Seam refused the credentials (401)'}});
    events.emit('phase', 'importing');
    events.emit('progress', progress({sent: 187, counts: counts({skipped: 187}), inFlight: 0}));
    events.emit('phase', 'writing');
    const text = output();
    expect(text).toContain('  to create       187  new people, not sent: Seam refused the credentials\n');
    expect(text).toContain('Nothing is sent: Seam refused the credentials. The rows to create are marked skipped.\n');
    expect(text).not.toContain('Importing:');
    expect(text).not.toContain('Sending creates');
  });

  it('a fatal answer says what Seam said and how to continue', () => {
    const s = summary({fatal: {code: 'unauthorized', message: 'Seam refused the API key (401 unauthorized).'}, exitCode: 3, counts: counts({skipped: 187, invalid: 6, duplicate: 4, existing: 2, failed: 1}), failures: []});
    const text = outcomeLines({kind: 'summary', summary: s}, {resume: 'seam-import b.csv --resume'}).map(lineText).join('\n');
    expect(text).toContain('Stopped by Seam after 8.4s: Seam refused the API key (401 unauthorized).');
    expect(text).toContain('Nothing more was sent; 187 rows marked skipped. Check the credentials, then continue with:\n  seam-import b.csv --resume');
  });

  it('rows a results file fed back had as created or existing are not said to be made by this run', () => {
    const all = summary({kept: {created: 187, existing: 2}, counts: counts({created: 187, existing: 2}), exitCode: 0});
    const text = outcomeLines({kind: 'summary', summary: all}, {}).map(lineText).join('\n');
    expect(text).toContain('created      187  made by an earlier run (its results file fed back): kept, not sent');
    expect(text).toContain('existing       2  already in Seam, adopted (the results file fed back said so)');
    const some = summary({kept: {created: 180, existing: 1}, counts: counts({created: 187, existing: 2}), exitCode: 0});
    const mixed = outcomeLines({kind: 'summary', summary: some}, {}).map(lineText).join('\n');
    expect(mixed).toContain('created      187  made by this run or, for 180 of them, an earlier one (its results file fed back)');
    expect(mixed).toContain('existing       2  already in Seam, adopted (1 of them as the results file fed back said)');
  });

  it('a dry run Seam refused to answer says the lookup did not happen and gives the dry run again, not a --resume', () => {
    const s = summary({dryRun: true, fatal: {code: 'unauthorized', message: 'Seam refused the API key (401 unauthorized).'}, exitCode: 3, counts: counts({would_create: 187}), failures: []});
    const text = outcomeLines({kind: 'summary', summary: s}, {again: 'seam-import b.csv --dry-run'}).map(lineText).join('\n');
    expect(text).toContain('Nothing could be looked up, so people marked would_create may be in Seam already. Check the credentials, then run the dry run again:\n  seam-import b.csv --dry-run');
    expect(text).not.toContain('--resume');
  });

  it('a run Seam stopped (a long Retry-After) says why and gives one way on: the resume command', () => {
    const message = 'Seam asked for a pause of 60 min (Retry-After), longer than a run waits (5 min). Run again with --resume after 14:05';
    const s = summary({halted: {code: 'rate_limited', message}, exitCode: 1, counts: counts({created: 40, skipped: 147, invalid: 6, duplicate: 4, existing: 2, failed: 1})});
    const text = outcomeLines({kind: 'summary', summary: s}, {resume: 'seam-import b.csv --resume', retry: 'seam-import b.results.csv -o b2.csv'}).map(lineText).join('\n');
    expect(text).toMatch(new RegExp(`^Stopped after 8.4s: ${message.replace(/[()]/g, '\\$&')}\\.\n`));
    expect(text).toContain('Results: examples/building.results.csv\n147 rows marked skipped: not sent, or not confirmed by Seam before the stop (import_error_message says which). Continue where it stopped with:\n  seam-import b.csv --resume');
    expect(text).not.toContain('b.results.csv');
  });

  it('rows that are not people (a total, a note) are said apart: nothing to fix, nothing to retry', () => {
    const failures = [{code: 'not_a_person' as const, count: 2, example: {row: 7, message: 'Not a person: …'}}];
    const s = summary({exitCode: 1, counts: counts({created: 198, invalid: 2}), failures});
    const text = outcomeLines({kind: 'summary', summary: s}, {retry: 'seam-import b.results.csv -o b.retry.csv'}).map(lineText).join('\n');
    expect(text).toContain('2 rows are not a person (a total, a heading, a note): nothing to fix; delete them from the file to leave them out of the count.');
    expect(text).not.toContain('Fix the');
    expect(text).not.toContain('b.retry.csv');
  });

  it('warnings said before the plan are recalled at the end, even when every row is in Seam', () => {
    const s = summary({exitCode: 0, counts: counts({created: 190, existing: 10}), failures: [], warnings: ['10 rows (import_row 1, 2, …) are already in Seam and will be adopted as they are, without adding the access systems they ask for: …']});
    const text = outcomeLines({kind: 'summary', summary: s}).map(lineText).join('\n');
    expect(text).toContain('The warning shown above still stands (with --json: "warnings").\nResults: ');
    expect(text.endsWith('Every row is in Seam.')).toBe(true);
    expect(JSON.stringify(jsonReport({kind: 'summary', summary: s}))).toContain('"warnings":["10 rows (import_row 1, 2, …) are already in Seam');
  });

  it('a dry run says how to run it for real', () => {
    const s = summary({dryRun: true, exitCode: 1, requests: 2, counts: counts({would_create: 187, existing: 2, invalid: 6, duplicate: 4, failed: 1}), failures: []});
    const text = outcomeLines({kind: 'summary', summary: s}, {forReal: 'seam-import b.csv'}).map(lineText).join('\n');
    expect(text).toContain('Dry run finished in 8.4s: nothing was sent to Seam.');
    expect(text).toContain('would_create 187  would be made (dry run)');
    expect(text).toContain('Fix the 6 invalid rows (the results file says why), or import the rest as it is:\n  seam-import b.csv');
  });

  it('a dry run with conflicts says they will fail unless fixed, before the command (it said only to fix the invalid rows)', () => {
    const s = summary({dryRun: true, exitCode: 1, requests: 2, counts: counts({would_create: 180, failed: 5, invalid: 2}), failures: [{code: 'conflict', count: 5, example: {row: 9, message: 'x'}}]});
    const text = outcomeLines({kind: 'summary', summary: s}, {forReal: 'seam-import b.csv'}).map(lineText).join('\n');
    expect(text).toContain(
      '5 rows conflict with a person in Seam (import_error_message names the identity and the field that differs): fix those rows or those identities first, or they fail.\nFix the 2 invalid rows (the results file says why), or import the rest as it is:\n  seam-import b.csv',
    );
  });

  it('a clean run says so', () => {
    const s = summary({exitCode: 0, counts: counts({created: 200}), failures: []});
    expect(outcomeLines({kind: 'summary', summary: s}).map(lineText).at(-1)).toBe('Every row is in Seam.');
  });

  it('rows with no clear answer from Seam are continued with --resume (which looks each person up), the others retried from the results file', () => {
    const s = summary({exitCode: 1, counts: counts({created: 190, failed: 10}), failures: [{code: 'network_error', count: 8, example: {row: 3, message: 'x'}}, {code: 'rejected', count: 2, example: {row: 4, message: 'y'}}]});
    const text = outcomeLines({kind: 'summary', summary: s}, {resume: 'seam-import b.csv --resume', retry: 'seam-import b.results.csv -o b.retry.csv'}).map(lineText).join('\n');
    expect(text).toContain('8 rows got no clear answer from Seam; continue this run first: it looks each person up before sending, so no one is made twice.\n  seam-import b.csv --resume');
    expect(text).toContain('To retry the 2 failed rows, import the results file; rows already created or existing are not sent again:\n  seam-import b.results.csv -o b.retry.csv');
    // Only rows with no clear answer: no results-file retry (it would call the people this run made "existing").
    const only = summary({exitCode: 1, counts: counts({created: 190, failed: 10}), failures: [{code: 'server_error', count: 10, example: {row: 3, message: 'x'}}]});
    const lines = outcomeLines({kind: 'summary', summary: only}, {resume: 'seam-import b.csv --resume'}).map(lineText);
    expect(lines.at(-2)).toBe('10 rows got no clear answer from Seam; continue this run: it looks each person up before sending, so no one is made twice.');
    expect(lines.at(-1)).toBe('  seam-import b.csv --resume');
  });

  // Seam answered those clearly (someone with the row's details is being deleted): "no clear answer" was not true.
  it('rows waiting for Seam to finish a deletion are said so, not "no clear answer"', () => {
    const only = summary({exitCode: 1, counts: counts({created: 199, failed: 1}), failures: [{code: 'being_deleted', count: 1, example: {row: 14, message: 'x'}}]});
    const lines = outcomeLines({kind: 'summary', summary: only}, {resume: 'seam-import d.csv --resume'}).map(lineText);
    expect(lines.at(-2)).toBe('1 row waits for Seam to finish deleting someone with the same details; continue this run once it has: it looks each person up before sending, so no one is made twice.');
    const both = summary({exitCode: 1, counts: counts({created: 197, failed: 3}), failures: [{code: 'timeout', count: 2, example: {row: 3, message: 'x'}}, {code: 'being_deleted', count: 1, example: {row: 14, message: 'x'}}]});
    expect(outcomeLines({kind: 'summary', summary: both}, {resume: 'seam-import d.csv --resume'}).map(lineText).at(-2)).toBe(
      '2 rows got no clear answer from Seam; and 1 row waits for Seam to finish deleting someone with the same details; continue this run: it looks each person up before sending, so no one is made twice.',
    );
  });

  it('a run whose kept rows have ids the workspace did not list does not say every row is in Seam', () => {
    const s = summary({exitCode: 0, counts: counts({created: 200}), failures: [], unlisted: 2});
    expect(outcomeLines({kind: 'summary', summary: s}).map(lineText).at(-1)).toBe(
      'Every row is created or existing, but 2 of them have ids the workspace did not list (the warning above says which): check them in Seam before handing the results on.',
    );
  });

  it('an error shows its hint', () => {
    expect(
      outcomeLines({kind: 'error', code: 'journal_exists', message: 'An earlier run of this import was stopped part-way.', hint: 'Pass --resume to continue it, or --restart to start over.', exitCode: 2}).map(lineText),
    ).toEqual(['Error: An earlier run of this import was stopped part-way.', '  Pass --resume to continue it, or --restart to start over.']);
  });

  it('--json is one object, with the summary, exit code and the next command', () => {
    const report = jsonReport({kind: 'summary', summary: summary()}, {retry: 'seam-import r.csv -o r2.csv', resume: undefined});
    const text = JSON.stringify(report);
    expect(JSON.parse(text)).toMatchObject({ok: false, exitCode: 1, total: 200, counts: {created: 184}, next: {retry: 'seam-import r.csv -o r2.csv'}});
    expect(jsonReport({kind: 'declined'})).toEqual({ok: false, exitCode: 1, declined: true, message: 'Nothing was sent to Seam.'});
  });

  it('uses the plan the engine gave', () => {
    expect(plan.toCreate).toBe(187);
  });
});
