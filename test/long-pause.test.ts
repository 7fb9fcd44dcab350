import {describe, expect, it} from 'vitest';
import {longPauseText} from '../src/engine/run-stop.js';

describe('longPauseText: when to come back after a long Retry-After', () => {
  const budget = 5 * 60_000;
  // Local time, as the message prints it.
  const now = new Date(2026, 10, 28, 20, 17).getTime();

  it('a pause that ends today gives the clock time', () => {
    expect(longPauseText(3_600_000, budget, {now})).toBe('Seam asked for a pause of 60 min (Retry-After), longer than a run waits (5 min). Run again with --resume after 21:17');
  });

  it('a pause that ends on another day gives the date too: "after 20:17" two days on read as now', () => {
    expect(longPauseText(172_800_000, budget, {now})).toBe('Seam asked for a pause of 2 days (Retry-After), longer than a run waits (5 min). Run again with --resume after 2026-11-30 20:17');
    expect(longPauseText(5 * 3_600_000, budget, {now})).toBe('Seam asked for a pause of 5 h (Retry-After), longer than a run waits (5 min). Run again with --resume after 2026-11-29 01:17');
  });

  it('an absurd Retry-After is called a mistake, not "after NaN:NaN" or "1.6e+21 min"', () => {
    for (const ms of [99_999_999_999_999_999_999_999_000, Number.POSITIVE_INFINITY, 31 * 86_400_000]) {
      const text = longPauseText(ms, budget, {now, then: 'Run the same command again'});
      expect(text).toBe('Seam asked for a pause of more than 30 days (Retry-After), which looks like a mistake of the server or of a proxy before it. Run the same command again later, once the API answers normally again');
    }
  });
});
