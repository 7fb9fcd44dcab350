import type {EventEmitter} from 'node:events';
import {useCallback, useEffect, useRef} from 'react';
import {Box, Static, Text, useApp, useInput, useStdin} from 'ink';
import {Wrapped} from './Wrapped.js';
import type {CheckProgress, ImportEvents, Plan, RowOutcome, SourceEvent} from '../engine/index.js';
import {outcomeText, sourceLines} from '../report/format.js';
import type {NextSteps, Outcome} from '../report/outcome.js';
import {ConfirmPrompt} from './ConfirmPrompt.js';
import {EndView} from './EndView.js';
import {Lines} from './Lines.js';
import {ImportingView} from './ImportingView.js';
import {PlanView} from './PlanView.js';
import {ReadingView} from './ReadingView.js';
import {useImportEvents} from './use-import-events.js';

/** Where the CLI's flow is; the CLI re-renders the app with the next stage. */
export type Stage =
  /** prepare() or execute() is running; `stopping` after the first Ctrl-C. */
  | {name: 'working'; stopping?: boolean}
  /** The plan is shown and the CLI waits for y/N. */
  | {name: 'confirm'; question: string; autoConfirmMs?: number}
  /** The end: the app draws it, then unmounts (the single exit site). */
  | {name: 'finished'; outcome: Outcome; next: NextSteps};

export interface AppProps {
  events: EventEmitter<ImportEvents>;
  stage: Stage;
  /** The answer to the confirmation. */
  onAnswer?: (yes: boolean) => void;
  /** Ctrl-C as a key press (raw mode swallows the signal); the CLI treats it as SIGINT. */
  onInterrupt?: () => void;
  /** @default 250 */
  throttleMs?: number;
  now?: () => number;
}

type StaticItem =
  | {key: string; kind: 'source'; source: SourceEvent}
  | {key: string; kind: 'checked'; check: CheckProgress | undefined}
  | {key: string; kind: 'plan'; plan: Plan; warnings: readonly string[]}
  | {key: string; kind: 'failure'; outcome: RowOutcome}
  | {key: string; kind: 'end'; outcome: Outcome; next: NextSteps; overflow: number; warnings: readonly string[]};

/**
 * The terminal UI. It only listens: the engine's events through `useImportEvents`, the CLI's
 * stage through props. Finished sections and failed rows go to `<Static>` (printed once, above);
 * the live area below stays small so redraws are cheap.
 */
