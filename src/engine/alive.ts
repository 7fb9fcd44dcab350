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

/** A file of /proc/<pid>/ (Linux); undefined elsewhere, or when it cannot be read. */
function procFile(pid: number, name: 'stat' | 'cmdline' | 'status'): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${name}`, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * /proc/<pid>/stat's fields after the command's closing parenthesis (Linux): the state (field 3)
 * first; undefined elsewhere, or when it cannot be read.
 */
function statFields(pid: number): string[] | undefined {
  const stat = procFile(pid, 'stat');
  return stat === undefined ? undefined : stat.slice(stat.lastIndexOf(')') + 1).trim().split(/\s+/);
}

/** On Linux, a process in state Z is a zombie. Elsewhere: not known, so no. */
function isZombie(pid: number): boolean {
  return statFields(pid)?.[0] === 'Z';
}

/**
 * When the process started, in clock ticks after boot (Linux: /proc/<pid>/stat's 22nd field);
 * undefined elsewhere. With its id it names one process: an id is used again by a later process
 * (after a reboot, or once the ids wrap), its start time is not.
 */
export function startTimeOf(pid: number): string | undefined {
  // State (field 3) … start time (field 22).
  const started = statFields(pid)?.[19];
  return started !== undefined && /^\d+$/.test(started) ? started : undefined;
}

/**
 * Whether a running process may be a seam-import: on Linux, its command line names node (or
 * seam-import); elsewhere not known, so yes. After a crash and a reboot a stale lock's process id
 * belonged to another program (init, a shell), and the run was refused as "another seam-import".
 */
export function maybeSeamImport(pid: number): boolean {
  const cmdline = procFile(pid, 'cmdline');
  if (cmdline === undefined) return true;
  // Empty for a kernel thread (a kworker after a reboot: no program at all), and for a process
  // that hides it, which is not ours to judge.
  if (cmdline === '') return !isKernelThread(pid);
  return /node|seam-import|cli\.js/i.test(cmdline);
}

/** Linux marks kernel threads "Kthread: 1" (since 6.0); before, their parent is kthreadd (2), or none (0). */
function isKernelThread(pid: number): boolean {
  const status = procFile(pid, 'status');
  return status !== undefined && (/^Kthread:\s*1$/m.test(status) || /^PPid:\s*[02]$/m.test(status));
}
