/**
 * Every way a Seam call can end badly, folded into one type. `kind` drives what the importer does
 * next; `type` is Seam's own error type, kept for messages only (never matched for decisions,
 * since the real type of a clash is unknown).
 */
export type SeamErrorKind =
  /** 401: the key or token is wrong. Fatal. */
  | 'unauthorized'
  /** 403: not allowed. Fatal. */
  | 'forbidden'
  /** 429: slow down. */
  | 'rate_limited'
  /** 5xx, or an answer that is not Seam's (a proxy's HTML). The request may or may not have been done. */
  | 'server_error'
  /** The connection failed or was cut: the request may or may not have been done. */
  | 'network_error'
  /** No answer in time: the request may or may not have been done. */
  | 'timeout'
  /** The connection was refused: nothing reached the server. */
  | 'unreachable'
  /** 404 with a "not found" answer. */
  | 'not_found'
  /** Any other 4xx: Seam looked at the request and refused it. */
  | 'refused';

export class SeamApiError extends Error {
  override readonly name = 'SeamApiError';
  readonly kind: SeamErrorKind;
  readonly status: number | undefined;
  /** Seam's `error.type`, when the body was Seam's. */
  readonly type: string | undefined;
  readonly requestId: string | undefined;
  /** From `Retry-After`, when a 429 carried one. */
  readonly retryAfterMs: number | undefined;
  readonly validationErrors: unknown;
  /** Asking again cannot help (the server's TLS certificate is not trusted): nothing was sent. */
  readonly permanent: boolean;
  /** What to check, when the failure points at something on this side (a proxy, a certificate). */
  readonly advice: string | undefined;
  /** A refusal not in Seam's shape (a gateway's or a proxy's 4xx page): Seam may not have seen the request. */
  readonly foreign: boolean;

  constructor(
    kind: SeamErrorKind,
    message: string,
    details: {
      status?: number;
      type?: string;
      requestId?: string;
      retryAfterMs?: number;
      validationErrors?: unknown;
      permanent?: boolean;
      advice?: string;
      foreign?: boolean;
      cause?: unknown;
    } = {},
  ) {
    super(message, details.cause === undefined ? undefined : {cause: details.cause});
    this.kind = kind;
    this.status = details.status;
    this.type = details.type;
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
    this.validationErrors = details.validationErrors;
    this.permanent = details.permanent === true;
    this.foreign = details.foreign === true;
    this.advice = details.advice;
  }

  /** The request may have been carried out even though no clear answer came back. */
  get unclear(): boolean {
    return (
      this.kind === 'server_error' ||
      this.kind === 'network_error' ||
      this.kind === 'timeout' ||
      this.kind === 'rate_limited'
    );
  }

  get fatal(): boolean {
    return this.kind === 'unauthorized' || this.kind === 'forbidden';
  }

  /** Worth trying again after a pause. */
  get transient(): boolean {
    return !this.permanent && (this.unclear || this.kind === 'unreachable');
  }
}

/** `Retry-After` as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Seam's validation_errors tree (zod's format) → each message with its path: `{path: 'email_address', message: 'Invalid email'}`. */
export function validationErrorList(tree: unknown): Array<{path: string; message: string}> {
  const list: Array<{path: string; message: string}> = [];
  const walk = (node: unknown, path: string): void => {
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (key === '_errors' && Array.isArray(value)) {
        for (const message of value) if (typeof message === 'string') list.push({path, message});
      } else if (key !== '_errors') {
        walk(value, path ? `${path}.${key}` : key);
      }
    }
  };
  walk(tree, '');
  return list;
}

/** Seam's validation_errors tree → `email_address: Invalid email; phone_number: ...`. */
export function describeValidationErrors(tree: unknown): string | undefined {
  const parts = validationErrorList(tree).map(({path, message}) => (path ? `${path}: ${message}` : message));
  return parts.length > 0 ? parts.join('; ') : undefined;
}
