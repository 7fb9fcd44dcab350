/**
 * Names written "Last, First" ("Johnson, Harper"), as rent rolls and directory reports list them.
 * They are sent as written (a comma may belong to the name: "Ortiz, Jr., Ramon", "Acme, Inc."),
 * and Seam would show "Johnson, Harper": the check pass counts them and warns before anything is
 * sent, so that the operator can split the column first.
 */
const LAST_FIRST = /^[\p{L}][\p{L}\p{M}'’.-]*(?:[ -][\p{L}][\p{L}\p{M}'’.-]*)?,\s*[\p{L}][\p{L}\p{M}'’. -]*$/u;

/** "John Smith, Jr.", "Ann Lee, PhD": a suffix after the comma, not a first name. */
const SUFFIX_AFTER = /,\s*(?:jr|sr|ii|iii|iv|v|phd|md|dds|esq|cpa|rn)\.?$/i;

export class NameOrder {
  private count = 0;
  private named = 0;
  private example = '';
  private readonly rows: number[] = [];

  constructor(private readonly column: number) {}

  see(row: number, cells: readonly string[], imported: boolean): void {
    if (!imported) return;
    const name = (cells[this.column] ?? '').trim();
    if (name === '') return;
    this.named += 1;
    if (!name.includes(',') || !LAST_FIRST.test(name) || SUFFIX_AFTER.test(name)) return;
    this.count += 1;
    if (this.example === '') this.example = name;
    if (this.rows.length < 5) this.rows.push(row);
  }

  warning(header: string): string | undefined {
    if (this.count === 0) return undefined;
    const where = this.count === 1 ? `one row (import_row ${this.rows[0]})` : `${this.count} of ${this.named} rows (import_row ${this.rows.join(', ')}${this.count > this.rows.length ? ', …' : ''})`;
    return `Column "${header}" has names written "Last, First" in ${where}, such as ${JSON.stringify(this.example)}: they are sent as written, and Seam shows them so. To send "First Last", split the column into first and last names and pass --map first_name="…" --map last_name="…".`;
  }
}
