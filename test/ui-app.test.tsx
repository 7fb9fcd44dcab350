// Before Ink is imported: render as on an operator's terminal, whatever CI is set to.
import './helpers/terminal-not-ci.js';
import {EventEmitter} from 'node:events';
import {cleanup as inkCleanup, render as inkRender} from 'ink-testing-library';
import stripAnsi from 'strip-ansi';
import {act} from 'react';
import {afterEach, beforeAll, describe, expect, it, vi} from 'vitest';
import type {ImportEvents} from '../src/engine/index.js';
import {App, type Stage} from '../src/ui/App.js';
import {T0, counts, emitReading, plan, progress, serverError, summary} from './ui-fixtures.js';

// Engine events arrive outside React; act() applies the state they cause before we look.
beforeAll(() => {
  (globalThis as {IS_REACT_ACT_ENVIRONMENT?: boolean}).IS_REACT_ACT_ENVIRONMENT = true;
});

/** Ink's render, rerender, unmount and cleanup inside act(), as React expects of a test (no warnings on stderr). */
function render(tree: Parameters<typeof inkRender>[0]): ReturnType<typeof inkRender> {
  let instance!: ReturnType<typeof inkRender>;
  act(() => {
    instance = inkRender(tree);
  });
  return {
    ...instance,
    rerender: (next) => act(() => instance.rerender(next)),
    unmount: () => act(() => instance.unmount()),
  };
}

afterEach(() => {
  act(() => inkCleanup());
  vi.useRealTimers();
});

const now = (): number => T0;

function mount(stage: Stage = {name: 'working'}, throttleMs = 0) {
  const events = new EventEmitter<ImportEvents>();
  const onAnswer = vi.fn<(yes: boolean) => void>();
  const onInterrupt = vi.fn<() => void>();
  const tree = (s: Stage) => <App events={events} stage={s} onAnswer={onAnswer} onInterrupt={onInterrupt} throttleMs={throttleMs} now={now} />;
  const instance = render(tree(stage));
  return {
    ...instance,
    events,
    onAnswer,
    onInterrupt,
    setStage: (s: Stage) => instance.rerender(tree(s)),
    frame: () => stripAnsi(instance.lastFrame() ?? ''),
  };
}

