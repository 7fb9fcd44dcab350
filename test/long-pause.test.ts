import {describe, expect, it} from 'vitest';
import {longPauseText} from '../src/engine/run-stop.js';

describe('longPauseText: when to come back after a long Retry-After', () => {
  const budget = 5 * 60_000;
  // Local time, as the message prints it, with its zone (read here through Intl, not as the code works it out).
  const now = new Date(2026, 10, 28, 20, 17).getTime();
  const zoneAt = (ms: number): string => {
    const name = new Intl.DateTimeFormat('en-US', {timeZoneName: 'shortOffset'}).formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')!.value;
    // Intl writes UTC itself as "GMT" or "GMT+0", by ICU version.
    return name === 'GMT' || name === 'GMT+0' ? 'UTC' : name.replace(/^GMT/, 'UTC');
  };

  it('a pause that ends today gives the clock time', () => {
    expect(longPauseText(3_600_000, budget, {now})).toBe(`Seam asked for a pause of 60 min (Retry-After), longer than a run waits (5 min). Run again with --resume after 21:17 (${zoneAt(now + 3_600_000)})`);
  });

  it('a pause that ends on another day gives the date too: "after 20:17" two days on read as now', () => {
    expect(longPauseText(172_800_000, budget, {now})).toBe(`Seam asked for a pause of 2 days (Retry-After), longer than a run waits (5 min). Run again with --resume after 2026-11-30 20:17 (${zoneAt(now + 172_800_000)})`);
    expect(longPauseText(5 * 3_600_000, budget, {now})).toBe(`Seam asked for a pause of 5 h (Retry-After), longer than a run waits (5 min). Run again with --resume after 2026-11-29 01:17 (${zoneAt(now + 5 * 3_600_000)})`);
  });

  it('the clock time names its zone, whole hours or not: a log read elsewhere is not an hour out', () => {
    const before = process.env['TZ'];
    try {
      for (const [tz, zone] of [['UTC', 'UTC'], ['Asia/Kolkata', 'UTC+5:30'], ['America/New_York', 'UTC-5'], ['Europe/Berlin', 'UTC+1']] as const) {
        process.env['TZ'] = tz;
        expect(longPauseText(3_600_000, budget, {now: Date.UTC(2026, 10, 28, 12, 0)})).toMatch(new RegExp(`after \\d\\d:\\d\\d \\(${zone.replace('+', '\\+')}\\)$`));
      }
    } finally {
      if (before === undefined) delete process.env['TZ'];
      else process.env['TZ'] = before;
    }
  });

  it('an absurd Retry-After is called a mistake, not "after NaN:NaN" or "1.6e+21 min"', () => {
    for (const ms of [99_999_999_999_999_999_999_999_000, Number.POSITIVE_INFINITY, 31 * 86_400_000]) {
      const text = longPauseText(ms, budget, {now, then: 'Run the same command again'});
      expect(text).toBe('Seam asked for a pause of more than 30 days (Retry-After), which looks like a mistake of the server or of a proxy before it. Run the same command again later, once the API answers normally again');
    }
  });
});
