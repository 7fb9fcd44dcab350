/**
 * Phone numbers in E.164 that the check pass found, by row, for the import pass: the phone
 * library is the costliest step of a row (about 3.4 µs with the build's edits, more than
 * csv-parse's whole row), and the import pass reads the same file again. Bounded (rows past
 * `limit` are parsed again), and an answer is used only for the same text it was found for.
 */
export class PhoneMemo {
  private readonly answers: (string | undefined)[] = [];
  private readonly hashes: Uint32Array;

  constructor(readonly limit = 100_000) {
    this.hashes = new Uint32Array(limit);
  }

  remember(row: number, text: string, e164: string): void {
    if (row < 0 || row >= this.limit) return;
    this.answers[row] = e164;
    this.hashes[row] = hash32(text);
  }

  /** The answer for this row and text, once: it is let go as it is handed out. */
  recall(row: number, text: string): string | undefined {
    if (row < 0 || row >= this.limit) return undefined;
    const answer = this.answers[row];
    if (answer === undefined || this.hashes[row] !== hash32(text)) return undefined;
    this.answers[row] = undefined;
    return answer;
  }
}

/** FNV-1a over UTF-16 code units. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
