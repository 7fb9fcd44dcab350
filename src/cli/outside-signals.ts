/** The part of `process` the guard uses (a stand-in in tests). */
export interface SignalTarget {
  on(signal: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown;
  listenerCount(signal: string): number;
  exit(code: number): void;
}

/**
 * Ctrl-C or SIGTERM outside the run's own handlers. While the process starts (before the run's
 * handlers exist, nothing sent yet) it ends the process as the default would, but says so; once
 * the run has ended (`end()`), the exit code the run chose stands (a late SIGTERM made it 143).
 */
export function guardOutsideSignals(target: SignalTarget, write: (text: string) => void): {end(): void} {
  let ended = false;
  const outside = (signal: NodeJS.Signals): void => {
    if (ended || target.listenerCount(signal) > 1) return;
    write('\nStopped before anything was sent to Seam.\n');
    target.exit(130);
  };
  target.on('SIGINT', outside);
  target.on('SIGTERM', outside);
  return {
    end() {
      ended = true;
    },
  };
}
