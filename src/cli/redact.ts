/**
 * Scrubs secret values from text before it is printed. Applied to every message that did not
 * come from our own wording (errors from the engine, the API, the system), so that a key echoed
 * by a server, a proxy or a stack never reaches the terminal, a log or a CI transcript.
 */
export type Redact = (text: string) => string;

export const REDACTED = '***';

/**
 * A Seam key or token that was not given as one (a key file passed as the input, a key pasted
 * into a cell), in the plain and JSON output: `seam_`, a short prefix, `_`, then 20 or more
 * letters and digits of mixed case, as Seam issues them (seam_test2bMS_94SrGUXuNR2JmJkjtvBQDg5c).
 * Not a file name: seam_import_results_2026.csv, seam_export_BuildingB-Residents-2024.csv (a
 * hyphen, an underscore or a file extension after the random part) stay.
 */
const KEY_LIKE = /seam_[A-Za-z0-9]{1,16}_([A-Za-z0-9]{20,})(?![\w-])(?!\.[A-Za-z0-9])/g;

function maskKeyLike(text: string): string {
  if (!text.includes('seam_')) return text;
  return text.replace(KEY_LIKE, (token, random: string) => (/[0-9]/.test(random) && /[A-Z]/.test(random) && /[a-z]/.test(random) ? REDACTED : token));
}

export function makeRedact(secrets: readonly string[]): Redact {
  // Longest first, so a key that contains another key is replaced whole.
  const values = [...new Set(secrets.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
  if (values.length === 0) return maskKeyLike;
  // A real key is long and never part of a word; a short one ("--api-key x") is replaced only
  // where it stands alone, or every "x" in every message would turn into stars.
  const escape = (v: string): string => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const short = values.filter((v) => v.length < 8).map((v) => new RegExp(`(?<![\\w-])${escape(v)}(?![\\w-])`, 'g'));
  const long = values.filter((v) => v.length >= 8);
  return (text) => {
    let out = text;
    for (const value of long) out = out.split(value).join(REDACTED);
    for (const pattern of short) out = out.replace(pattern, REDACTED);
    return maskKeyLike(out);
  };
}

/**
 * `value` with every string in it scrubbed: plain objects and arrays are copied, anything else
 * (a number, an Error, a Date) is kept as it is. For what the terminal UI draws, which is not
 * written through a scrubbing writer.
 */
export function redactDeep<T>(value: T, redact: Redact): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactDeep(item, redact)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item, redact)])) as T;
  }
  return value;
}

/** A writer whose every chunk is scrubbed first. */
export function redactingWriter(write: (text: string) => void, redact: Redact): (text: string) => void {
  return (text) => write(redact(text));
}
