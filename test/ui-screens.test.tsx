// Before Ink is imported: render as on an operator's terminal, whatever CI is set to.
import './helpers/terminal-not-ci.js';
import {render} from 'ink-testing-library';
import stripAnsi from 'strip-ansi';
import {afterEach, describe, expect, it} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {ConfirmPrompt} from '../src/ui/ConfirmPrompt.js';
import {EndView} from '../src/ui/EndView.js';
import {ImportingView} from '../src/ui/ImportingView.js';
import {PlanView} from '../src/ui/PlanView.js';
import {ReadingView} from '../src/ui/ReadingView.js';
import {Wrapped} from '../src/ui/Wrapped.js';
import {wrapWords} from '../src/report/wrap.js';
import {Text} from 'ink';
import {T0, check, counts, plan, progress, serverError, source, summary} from './ui-fixtures.js';

afterEach(() => {
  cleanup();
});

const frame = (lastFrame: () => string | undefined): string => stripAnsi(lastFrame() ?? '');

describe('reading and checking', () => {
  it('shows the file, the mapping, the target and a live count while checking', () => {
    const {lastFrame} = render(<ReadingView source={source} check={{...check, rowsRead: 120}} phase="checking" complete={false} />);
    expect(frame(lastFrame)).toMatchInlineSnapshot(`
      "Reading examples/building.csv (CSV, utf-8, comma-separated, 8 columns)
        Columns:
          "Resident ID" → user_identity_key
          "E-mail" → email_address
          "Mobile" → phone_number
          "First Name" + "Last Name" → full_name
        Seam: connect.getseam.com
        Results: examples/building.results.csv
      Checking: 120 rows read · 6 invalid · 4 duplicates
      "
    `);
  });

  it('while the workspace is looked up, says how many identities are listed so far', () => {
    const {lastFrame} = render(<ReadingView source={source} check={undefined} phase="preflight" complete={false} listed={6400} />);
    expect(frame(lastFrame)).toContain('Looking up what the workspace already has… 6,400 identities listed so far');
  });

  it('shows the totals and the first few reasons once checked', () => {
    const {lastFrame} = render(<ReadingView source={source} check={check} phase="plan" complete />);
    expect(frame(lastFrame)).toMatchInlineSnapshot(`
      "Reading examples/building.csv (CSV, utf-8, comma-separated, 8 columns)
        Columns:
          "Resident ID" → user_identity_key
          "E-mail" → email_address
          "Mobile" → phone_number
          "First Name" + "Last Name" → full_name
        Seam: connect.getseam.com
        Results: examples/building.results.csv
      Checked 200 rows: 6 invalid, 4 duplicates
        row 18 invalid_email: The "E-mail" column has "hiroshi.rodriguez@@example.com", which is not an
        email address (it has more than one "@").
        row 31 duplicate_email: Same email address as row 6.
        row 44 invalid_phone: The "Mobile" column has "1.21255E+10": Excel turned the number into
        scientific notation. Format the column as Text and export again.
        … and 7 more in the results file
      "
    `);
  });

  it('says when it looks up the workspace, and when the input is a results file being resumed', () => {
    const resumed = {...source, isResultsFile: true, resumed: true, workspaceId: 'ws_123'};
    const {lastFrame} = render(<ReadingView source={resumed} check={undefined} phase="preflight" complete={false} />);
    expect(frame(lastFrame)).toMatchInlineSnapshot(`
      "Reading examples/building.csv (CSV, utf-8, comma-separated, 8 columns)
        This is an earlier results file: rows already created or existing are not sent again.
        Columns:
          "Resident ID" → user_identity_key
          "E-mail" → email_address
          "Mobile" → phone_number
          "First Name" + "Last Name" → full_name
        Seam: connect.getseam.com, workspace ws_123
        Results: examples/building.results.csv
        Resuming the run recorded in examples/building.results.csv.journal.jsonl
      Looking up what the workspace already has…
      "
    `);
  });

  it('a dry run without credentials says only the file is checked', () => {
    const {lastFrame} = render(<ReadingView source={{...source, endpointHost: undefined}} check={undefined} phase="reading" complete={false} />);
    expect(frame(lastFrame)).toContain('Seam: no credentials: only the file is checked');
  });
});

