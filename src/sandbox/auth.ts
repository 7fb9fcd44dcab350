import {createHash, timingSafeEqual} from 'node:crypto';
import type {IncomingHttpHeaders} from 'node:http';

import {SandboxHttpError} from './http.js';

export interface SandboxCredentials {
  apiKey: string;
  personalAccessToken: string;
  workspaceId: string;
}

export type AuthMethod = 'api_key' | 'personal_access_token';

/**
 * Seam's two ways in for this product: the API key alone, or the personal access token with a
 * `seam-workspace` header naming its workspace. Anything else is a 401 `unauthorized`.
 * The messages never repeat the token that was sent.
 */
export function authenticate(headers: IncomingHttpHeaders, credentials: SandboxCredentials): AuthMethod {
  const authorization = headers.authorization;
  const match = authorization === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  const token = match?.[1];
  if (token === undefined) {
    throw unauthorized('Missing or malformed Authorization header: expected "Bearer <token>"');
  }
  const given = digest(token);
  if (timingSafeEqual(given, digestOf(credentials.apiKey))) return 'api_key';
  if (timingSafeEqual(given, digestOf(credentials.personalAccessToken))) {
    const workspace = headers['seam-workspace'];
    if (workspace === undefined || workspace === '') {
      throw unauthorized('A personal access token needs a seam-workspace header naming its workspace');
    }
    if (workspace !== credentials.workspaceId) {
      throw unauthorized('The personal access token does not give access to the workspace in seam-workspace');
    }
    return 'personal_access_token';
  }
  throw unauthorized('Unauthorized: the token is not valid');
}

function unauthorized(message: string): SandboxHttpError {
  return new SandboxHttpError(401, 'unauthorized', message);
}

/**
 * Digests are compared, so the time taken says nothing about how much of the secret matched.
 * The sandbox's own secrets are digested once (a sandbox has two), the token once per request.
 */
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

const SECRET_DIGESTS = new Map<string, Buffer>();
function digestOf(secret: string): Buffer {
  let known = SECRET_DIGESTS.get(secret);
  if (known === undefined) {
    if (SECRET_DIGESTS.size > 64) SECRET_DIGESTS.clear();
    known = digest(secret);
    SECRET_DIGESTS.set(secret, known);
  }
  return known;
}
