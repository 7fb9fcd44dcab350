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

/**
 * Two people in one name ("John Smith & Jane Doe", "Carlos and Marisol Vega", "Mr & Mrs Lee"): a
 * rent roll's co-tenants on one row. One identity is made, and the second person gets none.
 */
const TWO_PEOPLE = /\p{L}\.?\s+(?:&|\+|and)\s+\p{Lu}/u;
/** A company's name, not two people's: "Smith & Wesson LLC", "Procter & Gamble Co.", "Johnson & Johnson". */
const COMPANY = /\b(?:llc|l\.l\.c|inc|ltd|llp|lp|co|corp|company|corporation|gmbh|plc|pty|sons|associates|partners|group|cafe|café|store|shop|bakery|restaurant|bar|grill|studio|salon|law|dental|clinic)\b\.?|^(\p{L}+) (?:&|and) \1$/iu;

/**
 * "Ethan Dubois, Ava Clark": two words each side of the comma, which is "Last, First" with a
 * two-word surname ("Garcia Lopez, Ana Maria") or two people (a rent roll's co-tenants). Not a
 * surname with a particle ("Van Dyke, Mary Ann").
 */
const TWO_WORDS_EACH_SIDE = /^[^\s,]+ [^\s,]+,\s*[^\s,]+\s+[^\s,]/u;
const PARTICLE = /^(?:van|von|de|del|della|der|den|di|da|das|dos|du|la|le|st\.?|saint|mac|mc|bin|ben|al|el|ter|ten|zu)\s/i;

/** Letters a code page could not hold, saved as "?" ("J?rg Ma?mann", "?lvarez", "?? ??"); not a doubt after a name ("Ann Lee?"). */
const LOST_LETTERS = /\?\p{L}|\?\?/u;

export class NameOrder {
  private named = 0;
  private example = '';
  private readonly rows = new RowSample();
  private twoExample = '';
  private readonly two = new RowSample();
  private maybeTwoExample = '';
  private readonly maybeTwo = new RowSample();
  private lostExample = '';
  private readonly lost = new RowSample();

  /**
   * `columns`: the name column, or the name's parts in the order they make the name (First Name,
   * Last Name): "J?rg" + "Ma?mann" lost letters as surely as "J?rg Ma?mann" does, and "Carlos and
   * Marisol" + "Vega" names two people. Parts are never "Last, First".
   */
  constructor(
    private readonly columns: readonly number[],
    private readonly parts = columns.length > 1,
  ) {}

  see(row: number, cells: readonly string[], imported: boolean): void {
    if (!imported) return;
    const parts = this.parts;
    const name = parts
      ? this.columns
          .map((column) => (cells[column] ?? '').trim())
          .filter((part) => part !== '')
          .join(' ')
      : (cells[this.columns[0]!] ?? '').trim();
    if (name === '') return;
    this.named += 1;
    if (name.includes('?') && LOST_LETTERS.test(name)) {
      this.lostExample ||= name;
      this.lost.add(row);
    }
    if (name.includes(' ') && TWO_PEOPLE.test(name) && !COMPANY.test(name)) {
      this.twoExample ||= name;
      this.two.add(row);
    }
    if (parts || !name.includes(',') || !LAST_FIRST.test(name) || SUFFIX_AFTER.test(name)) return;
    this.rows.add(row);
    if (TWO_WORDS_EACH_SIDE.test(name) && !PARTICLE.test(name)) {
      this.maybeTwoExample ||= name;
      this.maybeTwo.add(row);
    } else if (this.example === '') {
      // The "Last, First" example is one that reads only so ("Doe, Jane"), where the file has one.
      this.example = name;
    }
  }

  warning(header: string): string | undefined {
    if (this.rows.count === 0) return undefined;
    return `${columnsHave(header)} names written "Last, First" in ${this.rows.rowsText(this.named)}, such as ${JSON.stringify(this.example || this.maybeTwoExample)}: they are sent as written, and Seam shows them so. To send "First Last", split the column into first and last names and pass --map first_name="…" --map last_name="…".${this.maybeTwoText()}`;
  }

  /** Of the "Last, First" rows, those that may name two people instead ("Ethan Dubois, Ava Clark"). */
  private maybeTwoText(): string {
    const n = this.maybeTwo.count;
    if (n === 0) return '';
    return ` ${n === 1 ? 'One of them' : `${n} of them`} (${this.maybeTwo.list}), such as ${JSON.stringify(this.maybeTwoExample)}, may instead name two people, one each side of the comma, unless the first part is a two-word surname (as in "García López, Ana María"): if so, each row makes one identity, with the row's email and phone, and the second person gets none; put each person on a row of their own, with their own email or phone.`;
  }

  /** Rows naming two people: one identity each row, the second person gets none. */
  twoPeopleWarning(header: string | readonly string[]): string | undefined {
    if (this.two.count === 0) return undefined;
    return `${columns(header)} ${typeof header === 'string' ? 'seems' : 'seem'} to name two people in ${this.two.rowsText(this.named)}, such as ${JSON.stringify(this.twoExample)}: each row makes one identity, with the row's email and phone, so the second person gets none. To give each person access, put them on rows of their own, each with their own email or phone (a company's name, such as "Barnes and Noble", is one tenant: nothing to do).`;
  }

  /** Rows whose names lost letters to "?" when the file was saved. */
  lostLettersWarning(header: string | readonly string[]): string | undefined {
    if (this.lost.count === 0) return undefined;
    return `${columnsHave(header)} "?" in place of letters in ${this.lost.rowsText(this.named)}, such as ${JSON.stringify(this.lostExample)}: the file was saved in an encoding without those letters (Windows PowerShell's Export-Csv writes ASCII; Excel's plain "CSV" writes its code page), and they are lost. They are sent as written; to keep the names, export the file again as UTF-8 (Export-Csv -Encoding utf8; Excel: "CSV UTF-8").`;
  }
}

/** 'Column "Name"', or 'Columns "First Name" and "Last Name"'. */
function columns(header: string | readonly string[]): string {
  if (typeof header === 'string') return `Column "${header}"`;
  const quoted = header.map((h) => `"${h}"`);
  return `Columns ${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)!}`;
}

function columnsHave(header: string | readonly string[]): string {
  return `${columns(header)} ${typeof header === 'string' ? 'has' : 'have'}`;
}
