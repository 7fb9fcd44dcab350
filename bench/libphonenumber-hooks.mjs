// A module hook (node:module register) that loads libphonenumber-js with the edits the command
// is built with (scripts/libphonenumber-speedups.mjs), for benchmarks that import tsc's per-file
// modules from dist/ rather than the bundle: their phone figures are then the command's own.
import {fileURLToPath} from 'node:url';
import {speedUpLibphonenumber} from '../scripts/libphonenumber-speedups.mjs';

export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  if (!url.startsWith('file:') || !url.includes('libphonenumber-js') || result.source == null) return result;
  const source = typeof result.source === 'string' ? result.source : Buffer.from(result.source).toString('utf8');
  const patched = speedUpLibphonenumber(fileURLToPath(url), source);
  return patched === undefined ? result : {...result, source: patched};
}
