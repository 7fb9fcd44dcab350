/**
 * The rows a warning names: the first few of them, and how many there were in all
 * ("import_row 3, 5, 9, …").
 */
export class RowSample {
  count = 0;
  readonly rows: number[] = [];

  constructor(private readonly keep = 5) {}

  /** Keeps the lowest rows, in order: the import pass finishes rows out of order ("import_row 1, 16, 20, 9, 11"). */
  add(row: number): void {
    this.count += 1;
    if (this.rows.length < this.keep) {
      this.rows.push(row);
    } else {
      const highest = this.rows.length - 1;
      if (highest < 0 || row >= this.rows[highest]!) return;
      this.rows[highest] = row;
    }
    this.rows.sort((a, b) => a - b);
  }

  /** "import_row 3, 5, 9, …" (the ellipsis when more rows were seen than are named). */
  get list(): string {
    return `import_row ${this.rows.join(', ')}${this.count > this.rows.length ? ', …' : ''}`;
  }

  /** "one row (import_row 3)" or "12 rows (import_row 3, 5, 9, …)"; `of`: "12 of 40 rows". */
  rowsText(of?: number): string {
    return this.count === 1 ? `one row (${this.list})` : `${this.count}${of === undefined ? '' : ` of ${of}`} rows (${this.list})`;
  }
}
