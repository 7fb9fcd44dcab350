/**
 * Physical lines, as an editor numbers them (LF, CRLF and CR each end one), counted over text or
 * bytes that arrive in pieces: for naming the line of a NUL on the way to refusing a file.
 */
export class LineCounter {
  line = 1;
  private afterCR = false;

  /** Counts the line ends in `piece` before `end` (all of it by default). */
  add(piece: string | Buffer, end = piece.length): void {
    for (let i = 0; i < end; i++) {
      const c = typeof piece === 'string' ? piece.charCodeAt(i) : piece[i];
      if (c === 10) {
        if (!this.afterCR) this.line++;
      } else if (c === 13) this.line++;
      this.afterCR = c === 13;
    }
  }
}

/** "NUL bytes, the first on line 3,001" (or characters, for a UTF-16 file's text). */
export function firstNulText(what: 'bytes' | 'characters', line: number | undefined, byte?: number): string {
  const where = line === undefined ? '' : `, the first on line ${line.toLocaleString('en-US')}${byte === undefined ? '' : `, at byte ${byte.toLocaleString('en-US')}`}`;
  return `it contains NUL ${what}${where}`;
}
