/**
 * Rows imported without an email or a phone that another column of theirs holds: a roster with
 * "Primary Phone" and "Mobile No.", where a person's number is only in the second. The column is
 * not read in its place (a desk line there would make people sharing it duplicates), but the
 * check pass counts such rows and warns before anything is sent, with the --map that takes it.
 */
import {isEmailAddress} from './normalize.js';
import {looksLikePhoneNumber} from './phone.js';
import {RowSample} from './row-sample.js';
import type {ColumnMapping} from './types.js';

type ContactField = 'email_address' | 'phone_number';

interface Missed {
  field: ContactField;
  rows: RowSample;
  /** The other column that held a value in the first such row. */
  column: number;
}

export class UnusedContacts {
  /** By field and column ("phone_number 4"). */
  private readonly missed = new Map<string, Missed>();

  constructor(private readonly mapping: ColumnMapping) {}

  /** Whether the mapping has any column this could see. */
  static watches(mapping: ColumnMapping): boolean {
    return mapping.unused !== undefined || mapping.unusedByContent !== undefined;
  }

  /** `imported`: the row goes to Seam (a row that is invalid or a duplicate says so itself). */
  see(row: number, cells: readonly string[], imported: boolean): void {
    if (!imported) return;
    for (const field of ['email_address', 'phone_number'] as const) {
      const used = this.mapping.fields[field];
      const others = this.mapping.unused?.[field];
      const byContent = this.mapping.unusedByContent?.[field];
      if (used === undefined || (others === undefined && byContent === undefined) || (cells[used] ?? '').trim() !== '') continue;
      // A column named for the field, with anything in it; else one whose header only says it ("Home Phone"), holding one.
      const looks = field === 'email_address' ? isEmailAddress : looksLikePhoneNumber;
      const other = others?.find((i) => (cells[i] ?? '').trim() !== '') ?? byContent?.find((i) => looks((cells[i] ?? '').trim()));
      if (other === undefined) continue;
      // One warning per column: each names the column its rows' values are in.
      const key = `${field} ${other}`;
      let missed = this.missed.get(key);
      if (missed === undefined) this.missed.set(key, (missed = {field, rows: new RowSample(), column: other}));
      missed.rows.add(row);
    }
  }

  warnings(headers: readonly string[]): string[] {
    return [...this.missed.values()].map(({field, rows, column}) => {
      const count = rows.count;
      const used = headers[this.mapping.fields[field] ?? -1] ?? '';
      const other = headers[column] ?? '';
      const what = field === 'email_address' ? 'an email address' : 'a phone number';
      return `Column "${used}" is empty in ${rows.rowsText()} where column "${other}" has ${what}: ${count === 1 ? 'that person is' : 'they are'} imported without it. To read it from "${other}" instead, pass --map ${field}="${other}"; or fill "${used}" in ${count === 1 ? 'that row' : 'those rows'}.`;
    });
  }
}
