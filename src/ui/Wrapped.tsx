import {Text, useStdout, type TextProps} from 'ink';
import wrapAnsi from 'wrap-ansi';

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

/** A quoted name to copy (--map phone_number="Phone 1 - Value", --sheet "Residents 2026"). */
const QUOTED = /(?:--[a-z-]+ )?(?:[a-z_]+=)?"[^"\n]{1,60}"/g;
const HELD = '\u00A0';

/**
 * `text` wrapped to `width` at spaces, never inside a short quoted name, which would copy back
 * with a line break in it; each line starts with its first word.
 */
export function wrapWords(text: string, width: number): string {
  // wrap-ansi breaks only at plain spaces: the spaces inside quotes are held together while it wraps.
  const held = text.includes('"') ? text.replace(QUOTED, (q) => q.replaceAll(' ', HELD)) : text;
  const wrapped = wrapAnsi(held, width, {trim: true, hard: true});
  return held === text ? wrapped : wrapped.replaceAll(HELD, ' ');
}