describe('the app', () => {
  it('subscribes once and unsubscribes on unmount', () => {
    const app = mount();
    expect(app.events.listenerCount('row')).toBe(1);
    expect(app.events.listenerCount('progress')).toBe(1);
    app.unmount();
    expect(app.events.eventNames()).toEqual([]);
  });

  it('shows reading, then the plan and the prompt; y answers yes', () => {
    const app = mount();
    act(() => {
      app.events.emit('phase', 'reading');
    });
    expect(app.frame()).toBe('Reading…\n');
    act(() => {
      emitReading(app.events);
    });
    app.setStage({name: 'confirm', question: 'Create 187 user identities in connect.getseam.com?'});
    expect(app.frame()).toMatchInlineSnapshot(`
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

      Plan for 200 rows
        to create       187  new people, sent now
        already in Seam   2  same person found: adopted, not sent
        conflicts         1  in Seam with other details: not sent, marked failed
        invalid           6  break a rule: not sent
        duplicates        4  repeat an earlier row: not sent
        already done      0  finished by an earlier attempt
        The workspace holds 3 user identities and 3 access systems.

      Create 187 user identities in connect.getseam.com? [y/N]
      "
    `);
    act(() => {
      app.stdin.write('y');
    });
    expect(app.onAnswer).toHaveBeenCalledWith(true);
  });

  it('warnings from before the plan are printed with it, once, above the question; one during the import stays below the progress', () => {
    const app = mount();
    act(() => {
      app.events.emit('warning', 'The header is on line 3 of people.csv.');
      app.events.emit('warning', 'Sheet row 9 is hidden in the worksheet.');
      emitReading(app.events);
    });
    app.setStage({name: 'confirm', question: 'Create 187 user identities?'});
    act(() => {
      app.events.emit('phase', 'importing');
      app.events.emit('warning', 'Seam asked for a pause of 60 min.');
    });
    app.setStage({name: 'working'});
    const frame = app.frame();
    const at = (text: string) => frame.indexOf(text);
    expect(frame.split('Warning: The header is on line 3').length).toBe(2);
    expect(at('Warning: The header is on line 3')).toBeLessThan(at('Plan for 200 rows'));
    expect(at('Warning: Sheet row 9 is hidden')).toBeLessThan(at('Plan for 200 rows'));
    expect(at('Warning: Seam asked for a pause')).toBeGreaterThan(at('Plan for 200 rows'));
  });

  it('a warning said while sending (Seam stopped the run) is printed before the summary at the end, not after it', () => {
    const app = mount();
    act(() => {
      emitReading(app.events);
    });
    app.setStage({name: 'working'});
    act(() => {
      app.events.emit('phase', 'importing');
      app.events.emit('warning', 'Seam asked for a pause of 7 min.');
    });
    app.setStage({name: 'finished', outcome: {kind: 'summary', summary: summary({exitCode: 130, failures: []})}, next: {resume: 'seam-import people.csv --resume'}});
    const frame = app.frame();
    expect(frame).toContain('Warning: Seam asked for a pause of 7 min.');
    // Was the last line on the screen, below the resume command.
    expect(frame.lastIndexOf('Warning: Seam asked for a pause of 7 min.')).toBeLessThan(frame.lastIndexOf('Finished in'));
    expect(frame.trimEnd().endsWith('Warning: Seam asked for a pause of 7 min.')).toBe(false);
  });

  it.each([
    ['n', false],
    ['N', false],
    ['\r', false],
    ['Y', true],
    ['y\r', true],
    ['n\r', false],
  ])('at the prompt, %j answers %s', (key, yes) => {
    const app = mount({name: 'confirm', question: 'Create?'});
    act(() => {
      app.stdin.write(key);
    });
    expect(app.onAnswer).toHaveBeenCalledWith(yes);
  });

  it('in the demo, Enter starts at once', () => {
    const app = mount({name: 'confirm', question: 'Create?', autoConfirmMs: 60_000});
    act(() => {
      app.stdin.write('\r');
    });
    expect(app.onAnswer).toHaveBeenCalledWith(true);
  });

  it('in the demo, it goes on by itself when the countdown ends', () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date']});
    const app = mount({name: 'confirm', question: 'Create?', autoConfirmMs: 3000});
    act(() => {
      vi.advanceTimersByTime(2999);
    });
    expect(app.onAnswer).not.toHaveBeenCalled();
    act(() => {
      vi.advanceTimersByTime(1);
    });
    expect(app.onAnswer).toHaveBeenCalledWith(true);
  });

  it('other keys at the prompt do nothing; keys outside the prompt do nothing', () => {
    const app = mount({name: 'confirm', question: 'Create?'});
    act(() => {
      app.stdin.write('x');
    });
    app.setStage({name: 'working'});
    act(() => {
      app.stdin.write('y');
    });
    expect(app.onAnswer).not.toHaveBeenCalled();
  });

  it('Ctrl-C, a key press in raw mode, goes to the same interrupt as SIGINT', () => {
    const app = mount({name: 'working'});
    act(() => {
      app.stdin.write('\u0003');
    });
    expect(app.onInterrupt).toHaveBeenCalledTimes(1);
    expect(app.onAnswer).not.toHaveBeenCalled();
  });

  it('two Ctrl-C presses that arrive in one read ("\\x03\\x03", the process busy a moment) are two interrupts, not none', () => {
    const app = mount({name: 'working'});
    act(() => {
      app.stdin.write('\u0003\u0003');
    });
    // Were: ignored, and the import ran to the end.
    expect(app.onInterrupt).toHaveBeenCalledTimes(2);
  });

  it('while importing: reading and plan above, failures printed once in <Static>, live progress below', () => {
    const app = mount();
    act(() => {
      emitReading(app.events);
    });
    act(() => {
      app.events.emit('phase', 'importing');
    });
    act(() => {
      app.events.emit('row', {row: 1, status: 'created', userIdentityId: 'ui_1'});
    });
    act(() => {
      app.events.emit('row', serverError);
    });
    act(() => {
      app.events.emit('progress', progress());
    });
    act(() => {
      app.events.emit('paused', {until: T0 + 2000, reason: 'rate_limited'});
    });
    expect(app.frame()).toMatchInlineSnapshot(`
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

      Plan for 200 rows
        to create       187  new people, sent now
        already in Seam   2  same person found: adopted, not sent
        conflicts         1  in Seam with other details: not sent, marked failed
        invalid           6  break a rule: not sent
        duplicates        4  repeat an earlier row: not sent
        already done      0  finished by an earlier attempt
        The workspace holds 3 user identities and 3 access systems.

      ✗ row 57 server_error: Seam answered 503 five times; nothing was created (checked). Run again to
      retry this row.
      Importing ████████████░░░░░░░░░░░░░░░░░░ 75/187 40%
        created 72 · existing 1 · failed 2
        25 rows/s · ETA 5s · 8 in flight · concurrency 6/10 · 4 retries · 3 rate-limited
        rate limited — resuming in 2s
        Ctrl-C stops sending, finishes the requests in flight and writes the results."
    `);
  });

  it('after the first Ctrl-C it says it is stopping', () => {
    const app = mount();
    act(() => {
      emitReading(app.events);
    });
    act(() => {
      app.events.emit('phase', 'importing');
    });
    act(() => {
      app.events.emit('progress', progress({inFlight: 4}));
    });
    app.setStage({name: 'working', stopping: true});
    expect(app.frame()).toContain('Stopping: finishing the 4 requests in flight');
  });

  it('past the cap, failures show live instead', () => {
    const events = new EventEmitter<ImportEvents>();
    const {lastFrame} = render(<App events={events} stage={{name: 'working'}} throttleMs={0} now={now} />);
    act(() => {
      emitReading(events);
    });
    act(() => {
      events.emit('phase', 'importing');
    });
    act(() => {
      events.emit('progress', progress());
    });
    act(() => {
      for (let row = 1; row <= 103; row++) events.emit('row', {...serverError, row});
    });
    const text = stripAnsi(lastFrame() ?? '');
    expect(text.match(/^✗ row \d+ server_error/gm)).toHaveLength(100);
    expect(text).toContain('3 failed rows more than listed above (all are in the results file); the latest:');
    expect(text).toContain('✗ row 103 server_error');
  });

  it('the end: the summary replaces the live area, and the app exits', () => {
    const app = mount();
    act(() => {
      emitReading(app.events);
    });
    act(() => {
      app.events.emit('phase', 'importing');
    });
    act(() => {
      app.events.emit('progress', progress());
    });
    act(() => {
      app.events.emit('phase', 'writing');
    });
    act(() => {
      app.events.emit('phase', 'done');
    });
    act(() => {
      app.events.emit('done', summary({exitCode: 0, counts: counts({created: 187, existing: 2, invalid: 6, duplicate: 4, failed: 1}), failures: []}));
    });
    app.setStage({name: 'finished', outcome: {kind: 'summary', summary: summary({exitCode: 0, failures: []})}, next: {}});
    const text = app.frame();
    expect(text).not.toContain('Importing ');
    expect(text).toContain('Finished in 8.4s.');
    expect(text).toContain('Results: examples/building.results.csv');
    // exit() unmounted the app: it no longer listens.
    expect(app.events.eventNames()).toEqual([]);
  });

  it('a dry run: the plan, then the end, no prompt', () => {
    const app = mount();
    act(() => {
      emitReading(app.events, {...plan, dryRun: true});
    });
    act(() => {
      app.events.emit('phase', 'writing');
    });
    // Nothing is sent in a dry run: not "Starting to send…" while its results are written.
    expect(stripAnsi(app.frames.at(-1) ?? '')).toContain('Writing the results…');
    expect(app.frames.map((f) => stripAnsi(f)).join('\n')).not.toContain('Starting to send');
    act(() => {
      app.events.emit('phase', 'done');
    });
    const s = summary({dryRun: true, exitCode: 0, counts: counts({would_create: 187, existing: 2}), failures: []});
    app.setStage({name: 'finished', outcome: {kind: 'summary', summary: s}, next: {forReal: 'seam-import examples/building.csv'}});
    // The end is printed above (<Static>), like the plan. The frame the finished stage drew: as
    // the app exits, ink-testing-library's debug mode draws once more and repeats the last
    // <Static> item (ink issue #397; a terminal gets it once: cli-terminal.test.ts).
    expect(stripAnsi(app.frames.at(-2) ?? '')).toMatchInlineSnapshot(`
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

      Plan for 200 rows (dry run: nothing will be sent)
        would create    187  new people, not sent (dry run)
        already in Seam   2  same person found: adopted, not sent
        conflicts         1  in Seam with other details: not sent, marked failed
        invalid           6  break a rule: not sent
        duplicates        4  repeat an earlier row: not sent
        already done      0  finished by an earlier attempt
        The workspace holds 3 user identities and 3 access systems.


      Dry run finished in 8.4s: nothing was sent to Seam.
        200 rows · 214 requests · 9 retries · 3 rate-limited
        would_create 187  would be made (dry run)
        existing       2  already in Seam, adopted
      Results: examples/building.results.csv
      Import for real with:
        seam-import examples/building.csv
      "
    `);
  });
});

