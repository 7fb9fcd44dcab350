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

/**
 * Lines past `width` (an 80-column terminal wrapped them mid-word) broken at spaces, each
 * continuation under the start of the description ("  --rate <n>   most requests…"). Commands
 * (the examples) are left whole: a wrapped command cannot be pasted.
 */
export function wrapHelp(text: string, width = 80): string {
  // A description written on several lines (deeply indented) is one paragraph, wrapped anew.
  const joined: string[] = [];
  for (const line of text.split('\n')) {
    const previous = /^(\s*\S.*?\s{2,})\S/.exec(joined[joined.length - 1] ?? '');
    const indent = line.length - line.trimStart().length;
    if (previous && line.trim() !== '' && indent === previous[1]!.length) joined[joined.length - 1] += ` ${line.trim()}`;
    else joined.push(line);
  }
  return joined
    .flatMap((line) => {
      if (line.length <= width) return [line];
      const columns = /^(\s*\S.*?\s{2,})(\S.*)$/.exec(line);
      if (!columns && /^\s*(?:#|seam-import\b|SEAM_)/.test(line)) return [line];
      const indent = columns ? columns[1]!.length : line.length - line.trimStart().length;
      const out: string[] = [];
      let current = columns ? columns[1]! : ' '.repeat(indent);
      for (const word of (columns ? columns[2]! : line.trimStart()).split(' ')) {
        if (current.trim() !== '' && current.length + (current.endsWith(' ') ? 0 : 1) + word.length > width && current.length > indent) {
          out.push(current.trimEnd());
          current = ' '.repeat(indent);
        }
        current += current.endsWith(' ') ? word : ` ${word}`;
      }
      out.push(current.trimEnd());
      return out;
    })
    .join('\n');
}
