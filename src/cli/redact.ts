/**
 * Scrubs secret values from text before it is printed. Applied to every message that did not
 * come from our own wording (errors from the engine, the API, the system), so that a key echoed
 * by a server, a proxy or a stack never reaches the terminal, a log or a CI transcript.
 */
export type Redact = (text: string) => string;

export const REDACTED = '***';

export function makeRedact(secrets: readonly string[]): Redact {
  // Longest first, so a key that contains another key is replaced whole.
  const values = [...new Set(secrets.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
  if (values.length === 0) return (text) => text;
  // A real key is long and never part of a word; a short one ("--api-key x") is replaced only
  // where it stands alone, or every "x" in every message would turn into stars.
  const escape = (v: string): string => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const short = values.filter((v) => v.length < 8).map((v) => new RegExp(`(?<![\\w-])${escape(v)}(?![\\w-])`, 'g'));
  const long = values.filter((v) => v.length >= 8);
  return (text) => {
    let out = text;
    for (const value of long) out = out.split(value).join(REDACTED);
    for (const pattern of short) out = out.replace(pattern, REDACTED);
    return out;
  };
}

/** A writer whose every chunk is scrubbed first. */
export function redactingWriter(write: (text: string) => void, redact: Redact): (text: string) => void {
  return (text) => write(redact(text));
}
