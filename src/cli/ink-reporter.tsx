import type {EventEmitter} from 'node:events';
import {render} from 'ink';
import type {ImportEvents} from '../engine/index.js';
import type {NextSteps, Outcome} from '../report/outcome.js';
import {App, type Stage} from '../ui/App.js';
import {askYesNo} from './confirm.js';
import type {Reporter} from './reporters.js';

// Its own module, loaded only when the UI is drawn: Ink and React take seconds to load on a
// small machine, which a piped or CI run (and --version) should not pay.

/** How long the demo shows its plan before it goes on by itself. */
export const DEMO_CONFIRM_MS = 3000;

/** Used when a terminal reports no size (0×0: `docker exec -t`, `script` without a terminal). */
const FALLBACK_COLUMNS = 80;

/**
 * A terminal that says it is 0 columns wide (Ink then put one character on each line and split
 * escape codes) is drawn 80 wide, now and after each resize that reports 0 again.
 */
export function keepWidth(stdout: NodeJS.WriteStream): void {
  const fix = (): void => {
    if (!(stdout.columns > 0)) stdout.columns = FALLBACK_COLUMNS;
  };
  fix();
  stdout.prependListener('resize', fix);
}

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
  keepWidth(io.stdout);
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

