/**
 * Which row is the header. Exports often put a title or a date above it ("Residents -
 * Building A", "Exported 2026-11-01"): the header is the first non-blank row, of the first
 * HEADER_SEARCH_ROWS, whose columns the import can use; else the first non-blank row (whose
 * mapping error then says what is missing).
 *
 * A row below the first is taken as the header only when it cannot be a person's row and what
 * it would leave out looks like titles: it is at least as wide as every row above it, and none
 * of its cells looks like an email address or a phone number. A narrower row right under the
 * widest is the second row of a two-row header when the two together are wider than any row. So a data row with a cell that happens
 * to read "Mobile" never becomes the header under a real header that cannot be imported (a
 * Gmail contacts export): that header stays, and its error says what to map.
 */
import {cleanHeader} from '../clean.js';

export function headerCells(cells: readonly string[]): string[] {
  return cells.map((c) => cleanHeader(c));
}

/** Non-blank rows looked at for the header. */
export const HEADER_SEARCH_ROWS = 25;

export interface FoundHeader {
  headers: string[];
  /** Line (CSV) or sheet row (xlsx) of the header. */
  line: number;
  /** The non-blank rows above the header, each as its non-empty cells. */
  above: string[][];
}

/** Offer the non-blank rows in order until `offer` says the search is over; then `found()`. */
export class HeaderSearch {
  private readonly seen: FoundHeader[] = [];
  private chosen: FoundHeader | undefined;
  /** The most non-empty cells of a row seen so far. */
  private widest = 0;

  constructor(private readonly isHeader?: (headers: string[]) => boolean) {}

  /** True when the search is over (a header was recognised, or enough rows were seen). */
  offer(cells: readonly string[], line: number): boolean {
    const candidate: FoundHeader = {headers: headerCells(cells), line, above: this.seen.map((row) => row.headers.filter((c) => c !== ''))};
    const width = filled(candidate.headers);
    const first = this.seen.length === 0;
    const previous = this.seen[this.seen.length - 1];
    this.seen.push(candidate);
    if (this.isHeader === undefined || first) {
      if (this.isHeader === undefined || this.isHeader(candidate.headers)) return this.choose(candidate);
    } else if (!candidate.headers.some(looksLikeData)) {
      if (width >= this.widest && this.isHeader(candidate.headers)) return this.choose(candidate);
      // A header in two rows: group names above ("Name", "Contact", "Unit"), the names of the
      // grouped columns below ("Email", "Phone"). Read as one: a blank below takes the name above.
      if (previous && filled(previous.headers) === this.widest && this.widest >= 2) {
        const combined = Array.from({length: Math.max(previous.headers.length, candidate.headers.length)}, (_, i) => {
          const below = candidate.headers[i] ?? '';
          return below !== '' ? below : (previous.headers[i] ?? '');
        });
        if (filled(combined) > this.widest && this.isHeader(combined)) {
          return this.choose({headers: combined, line, above: candidate.above.slice(0, -1)});
        }
      }
    }
    this.widest = Math.max(this.widest, width);
    return this.seen.length >= HEADER_SEARCH_ROWS;
  }

  private choose(header: FoundHeader): true {
    this.chosen = header;
    return true;
  }

  /** The header, and whether it was recognised (else it is the first non-blank row). */
  found(): (FoundHeader & {recognised: boolean}) | undefined {
    if (this.chosen) return {...this.chosen, recognised: true};
    const first = this.seen[0];
    return first && {...first, above: [], recognised: false};
  }
}

function filled(cells: readonly string[]): number {
  return cells.filter((c) => c !== '').length;
}

/** An email address or a phone number (7 digits or more): a person's cell, not a header. */
function looksLikeData(cell: string): boolean {
  if (cell.includes('@')) return true;
  let digits = 0;
  for (let i = 0; i < cell.length; i++) {
    const c = cell.charCodeAt(i);
    if (c >= 48 && c <= 57 && ++digits >= 7) return true;
  }
  return false;
}
