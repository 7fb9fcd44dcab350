import type {EventEmitter} from 'node:events';
import {render} from 'ink';
import type {ImportEvents} from '../engine/index.js';
import type {NextSteps, Outcome} from '../report/outcome.js';
import {PlainReporter} from '../report/plain.js';
import {App, type Stage} from '../ui/App.js';
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

/** How long the demo shows its plan before it goes on by itself. */
export const DEMO_CONFIRM_MS = 3000;

export function inkReporter(
  events: EventEmitter<ImportEvents>,
  io: {stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream; stdin: NodeJS.ReadStream; onInterrupt: () => void},
): Reporter {
  let stage: Stage = {name: 'working'};
  let answer: ((yes: boolean) => void) | undefined;
  const onAnswer = (yes: boolean): void => {
    const resolve = answer;
    answer = undefined;
    resolve?.(yes);
  };
  const tree = () => <App events={events} stage={stage} onAnswer={onAnswer} onInterrupt={io.onInterrupt} />;
  const instance = render(tree(), {
    stdout: io.stdout,
    stderr: io.stderr,
    stdin: io.stdin,
    // Raw mode turns Ctrl-C into a key press; the app hands it to the same abort as SIGINT.
    exitOnCtrlC: false,
    // Nothing in the run writes to the console (the engine only emits events), so there is nothing to patch.
    patchConsole: false,
  });
  // Asked for now: ink only resolves a waitUntilExit() that was pending when the app unmounted.
  const exited = instance.waitUntilExit();
  const set = (next: Stage): void => {
    stage = next;
    instance.rerender(tree());
  };

  return {
    confirm(question, {signal, demo}) {
      return new Promise<boolean>((resolve) => {
        const onAbort = (): void => {
          answer = undefined;
          resolve(false);
        };
        answer = (yes) => {
          signal.removeEventListener('abort', onAbort);
          set({name: 'working'});
          resolve(yes);
        };
        signal.addEventListener('abort', onAbort, {once: true});
        set(demo ? {name: 'confirm', question, autoConfirmMs: DEMO_CONFIRM_MS} : {name: 'confirm', question});
      });
    },
    stopping() {
      if (stage.name !== 'finished') set({name: 'working', stopping: true});
    },
    async finish(outcome, next) {
      set({name: 'finished', outcome, next});
      await exited;
    },
    abandon() {
      instance.unmount();
    },
  };
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
      plain.note('Stopping: no new requests are sent; finishing the requests in flight and writing the results. Press Ctrl-C again to quit at once.');
    },
    async finish(outcome, next) {
      plain.finish(outcome, next);
    },
    abandon() {
      plain.detach();
    },
  };
}
