import {Text, useStdout, type TextProps} from 'ink';
import {wrapWords} from '../report/wrap.js';

/** Ink's own fallback when a terminal says it is 0 columns wide (ink-reporter sets the same). */
const FALLBACK_COLUMNS = 80;

/**
 * Text wrapped at word boundaries to the terminal, `inset` columns in (an indent, a label).
 * Ink wraps with the space it breaks at kept at the start of the next line, so wrapped lines
 * began one column off; wrapped here first (each line fits), Ink leaves the lines as they are.
 */
export function Wrapped({children, inset = 0, ...props}: Omit<TextProps, 'children' | 'wrap'> & {children: string; inset?: number}) {
  const {stdout} = useStdout();
  const columns = stdout.columns > 0 ? stdout.columns : FALLBACK_COLUMNS;
  const width = Math.max(10, columns - inset);
  return <Text {...props}>{wrapWords(children, width)}</Text>;
}
