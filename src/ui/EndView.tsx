import {Box} from 'ink';
import {outcomeLines, type NextSteps, type Outcome} from '../report/outcome.js';
import {Lines} from './Lines.js';

/** The end: totals per status, failures by code, the results file, what to type next. */
export function EndView({outcome, next}: {outcome: Outcome; next: NextSteps}) {
  return (
    <Box marginTop={1}>
      <Lines lines={outcomeLines(outcome, next)} />
    </Box>
  );
}
