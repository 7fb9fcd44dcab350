import type {IncomingMessage, ServerResponse} from 'node:http';

/** A refusal in Seam's error shape; thrown by routes, answered by the server. */
export class SandboxHttpError extends Error {
  override readonly name = 'SandboxHttpError';
  readonly status: number;
  readonly type: string;
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    type: string,
    message: string,
    extra: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = status;
    this.type = type;
    this.extra = extra;
    this.headers = headers;
  }
}

/** Seam's error body: `{"error": {type, message, request_id, ...}, "ok": false}`. */
export function errorBody(error: SandboxHttpError, requestId: string): unknown {
  return {error: {type: error.type, message: error.message, request_id: requestId, ...error.extra}, ok: false};
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendText(res, status, JSON.stringify(body), 'application/json; charset=utf-8', headers);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const payload = Buffer.from(text, 'utf8');
  res.writeHead(status, {
    ...headers,
    'content-type': contentType,
    'content-length': String(payload.length),
  });
  res.end(payload);
}

export const MAX_BODY_BYTES = 1024 * 1024;

/** The whole request body; rejects with a 413 refusal past {@link MAX_BODY_BYTES}. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      throw new SandboxHttpError(413, 'payload_too_large', `Request body is larger than ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The request's parameters: the query string merged with the JSON body. An empty body counts as
 * `{}` whatever its content type, because Seam's own client sends parameterless calls as an
 * empty form-encoded POST; a non-empty body must be JSON.
 */
export function parseParameters(body: Buffer, contentType: string | undefined, query: URLSearchParams): unknown {
  const fromQuery: Record<string, unknown> = {};
  for (const [key, value] of query) fromQuery[key] = value;
  if (body.toString('utf8').trim() === '') return fromQuery;

  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType !== 'application/json' && !mediaType.endsWith('+json')) {
    throw new SandboxHttpError(
      400,
      'invalid_content_type',
      `Content-Type must be application/json, got ${mediaType === '' ? 'none' : mediaType}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SandboxHttpError(400, 'invalid_input', `Request body is not valid JSON: ${reason}`, {
      validation_errors: {_errors: ['Invalid JSON']},
    });
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    return {...fromQuery, ...(parsed as Record<string, unknown>)};
  }
  return parsed;
}
