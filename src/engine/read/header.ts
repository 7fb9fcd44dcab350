/**
 * Which row is the header. Exports often put a title or a date above it ("Residents -
 * Building A", "Exported 2026-11-01"): the header is the first non-blank row, of the first
 * HEADER_SEARCH_ROWS, whose columns the import can use; else the first non-blank row (whose
 * mapping error then says what is missing).
 */
import {cleanHeader} from '../clean.js';

export function headerCells(cells: readonly string[]): string[] {
  return cells.map((c) => cleanHeader(c));
}

/** Non-blank rows looked at for the header. */
export const HEADER_SEARCH_ROWS = 10;

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

  constructor(private readonly isHeader?: (headers: string[]) => boolean) {}

  /** True when the search is over (a header was recognised, or enough rows were seen). */
  offer(cells: readonly string[], line: number): boolean {
    const candidate: FoundHeader = {headers: headerCells(cells), line, above: this.seen.map((row) => row.headers.filter((c) => c !== ''))};
    this.seen.push(candidate);
    if (this.isHeader === undefined || this.isHeader(candidate.headers)) {
      this.chosen = candidate;
      return true;
    }
    return this.seen.length >= HEADER_SEARCH_ROWS;
  }

  /** The header, and whether it was recognised (else it is the first non-blank row). */
  found(): (FoundHeader & {recognised: boolean}) | undefined {
    if (this.chosen) return {...this.chosen, recognised: true};
    const first = this.seen[0];
    return first && {...first, above: [], recognised: false};
  }
}
