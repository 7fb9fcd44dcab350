import {readFileSync} from 'node:fs';

/**
 * Whether a process with this id is running (on this machine; EPERM means it is, as another
 * user). A zombie (exited, not yet reaped: a killed run in a container without an init, where
 * nothing ever reaps it) is not: its lock refused every retry as "another run writing right now".
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/** On Linux, /proc/<pid>/stat gives the state after the command's closing parenthesis; Z is a zombie. Elsewhere: not known, so no. */
function isZombie(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  return /^\s*Z\b/.test(stat.slice(stat.lastIndexOf(')') + 1));
}
