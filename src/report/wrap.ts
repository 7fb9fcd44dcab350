import wrapAnsi from 'wrap-ansi';

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