describe('the plan and the prompt', () => {
  it('shows what will happen', () => {
    const {lastFrame} = render(<PlanView plan={plan} />);
    expect(frame(lastFrame)).toMatchInlineSnapshot(`
      "Plan for 200 rows
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

  it('asks y/N', () => {
    const {lastFrame} = render(<ConfirmPrompt question="Create 187 user identities in connect.getseam.com?" />);
    expect(frame(lastFrame)).toMatchInlineSnapshot(`
      "Create 187 user identities in connect.getseam.com? [y/N]
      "
    `);
  });

  it('the demo counts down', () => {
    const {lastFrame} = render(<ConfirmPrompt question="Create 187 user identities in the embedded sandbox (127.0.0.1:4321)?" autoConfirmMs={3000} />);
    expect(frame(lastFrame)).toMatchInlineSnapshot(`
      "Create 187 user identities in the embedded sandbox (127.0.0.1:4321)? [Y/n]
      Demo: starting in 3s (Enter to start now, n to cancel)
      "
    `);
  });
});

describe('importing', () => {
  const base = {pausedUntil: 0, now: T0, retries: 4, latestFailures: [], overflowFailures: 0, stopping: false};

  it('shows the bar, counts per status, pace, ETA, in flight and concurrency', () => {
    const {lastFrame} = render(<ImportingView {...base} progress={progress()} />);
    expect(frame(lastFrame)).toMatchInlineSnapshot(`
      "Importing ████████████░░░░░░░░░░░░░░░░░░ 75/187 40%
        created 72 · existing 1 · failed 2
        25 rows/s · ETA 5s · 8 in flight · concurrency 6/10 · 4 retries · 3 rate-limited
        Ctrl-C stops sending, finishes the requests in flight and writes the results."
    `);
  });

  it('shows a 429 pause with its countdown', () => {
    const {lastFrame} = render(<ImportingView {...base} progress={progress()} pausedUntil={T0 + 2500} />);
    expect(frame(lastFrame)).toContain('rate limited — resuming in 3s');
  });

  it('shows the latest failures once the list above is full', () => {
    const {lastFrame} = render(<ImportingView {...base} progress={progress()} overflowFailures={12} latestFailures={[serverError, {...serverError, row: 61}]} />);
    expect(frame(lastFrame)).toContain('12 failed rows more than listed above (all are in the results file); the latest:');
    expect(frame(lastFrame)).toContain('✗ row 61 server_error: Seam answered 503');
  });

  it('lists each latest failure on one line, cut at the edge: the live area stays shorter than the window', () => {
    const long = {...serverError, row: 61, message: `Seam refused this row: ${'a long reason, '.repeat(30)}the end`};
    const {lastFrame} = render(<ImportingView {...base} progress={progress()} overflowFailures={12} latestFailures={[long, {...long, row: 62}, {...long, row: 63}]} />);
    const lines = frame(lastFrame).split('\n');
    // Each was wrapped over several lines, and again by Ink (4 columns of padding, wrapped for 2).
    expect(lines.filter((line) => line.includes('✗ row 6'))).toHaveLength(3);
    expect(lines.some((line) => line.includes('the end'))).toBe(false);
    expect(lines.every((line) => line.length <= 100)).toBe(true);
  });

  it('says it is stopping after Ctrl-C', () => {
    const {lastFrame} = render(<ImportingView {...base} progress={progress({inFlight: 3})} stopping />);
    expect(frame(lastFrame)).toContain('Stopping: finishing the 3 requests in flight, then writing the results. Ctrl-C again quits now.');
  });

  it('stopping with nothing in flight but rows still looked up between tries: says so, not "writing the results"', () => {
    const waiting = render(<ImportingView {...base} progress={progress({inFlight: 0, unsettled: 2})} stopping />);
    expect(frame(waiting.lastFrame).replace(/\s+/g, ' ')).toContain(
      'Stopping: checking 2 rows whose answer did not come (Seam is asked again, a few tries), then writing the results. Ctrl-C again quits now.',
    );
    const done = render(<ImportingView {...base} progress={progress({inFlight: 0, unsettled: 0})} stopping />);
    expect(frame(done.lastFrame)).toContain('Stopping: writing the results. Ctrl-C again quits now.');
  });

  it('before the first progress', () => {
    const {lastFrame} = render(<ImportingView {...base} progress={undefined} />);
    expect(frame(lastFrame)).toBe('Starting to send…');
  });

  it('a full bar at the end', () => {
    const {lastFrame} = render(<ImportingView {...base} barWidth={10} progress={progress({sent: 187, counts: counts({created: 187}), inFlight: 0})} />);
    expect(frame(lastFrame).split('\n')[0]).toBe('Importing ██████████ 187/187 100%');
  });
});

describe('the end', () => {
  it('totals, failures by code with an example, the results file and the retry command', () => {
    const {lastFrame} = render(
      <EndView outcome={{kind: 'summary', summary: summary()}} next={{retry: 'seam-import examples/building.results.csv -o examples/building.retry.csv'}} />,
    );
    expect(frame(lastFrame)).toMatchInlineSnapshot(`
      "
      Finished in 8.4s.
        200 rows · 214 requests · 9 retries · 3 rate-limited
        created      184  made by this run
        existing       2  already in Seam, adopted
        invalid        6  not sent: broke a rule
        duplicate      4  not sent: repeats an earlier row
        failed         4  not created: refused, conflict or no answer
      Rows that need attention, by reason:
        invalid_email 4  e.g. row 18: The "E-mail" column has "hiroshi.rodriguez@@example.com", which is
                         not an email address (it has more than one "@").
        invalid_phone 2  e.g. row 44: The "Mobile" column has "1.21255E+10": Excel turned the number into
                         scientific notation. Format the column as Text and export again.
        server_error  3  e.g. row 57: Seam answered 503 five times; nothing was created (checked). Run
                         again to retry this row.
        conflict      1  e.g. row 5: Seam already has user identity 4f1c… with this email address under
                         another key (OLD-0977).
      Results: examples/building.results.csv
      Fix the 6 invalid rows in the results file (import_error_message says how), then feed it back in.
      One row conflicts with a person in Seam (import_error_message names the identity and the field that
      differs): fix the row or that identity first, or it fails again.
      To retry the 4 failed rows, import the results file; rows already created or existing are not sent
      again:
        seam-import examples/building.results.csv -o examples/building.retry.csv"
    `);
  });

  it('an interrupted run prints the resume command', () => {
    const s = summary({interrupted: true, exitCode: 130, counts: counts({created: 40, skipped: 147}), failures: []});
    const {lastFrame} = render(<EndView outcome={{kind: 'summary', summary: s}} next={{resume: 'seam-import examples/building.csv --resume'}} />);
    expect(frame(lastFrame)).toMatchInlineSnapshot(`
      "
      Interrupted after 8.4s: no new requests were sent, and those in flight were finished.
        200 rows · 214 requests · 9 retries · 3 rate-limited
        created       40  made by this run
        skipped      147  the run stopped first: not sent, or not confirmed
      Results: examples/building.results.csv
      147 rows marked skipped: not sent, or not confirmed by Seam before the stop (import_error_message
      says which). Continue where it stopped with:
        seam-import examples/building.csv --resume"
    `);
  });

  it('a results path wider than the terminal stays on one line, to copy whole', () => {
    const outPath = `/home/operator/migrations/${'building-north-tower-'.repeat(5)}residents.results.csv`;
    const s = summary({outPath, exitCode: 0, counts: counts({created: 200}), failures: []});
    const {lastFrame} = render(<EndView outcome={{kind: 'summary', summary: s}} next={{}} />);
    expect(outPath.length).toBeGreaterThan(100);
    expect(frame(lastFrame).split('\n')).toContain(`Results: ${outPath}`);
  });

  it('a results path of wide characters (住民名簿) stays whole too', () => {
    const outPath = '/home/operator/住民名簿/住民名簿.results.csv';
    const s = summary({outPath, exitCode: 0, counts: counts({created: 200}), failures: []});
    const {lastFrame} = render(<EndView outcome={{kind: 'summary', summary: s}} next={{}} />);
    expect(frame(lastFrame).split('\n')).toContain(`Results: ${outPath}`);
  });

  it('declined', () => {
    const {lastFrame} = render(<EndView outcome={{kind: 'declined'}} next={{}} />);
    expect(frame(lastFrame)).toBe('\nNothing was sent to Seam.');
  });

  it('an error and what to do about it', () => {
    const {lastFrame} = render(
      <EndView
        outcome={{kind: 'error', code: 'unauthorized', message: 'Seam refused the API key (401).', hint: 'Check SEAM_API_KEY: it may be revoked or for another workspace.', exitCode: 3}}
        next={{}}
      />,
    );
    expect(frame(lastFrame)).toMatchInlineSnapshot(`
      "
      Error: Seam refused the API key (401).
        Check SEAM_API_KEY: it may be revoked or for another workspace."
    `);
  });
});

describe('wrapped text', () => {
  // At 100 columns Ink breaks this at the space after "left" and starts the next line with it.
  const warning =
    'Warning: The header is on line 5 of yardi_residents.csv; the 3 rows above it are not people and left out of the import and the results file: "Resident Directory", "Oak Ridge Apartments (oakr)", "As of 03/31/2024".';

  it('starts no wrapped line with the space it broke at (Ink alone did: one column off)', () => {
    const lines = stripAnsi(render(<Wrapped>{warning}</Wrapped>).lastFrame() ?? '').split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) {
      expect(line.startsWith(' ')).toBe(false);
      expect(line.length).toBeLessThanOrEqual(100);
    }
    expect(lines.join(' ')).toBe(warning);
    // What Ink does with the same text by itself.
    expect(stripAnsi(render(<Text>{warning}</Text>).lastFrame() ?? '').split('\n')[1]).toMatch(/^ /);
  });

  it('never breaks a quoted name to copy (a --map or a --sheet) across lines', () => {
    const hint = 'No header names a phone column, but column "Phone 1 - Value" holds phone numbers, which are not imported: pass --map phone_number="Phone 1 - Value" to import them.';
    for (const width of [40, 50, 60, 70]) {
      const lines = wrapWords(hint, width).split('\n');
      expect(lines.some((line) => line.includes('--map phone_number="Phone 1 - Value"')), `at ${width} columns`).toBe(true);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
      expect(lines.join(' ')).toBe(hint);
    }
  });

  it('keeps each line inside an indent and a label (inset)', () => {
    const lines = stripAnsi(render(<Wrapped inset={30}>{warning}</Wrapped>).lastFrame() ?? '').split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(70);
  });
});
