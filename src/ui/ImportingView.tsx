import {Box, Text, useStdout} from 'ink';
import {Wrapped} from './Wrapped.js';

/** Fewer rows than this, the latest failed rows are not listed in the live area (only counted). */
const SHORT_WINDOW = 20;
import type {Progress, RowOutcome} from '../engine/index.js';
import {answered, formatCount, formatEta, formatRate, outcomeText, pauseSecondsLeft, plural} from '../report/format.js';

export interface ImportingViewProps {
  progress: Progress | undefined;
  /** Epoch ms until which every worker waits after a 429. */
  pausedUntil: number;
  now: number;
  retries: number;
  /** Shown live only once the permanent list above is full. */
  latestFailures: readonly RowOutcome[];
  overflowFailures: number;
  /** After the first Ctrl-C. */
  stopping: boolean;
  /** @default 30 */
  barWidth?: number;
}

const STATUS_COLORS = [
  ['created', 'green'],
  ['existing', 'green'],
  ['failed', 'red'],
  ['skipped', 'yellow'],
] as const;

export function ProgressBar({done, total, width}: {done: number; total: number; width: number}) {
  const ratio = total === 0 ? 1 : Math.min(1, done / total);
  // Floor: the bar is full only when every row is done.
  const filled = Math.floor(ratio * width);
  return (
    <Text>
      <Text color="green">{'█'.repeat(filled)}</Text>
      <Text dimColor>{'░'.repeat(width - filled)}</Text>
    </Text>
  );
}

/** Sending: how far, how fast, whether Seam is pushing back, what failed lately. */
export function ImportingView(props: ImportingViewProps) {
  const {progress: p, pausedUntil, now, retries, latestFailures, overflowFailures, stopping} = props;
  const {stdout} = useStdout();
  if (p === undefined) return <Text>Starting to send…</Text>;
  const done = answered(p);
  const pct = p.toSend === 0 ? 100 : Math.floor((done / p.toSend) * 100);
  const figures = ` ${formatCount(done)}/${formatCount(p.toSend)} ${pct}%`;
  // 30 wide, narrower on a narrow terminal: "Importing ", the bar and the figures on one line.
  const columns = stdout.columns > 0 ? stdout.columns : 80;
  const rows = stdout.rows > 0 ? stdout.rows : 24;
  const barWidth = props.barWidth ?? Math.max(5, Math.min(30, columns - 'Importing '.length - figures.length - 1));
  const pause = pauseSecondsLeft(Math.max(pausedUntil, p.pausedUntil), now);
  const counts = STATUS_COLORS.filter(([status]) => p.counts[status] > 0);
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>Importing </Text>
        <ProgressBar done={done} total={p.toSend} width={barWidth} />
        <Text>{figures}</Text>
      </Text>
      <Box paddingLeft={2} flexDirection="column">
        <Text>
          {counts.length === 0
            ? 'no answers yet'
            : counts.map(([status, color], i) => (
                <Text key={status}>
                  {i > 0 ? ' · ' : ''}
                  <Text color={color}>{status}</Text> {formatCount(p.counts[status])}
                </Text>
              ))}
        </Text>
        <Wrapped dimColor inset={2}>
          {`${formatRate(p.rowsPerSecond)} rows/s · ETA ${p.etaSeconds === undefined ? '…' : formatEta(p.etaSeconds)} · ${p.inFlight} in flight · concurrency ${p.concurrency}/${p.maxConcurrency} · ${plural(retries, 'retry', 'retries')}${p.rateLimited > 0 ? ` · ${formatCount(p.rateLimited)} rate-limited` : ''}`}
        </Wrapped>
        {pause > 0 && <Text color="yellow">rate limited — resuming in {pause}s</Text>}
        {overflowFailures > 0 && (
          <Box flexDirection="column">
            <Wrapped color="red" inset={2}>{`${plural(overflowFailures, 'failed row')} more than listed above (all are in the results file); the latest:`}</Wrapped>
            {/* One line each, cut at the window's edge (they are whole above and in the results file), and
                none in a short window: taller than the window, the live area pushed the progress off the top
                and made Ink clear the screen and its scrollback on every redraw. */}
            {rows >= SHORT_WINDOW &&
              latestFailures.map((f) => (
                <Box key={f.row} paddingLeft={2}>
                  <Text color="red" wrap="truncate-end">{`✗ ${outcomeText(f)}`}</Text>
                </Box>
              ))}
          </Box>
        )}
        {stopping ? (
          <Wrapped color="yellow" inset={2}>
            {`Stopping: ${stoppingWork(p)}. Ctrl-C again quits now.`}
          </Wrapped>
        ) : (
          <Wrapped dimColor inset={2}>
            Ctrl-C stops sending, finishes the requests in flight and writes the results.
          </Wrapped>
        )}
      </Box>
    </Box>
  );
}

/**
 * What a stopping run still waits for. Between tries no request is in flight, yet rows whose answer
 * did not come are still looked up (Seam down: a few tries each): "writing the results" said the
 * run was all but done while it waited half a minute.
 */
export function stoppingWork(p: Pick<Progress, 'inFlight' | 'unsettled'>): string {
  if (p.inFlight > 0) return `finishing the ${plural(p.inFlight, 'request')} in flight, then writing the results`;
  if ((p.unsettled ?? 0) > 0) return `checking ${plural(p.unsettled ?? 0, 'row')} whose answer did not come (Seam is asked again, a few tries), then writing the results`;
  return 'writing the results';
}
