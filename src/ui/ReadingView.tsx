import {Box, Text} from 'ink';
import {Wrapped} from './Wrapped.js';
import type {CheckProgress, Phase, SourceEvent} from '../engine/index.js';
import {checkSummary, formatCount, plural, sourceLines} from '../report/format.js';
import {Lines} from './Lines.js';

const SAMPLES = 5;

export interface ReadingViewProps {
  /** The file's description; the app prints it above on its own, once, and leaves this out. */
  source?: SourceEvent | undefined;
  /** The file is not described yet. */
  waiting?: boolean;
  check: CheckProgress | undefined;
  phase: Phase | undefined;
  /** True once checking is over: show totals and the first few reasons, not a live count. */
  complete: boolean;
  /** The workspace's identities listed so far. */
  listed?: number | undefined;
}

/** Reading and checking: what the file is, how far the check is, and at its end what is wrong with it. */
export function ReadingView({source, waiting = false, check, phase, complete, listed}: ReadingViewProps) {
  return (
    <Box flexDirection="column" marginBottom={1}>
      {waiting && <Text>Reading…</Text>}
      {source !== undefined && <Lines lines={sourceLines(source)} />}
      {check !== undefined && !complete && (
        <Text>
          Checking: {plural(check.rowsRead, 'row')} read · {formatCount(check.invalid)} invalid ·{' '}
          {plural(check.duplicate, 'duplicate')}
        </Text>
      )}
      {phase === 'preflight' && !complete && (
        <Text dimColor>Looking up what the workspace already has…{listed !== undefined && listed > 0 ? ` ${plural(listed, 'identity', 'identities')} listed so far` : ''}</Text>
      )}
      {check !== undefined && complete && <CheckResult check={check} />}
    </Box>
  );
}

function CheckResult({check}: {check: CheckProgress}) {
  const shown = check.samples.slice(0, SAMPLES);
  const more = check.invalid + check.duplicate - shown.length;
  const clean = check.invalid + check.duplicate === 0;
  return (
    <Box flexDirection="column">
      <Text color={clean ? 'green' : 'yellow'}>{checkSummary(check)}</Text>
      {shown.map((sample) => (
        // One Text per sample: Ink wraps a lone Text to the terminal, but not one beside a label box.
        <Box key={sample.row} paddingLeft={2}>
          <Wrapped inset={2}>{`row ${sample.row} ${sample.code ?? sample.status}${sample.message === undefined ? '' : `: ${sample.message}`}`}</Wrapped>
        </Box>
      ))}
      {more > 0 && (
        <Box paddingLeft={2}>
          <Text dimColor>… and {formatCount(more)} more in the results file</Text>
        </Box>
      )}
    </Box>
  );
}
