import type {EventEmitter} from 'node:events';
import type {ImportEvents} from '../engine/index.js';
import type {NextSteps, Outcome} from '../report/outcome.js';
import {PlainReporter} from '../report/plain.js';
import {askYesNo} from './confirm.js';

/** What the CLI's flow needs from either reporter. Both only listen to the engine's events. */
export interface Reporter {
  /** y/N after the plan; false when declined or when the signal aborts. */
  confirm(question: string, options: {signal: AbortSignal; demo: boolean}): Promise<boolean>;
  /** After the first Ctrl-C. */
  stopping(): void;
  /** The end screen; resolves once it is on the terminal (and the Ink app has unmounted). */
  finish(outcome: Outcome, next: NextSteps): Promise<void>;
  /** The second Ctrl-C: give the terminal back now. */
  abandon(): void;
}

export function plainReporter(
  events: EventEmitter<ImportEvents>,
  io: {write: (text: string) => void; stdin: NodeJS.ReadStream; stderr: NodeJS.WritableStream; onInterrupt: () => void; intervalMs?: number},
): Reporter {
  const plain = new PlainReporter(events, {write: io.write, intervalMs: io.intervalMs});
  return {
    async confirm(question, {signal, demo}) {
      if (demo) {
        plain.note(`${question} yes (the demo goes on by itself)`);
        return true;
      }
      const yes = await askYesNo(question, {input: io.stdin, output: io.stderr, signal, onInterrupt: io.onInterrupt});
      return yes;
    },
    stopping() {
      plain.note(
        plain.sending
          ? 'Stopping: no new requests are sent; finishing the requests in flight (and looking up rows whose answer did not come), then writing the results. Press Ctrl-C again to quit at once.'
          : 'Stopping: nothing has been sent in this attempt. Press Ctrl-C again to quit at once.',
      );
    },
    async finish(outcome, next) {
      plain.finish(outcome, next);
    },
    abandon() {
      plain.detach();
    },
  };
}
