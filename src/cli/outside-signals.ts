import {closeSync} from 'node:fs';

/** The part of `process` the guard uses (a stand-in in tests). */
export interface SignalTarget {
  on(signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP', listener: (signal: NodeJS.Signals) => void): unknown;
  listenerCount(signal: string): number;
  exit(code: number): void;
}

/**
 * Ctrl-C, SIGTERM or SIGHUP outside the run's own handlers. While the process starts (before
 * the run's handlers exist, nothing sent yet) it ends the process as the default would, but
 * says so; once the run has ended (`end()`), the exit code the run chose stands (a late SIGTERM
 * made it 143).
 *
 * SIGHUP (the terminal closed) is remembered: Node 20 restores the terminal's settings as it
 * exits and aborts when it cannot (node::ResetStdio asserts on EIO), so the run's exit code was
 * lost to a crash after its results were written. `exit()` lets the terminal go first.
 */
export function guardOutsideSignals(
  target: SignalTarget,
  write: (text: string) => void,
  closeTerminal: () => void = closeStdio,
  /** With --json: the one JSON object stdout owes its reader, also for a Ctrl-C while starting. */
  writeJson?: (line: string) => void,
): {end(): void; exit(code: number): void} {
  let ended = false;
  let hungUp = false;
  const exit = (code: number): void => {
    if (hungUp) closeTerminal();
    target.exit(code);
  };
  const outside = (signal: NodeJS.Signals): void => {
    if (signal === 'SIGHUP') hungUp = true;
    if (ended || target.listenerCount(signal) > 1) return;
    // Nobody reads a closed terminal; said anyway for SIGINT and SIGTERM.
    if (signal !== 'SIGHUP') write('\nStopped before anything was sent to Seam.\n');
    const code = signal === 'SIGHUP' ? 129 : 130;
    writeJson?.(`${JSON.stringify({ok: false, exitCode: code, interrupted: true, message: 'Stopped before anything was sent to Seam.'})}\n`);
    exit(code);
  };
  target.on('SIGINT', outside);
  target.on('SIGTERM', outside);
  target.on('SIGHUP', outside);
  return {
    end() {
      ended = true;
    },
    exit,
  };
}

/** Standard input, output and error let go, so that nothing tries to restore a terminal that is gone. */
function closeStdio(): void {
  for (const fd of [0, 1, 2]) {
    try {
      closeSync(fd);
    } catch {
      // Already closed.
    }
  }
}
