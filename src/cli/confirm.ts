import {createInterface} from 'node:readline';

/**
 * The y/N question on a plain terminal (`--no-tui`): asked on stderr, answered on stdin. No by
 * default; end of input or an abort (Ctrl-C) is no as well. `onInterrupt` gets the Ctrl-C that
 * readline catches on a TTY, so that it goes through the same abort as SIGINT.
 */
export function askYesNo(
  question: string,
  {input, output, signal, onInterrupt}: {input: NodeJS.ReadableStream; output: NodeJS.WritableStream; signal: AbortSignal; onInterrupt: () => void},
): Promise<boolean> {
  return new Promise((resolve) => {
    const rl = createInterface({input, output});
    let settled = false;
    const settle = (yes: boolean): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      rl.close();
      resolve(yes);
    };
    const onAbort = (): void => {
      output.write('\n');
      settle(false);
    };
    rl.on('SIGINT', onInterrupt);
    rl.on('close', () => settle(false));
    signal.addEventListener('abort', onAbort, {once: true});
    if (signal.aborted) {
      settle(false);
      return;
    }
    rl.question(`${question} [y/N] `, (answer) => settle(/^\s*y(es)?\s*$/i.test(answer)));
  });
}
