/**
 * Names written "Last, First" ("Johnson, Harper"), as rent rolls and directory reports list them.
 * They are sent as written (a comma may belong to the name: "Ortiz, Jr., Ramon", "Acme, Inc."),
 * and Seam would show "Johnson, Harper": the check pass counts them and warns before anything is
 * sent, so that the operator can split the column first.
 */
import {RowSample} from './row-sample.js';

const LAST_FIRST = /^[\p{L}][\p{L}\p{M}'’.-]*(?:[ -][\p{L}][\p{L}\p{M}'’.-]*)?,\s*[\p{L}][\p{L}\p{M}'’. -]*$/u;

/** "John Smith, Jr.", "Ann Lee, PhD": a suffix after the comma, not a first name. */
const SUFFIX_AFTER = /,\s*(?:jr|sr|ii|iii|iv|v|phd|md|dds|esq|cpa|rn)\.?$/i;

export class NameOrder {
  private named = 0;
  private example = '';
  private readonly rows = new RowSample();

  constructor(private readonly column: number) {}

  see(row: number, cells: readonly string[], imported: boolean): void {
    if (!imported) return;
    const name = (cells[this.column] ?? '').trim();
    if (name === '') return;
    this.named += 1;
    if (!name.includes(',') || !LAST_FIRST.test(name) || SUFFIX_AFTER.test(name)) return;
    if (this.example === '') this.example = name;
    this.rows.add(row);
  }

  warning(header: string): string | undefined {
    if (this.rows.count === 0) return undefined;
    return `Column "${header}" has names written "Last, First" in ${this.rows.rowsText(this.named)}, such as ${JSON.stringify(this.example)}: they are sent as written, and Seam shows them so. To send "First Last", split the column into first and last names and pass --map first_name="…" --map last_name="…".`;
  }
}
