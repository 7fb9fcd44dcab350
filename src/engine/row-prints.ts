/**
 * What each row of the file was when the check pass read it, for the import pass, which reads the
 * file again: a file saved in place while the import runs (an editor fixing a typo, `echo >>`)
 * must not have rows sent that nobody checked, nor lose the rows after the edit to a read out of
 * step with the file. 32 bits a row (FNV-1a over its cells): 4 MB for a million rows.
 */
export class RowPrints {
  private prints = new Uint32Array(1024);
  /** Rows the check pass read. */
  count = 0;

  add(cells: readonly string[]): void {
    if (this.count === this.prints.length) {
      const grown = new Uint32Array(this.prints.length * 2);
      grown.set(this.prints);
      this.prints = grown;
    }
    this.prints[this.count++] = printOf(cells);
  }

  /** Whether the `n`th row read (from 0) is the one the check pass read there. */
  matches(n: number, cells: readonly string[]): boolean {
    return n < this.count && this.prints[n] === printOf(cells);
  }
}

function printOf(cells: readonly string[]): number {
  let h = 0x811c9dc5;
  for (const cell of cells) {
    for (let i = 0; i < cell.length; i += 1) h = Math.imul(h ^ cell.charCodeAt(i), 0x01000193);
    // Between cells: "ab","c" is not "a","bc".
    h = Math.imul(h ^ 0x1f, 0x01000193);
  }
  return h >>> 0;
}
