import {createInterface} from 'node:readline';

/**
 * The y/N question on a plain terminal (`--no-tui`): asked on stderr, answered on stdin. No by
 * default; end of input or an abort (Ctrl-C) is no as well. `onInterrupt` gets the Ctrl-C that
 * readline catches on a TTY, so that it goes through the same abort as SIGINT.
 */
export async function askYesNo(
  question: string,
  {input, output, signal, onInterrupt}: {input: NodeJS.ReadableStream; output: NodeJS.WritableStream; signal: AbortSignal; onInterrupt: () => void},
): Promise<boolean> {
  if (await typedAhead(input, onInterrupt)) return false;
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
    // End of input (Ctrl-D): the answer's line ends here, not under what is said next.
    rl.on('close', () => {
      if (!settled) output.write('\n');
      settle(false);
    });
    signal.addEventListener('abort', onAbort, {once: true});
    if (signal.aborted) {
      settle(false);
      return;
    }
    rl.question(`${question} [y/N] `, (answer) => settle(/^\s*y(es)?\s*$/i.test(answer)));
  });
}

/** How long keys already typed take to arrive once the terminal is read: they are waiting in its buffer. */
const TYPEAHEAD_MS = 50;

/**
 * Keys typed before the question was shown ("yes" and Enter pressed while the file was checked,
 * a pasted block of commands) are thrown away, as the terminal UI does: they answered a question
 * nobody had seen (a 60,000-row import started on a "yes" typed before the plan). A Ctrl-C among
 * them still interrupts: true then. On a terminal only; piped answers are read as they come.
 */
async function typedAhead(input: NodeJS.ReadableStream, onInterrupt: () => void): Promise<boolean> {
  const tty = input as NodeJS.ReadStream;
  if (tty.isTTY !== true || typeof tty.setRawMode !== 'function') return false;
  let interrupted = false;
  const drop = (chunk: Buffer | string): void => {
    if (String(chunk).includes('\u0003')) interrupted = true;
  };
  const wasRaw = tty.isRaw;
  tty.setRawMode(true);
  tty.on('data', drop);
  tty.resume();
  await new Promise((resolve) => setTimeout(resolve, TYPEAHEAD_MS));
  tty.off('data', drop);
  tty.pause();
  tty.setRawMode(wasRaw);
  if (interrupted) onInterrupt();
  return interrupted;
}
