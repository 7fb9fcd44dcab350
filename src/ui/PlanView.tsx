import {Box} from 'ink';
import type {Plan} from '../engine/index.js';
import {planLines} from '../report/format.js';
import {Lines} from './Lines.js';

/** What will happen before anything is written: to create, existing, conflicts, invalid, … */
export function PlanView({plan}: {plan: Plan}) {
  return (
    <Box marginBottom={1}>
      <Lines lines={planLines(plan)} />
    </Box>
  );
}
