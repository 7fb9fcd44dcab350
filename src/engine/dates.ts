/**
 * The date a cell holds, as HR and property exports write it: 2026-12-31, 12/31/2026 or
 * 31/12/2026, 31.12.2026, 31-12-2026, "Dec 31, 2026", "31 Dec 2026". A date written with its day
 * and month both 12 or under (05/12/2026) reads two ways; which one is meant is told by the
 * other cells of its column, or by where the file is from (leavers.ts).
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

export interface DateReading {
  /** The date read month first (12/31/2026, as US exports write it). */
  monthFirst: Date;
  /** The date read day first (31/12/2026, as written almost everywhere else). The same date as monthFirst when the cell reads one way only. */
  dayFirst: Date;
  /** The way the cell shows its column is written, when it reads one way only: 30/09/2025 is day first. */
  shows?: 'day' | 'month';
}

/**
 * The cell's date, read both ways; a note after it ("(notice given)") and a time are let go.
 * Undefined when the cell holds no date ("N/A", "TBD", "-") or an impossible one: 31/04/2026 or
 * 02/30/2026 is no date, where JavaScript's Date would roll it over into the next month (and
 * 13/11/2026, read month first, into 2027).
 */
export function readDate(cell: string): DateReading | undefined {
  // A date and a short note: a long cell is no date (and a long run of "(" is no work for a regex).
  if (cell.length > 60) return undefined;
  const text = cell.replace(/\s*\([^()]*\)\s*$/, '').trim();
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$/.exec(text);
  if (m) return once(calendarDate(Number(m[1]), Number(m[2]), Number(m[3])));
  if ((m = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?:\s+\d{1,2}:\d{2}.*)?$/.exec(text))) {
    const year = fullYear(m[4]!);
    const monthFirst = calendarDate(year, Number(m[1]), Number(m[3]));
    const dayFirst = calendarDate(year, Number(m[3]), Number(m[1]));
    // Dots are written day first wherever they are used (31.12.2026, 05.12.2026).
    if (m[2] === '.' && dayFirst) return {monthFirst: dayFirst, dayFirst, ...(monthFirst ? {} : {shows: 'day'})};
    if (monthFirst && dayFirst) return {monthFirst, dayFirst};
    if (monthFirst) return {monthFirst, dayFirst: monthFirst, shows: 'month'};
    if (dayFirst) return {monthFirst: dayFirst, dayFirst, shows: 'day'};
    return undefined;
  }
  if ((m = /^([a-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})$/i.exec(text))) return once(calendarDate(Number(m[3]), monthOf(m[1]!), Number(m[2])));
  // "31 Dec 2026", and Excel's "31-Dec-26".
  if ((m = /^(\d{1,2})[\s-]([a-z]{3})[a-z]*\.?[\s-](\d{4}|\d{2})$/i.exec(text))) return once(calendarDate(fullYear(m[3]!), monthOf(m[2]!), Number(m[1])));
  return undefined;
}

/** The date as 2026-12-05, which reads one way only: for messages. */
export function isoDate(date: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
}

function once(date: Date | undefined): DateReading | undefined {
  return date && {monthFirst: date, dayFirst: date};
}

/** 1–12, or 0 (no month) for a word that names none. */
function monthOf(word: string): number {
  return MONTHS.indexOf(word.toLowerCase()) + 1;
}

/** Two digits: 00–69 this century, 70–99 the last (as Excel reads them). */
function fullYear(digits: string): number {
  const year = Number(digits);
  return digits.length === 2 ? (year < 70 ? 2000 : 1900) + year : year;
}

/** The day, or undefined when the calendar has none such (month 13, 31 April, 29 February 2026). */
function calendarDate(year: number, month: number, day: number): Date | undefined {
  if (month < 1 || month > 12 || day < 1) return undefined;
  const date = new Date(year, month - 1, day);
  return date.getMonth() === month - 1 && date.getDate() === day ? date : undefined;
}