describe('redraws', () => {
  it('are throttled: a burst of rows and progress is drawn once per interval, not per row', () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date']});
    const app = mount({name: 'working'}, 250);
    act(() => {
      emitReading(app.events);
    });
    act(() => {
      app.events.emit('phase', 'importing');
    });
    const before = app.frames.length;
    act(() => {
      for (let i = 1; i <= 500; i++) {
        app.events.emit('row', {row: i, status: 'created'});
        app.events.emit('progress', progress({sent: i}));
      }
    });
    expect(app.frames.length).toBe(before);
    act(() => {
      vi.advanceTimersByTime(250);
    });
    expect(app.frames.length - before).toBeLessThanOrEqual(2);
    expect(app.frame()).toContain('500/187');
  });

  it('a rate-limit pause counts down even when no event comes', () => {
    vi.useFakeTimers({now: T0, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date']});
    const events = new EventEmitter<ImportEvents>();
    const {lastFrame} = render(<App events={events} stage={{name: 'working'}} throttleMs={250} />);
    act(() => {
      emitReading(events);
    });
    act(() => {
      events.emit('phase', 'importing');
    });
    act(() => {
      events.emit('progress', progress());
    });
    act(() => {
      events.emit('paused', {until: T0 + 3000, reason: 'rate_limited'});
    });
    expect(stripAnsi(lastFrame() ?? '')).toContain('resuming in 3s');
    act(() => {
      vi.advanceTimersByTime(1000);
    });
    expect(stripAnsi(lastFrame() ?? '')).toContain('resuming in 2s');
    act(() => {
      vi.advanceTimersByTime(2000);
    });
    expect(stripAnsi(lastFrame() ?? '')).not.toContain('resuming in');
  });
});
