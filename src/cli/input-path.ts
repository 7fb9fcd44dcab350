import {statSync, type Stats} from 'node:fs';

/**
 * The input must be a file that can be read again: it is read twice in a run (checked, then
 * imported), a resumed run reads it once more, and the run record holds its path. Standard
 * input and pipes can be read only once, so they are refused here, before anything starts;
 * otherwise the engine's first read says "File not found: -" or "ESPIPE".
 */

/** Names of standard input; `/dev/stdin` redirected from a file opens, but a resume would not find it. */
const STDIN_NAMES = new Set(['/dev/stdin', '/dev/fd/0', '/proc/self/fd/0']);

const WHY =
  'the spreadsheet is read more than once (checked, then imported) and --resume reads it again. ' +
  'Save it to a file first (e.g. `… > people.csv`) and import that file.';

/** Why `path` cannot be the input, or undefined when it may be (a missing file is the engine's to report). */
export function inputPathProblem(path: string, stat: (path: string) => Stats = statSync): string | undefined {
  if (path === '-') return `Reading from standard input ("-") is not supported: ${WHY}`;
  if (STDIN_NAMES.has(path)) return `Reading from standard input (${path}) is not supported: ${WHY}`;
  let stats: Stats;
  try {
    stats = stat(path);
  } catch {
    return undefined;
  }
  if (stats.isFIFO()) return `${path} is a pipe, not a file, and reading from a pipe is not supported: ${WHY}`;
  if (stats.isSocket()) return `${path} is a socket, not a file, and reading from a socket is not supported: ${WHY}`;
  if (stats.isCharacterDevice()) return `${path} is a device (a terminal, /dev/null or the like), not a file: ${WHY}`;
  return undefined;
}
