/**
 * A server's words, made fit to show and to keep: no terminal control, and no credential (a
 * proxy or a server may echo the Authorization header in its error text, and that text goes into
 * row messages, the results file and the run record). No dependencies: the check pass uses it too.
 */

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]+/g;
// eslint-disable-next-line no-control-regex
const ESCAPE_SEQUENCE = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|[@-Z\\-_])/g;

/** A credential in a server's words: the one sent, a Bearer header, or any Seam key or token (cut short or whole). */
const CREDENTIAL_LIKE = /(Bearer\s+)[^\s"',;)]+|\bseam_[A-Za-z0-9_]{4,}/gi;

/** `text` without any credential: the ones given (wherever they stand) and anything shaped like one. */
export function maskCredentials(text: string, secrets: readonly string[] = []): string {
  return maskSecrets(text, secrets).replace(CREDENTIAL_LIKE, (match, bearer: string | undefined) => (bearer === undefined ? 'seam_***' : `${bearer}***`));
}

/** `text` without the credentials given, wherever they stand; nothing else touched. */
function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    // A real key is long; a short one ("--api-key a") is masked only where it stands alone.
    if (secret.length >= 8) out = out.split(secret).join('***');
    else out = out.replace(new RegExp(`(?<![\\w-])${secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`, 'g'), '***');
  }
  return out;
}

/**
 * A server's answer with every string in it masked (strings only: a short key must not cut "false"
 * in two), the names of its fields too: a validation error keyed by the credential
 * (`validation_errors: {"seam_…": …}`) is turned into a row's message.
 */
export function scrubbed(value: unknown, secrets: readonly string[]): unknown {
  return maskedDeep(value, (text) => maskCredentials(text, secrets));
}

/**
 * A good answer (a person made or found) with the credentials given masked, wherever they stand,
 * its fields' names too; nothing else is touched (a customer's key "seam_user_42" stays as it is:
 * it is compared with the row's). Handed back as it came when none is in it, which is a cheap look.
 */
export function withoutSecrets(value: unknown, secrets: readonly string[]): unknown {
  return secrets.length > 0 && mentions(value, secrets) ? maskedDeep(value, (text) => maskSecrets(text, secrets)) : value;
}

function mentions(value: unknown, secrets: readonly string[]): boolean {
  if (typeof value === 'string') return secrets.some((secret) => value.includes(secret));
  if (Array.isArray(value)) return value.some((v) => mentions(v, secrets));
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) if (mentions(k, secrets) || mentions(v, secrets)) return true;
  }
  return false;
}

/** `value` with `mask` applied to every string in it and to its fields' names. */
function maskedDeep(value: unknown, mask: (text: string) => string): unknown {
  if (typeof value === 'string') return mask(value);
  if (Array.isArray(value)) return value.map((v) => maskedDeep(v, mask));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [mask(k), maskedDeep(v, mask)]));
  return value;
}

/**
 * Text a server sent, fit for a terminal and a results file: escape sequences (which could clear
 * the screen or retitle the window), control characters and line breaks removed, and cut short.
 */
export function serverText(text: string, max = 200): string {
  const plain = text.replace(ESCAPE_SEQUENCE, '').replace(CONTROL_CHARACTERS, ' ').replace(/\s+/g, ' ').trim();
  return plain.length > max ? `${plain.slice(0, max)}…` : plain;
}