export function App({events, stage, onAnswer, onInterrupt, throttleMs, now}: AppProps) {
  const view = useImportEvents(events, {throttleMs, now});
  const {isRawModeSupported} = useStdin();
  const finished = stage.name === 'finished';

  const autoConfirm = useCallback(() => onAnswer?.(true), [onAnswer]);
  useInput(
    (input, key) => {
      // Presses that arrive in one read (the process was busy a moment) come as one input "\x03\x03": each is an interrupt.
      const presses = key.ctrl && input === 'c' ? 1 : input.split('\u0003').length - 1;
      if (presses > 0) {
        for (let i = 0; i < presses; i += 1) onInterrupt?.();
        return;
      }
      if (stage.name !== 'confirm') return;
      // Typed ahead, pasted or sent by a script, "y" and Enter come in one read ("y\r"): the first key answers.
      const first = input.charAt(0);
      if (first === 'y' || first === 'Y') onAnswer?.(true);
      else if (first === 'n' || first === 'N' || key.escape) onAnswer?.(false);
      // Enter takes the default: no, except in the demo's countdown.
      else if (key.return) onAnswer?.(stage.autoConfirmMs !== undefined);
    },
    {isActive: isRawModeSupported && !finished},
  );

  // The plan goes above as soon as it is known, with the warnings so far: the live area below
  // keeps only what changes (the question, the progress), so it stays shorter than the window.
  // Taller than the window, Ink clears the whole screen and its scrollback on every redraw.
  const readingDone = view.plan !== undefined;
  const planDone = view.plan !== undefined;
  const warningsAbove = useRef<number | undefined>(undefined);
  if (planDone && warningsAbove.current === undefined) warningsAbove.current = view.warnings.length;
  const liveWarnings = view.warnings.slice(warningsAbove.current ?? 0);

  // What no longer changes goes above, printed once: the file's description as soon as it is
  // known, and at the end the summary. Left in the live area, a part taller than the window made
  // Ink clear the screen and the terminal's scrollback (a 10-row window while looking up; any
  // window shorter than the summary at the end, which also lost its last line ending).
  const items: StaticItem[] = [];
  if (view.source !== undefined) items.push({key: 'source', kind: 'source', source: view.source});
  if (readingDone) items.push({key: 'checked', kind: 'checked', check: view.check});
  const overflow = view.failureCount - view.failures.length;
  if (planDone && view.plan !== undefined) {
    items.push({key: 'plan', kind: 'plan', plan: view.plan, warnings: view.warnings.slice(0, warningsAbove.current)});
    // Only after the plan, so that the list only ever grows at its end.
    for (const outcome of view.failures) items.push({key: `row-${outcome.row}`, kind: 'failure', outcome});
  }
  // The warnings said while sending go above with it, before it (as the plain output has them), not below the summary.
  if (finished) items.push({key: 'end', kind: 'end', outcome: stage.outcome, next: stage.next, overflow, warnings: liveWarnings});
  // A dry run writes its results after the check, with nothing sent: no "Starting to send…" then.
  const writingOnly = view.phase === 'writing' && view.progress === undefined;
  const importing = view.phase === 'importing' || (view.phase === 'writing' && !writingOnly);

  return (
    <>
      <Static items={items}>{(item) => <StaticBlock key={item.key} item={item} />}</Static>
      <Box flexDirection="column">
        {!readingDone && !finished && <ReadingView waiting={view.source === undefined} check={view.check} phase={view.phase} complete={false} listed={view.listed} />}
        {!planDone && view.plan !== undefined && <PlanView plan={view.plan} />}
        {stage.name === 'confirm' && (
          <ConfirmPrompt question={stage.question} autoConfirmMs={stage.autoConfirmMs} onAutoConfirm={autoConfirm} />
        )}
        {importing && !finished && (
          <ImportingView
            progress={view.progress}
            pausedUntil={view.pausedUntil}
            now={view.now}
            retries={view.retries}
            latestFailures={view.latestFailures}
            overflowFailures={overflow}
            stopping={stage.name === 'working' && stage.stopping === true}
          />
        )}
        {writingOnly && !finished && <Text>Writing the results…</Text>}
        {!importing && !finished && stage.name === 'working' && stage.stopping === true && (
          <Text color="yellow">Stopping… (Ctrl-C again quits at once)</Text>
        )}
        {!finished && liveWarnings.map((warning, i) => (
          // eslint-disable-next-line react/no-array-index-key
          <Wrapped key={i} color="yellow">{`Warning: ${warning}`}</Wrapped>
        ))}
      </Box>
      <ExitWhen done={finished} />
    </>
  );
}

function StaticBlock({item}: {item: StaticItem}) {
  switch (item.kind) {
    case 'source':
      return <Lines lines={sourceLines(item.source)} />;
    case 'checked':
      return <ReadingView check={item.check} phase={undefined} complete />;
    case 'end':
      return (
        <Box flexDirection="column">
          {item.warnings.map((warning, i) => (
            // eslint-disable-next-line react/no-array-index-key
            <Wrapped key={i} color="yellow">{`Warning: ${warning}`}</Wrapped>
          ))}
          {item.overflow > 0 && <Text color="red">… and {item.overflow} more failed rows: see the results file.</Text>}
          <EndView outcome={item.outcome} next={item.next} />
        </Box>
      );
    case 'plan':
      return (
        <Box flexDirection="column">
          {item.warnings.map((warning, i) => (
            // One blank line after each warning: each stands apart, and the last from the plan.
            // eslint-disable-next-line react/no-array-index-key
            <Box key={i} marginBottom={1}>
              <Wrapped color="yellow">{`Warning: ${warning}`}</Wrapped>
            </Box>
          ))}
          <PlanView plan={item.plan} />
        </Box>
      );
    case 'failure':
      return (
        <Wrapped color="red">{`✗ ${outcomeText(item.outcome)}`}</Wrapped>
      );
  }
}

/**
 * The one `exit()` of the app (Shopify cli-kit's InkLifecycleRoot): it runs after React has
 * drawn the final stage, so the end screen is on the terminal before the app unmounts and the
 * CLI's `waitUntilExit()` resolves.
 */
function ExitWhen({done}: {done: boolean}) {
  const {exit} = useApp();
  useEffect(() => {
    if (done) exit();
  }, [done, exit]);
  return null;
}
