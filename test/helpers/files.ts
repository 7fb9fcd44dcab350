import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {parse} from 'csv-parse/sync';

const made: string[] = [];

/** A fresh folder under the system's temporary folder, removed after the test file (test/helpers/setup.ts). */
export function tempDir(prefix = 'seam-import-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Remove every folder `tempDir` made. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) {
    try {
      rmSync(dir, {recursive: true, force: true});
    } catch {
      // A folder a test left unwritable: left behind, not a failure of the test file.
    }
  }
}

/** Write rows (first = header) as a CSV, quoting where needed. */
export function writeCsv(path: string, rows: string[][]): string {
  const cell = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  writeFileSync(path, rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n');
  return path;
}

/** A valid US mobile-style number for person i (libphonenumber-js accepts 617-555-01xx style? no: use 617-2xx). */
export function phoneFor(i: number): string {
  return `+1617${String(2000000 + i).padStart(7, '0')}`;
}

/** `n` clean people: key, name, email, phone. */
export function cleanPeople(n: number, prefix = 'p'): string[][] {
  const rows = [['Employee ID', 'Full Name', 'Email', 'Phone', 'Unit']];
  for (let i = 1; i <= n; i += 1) {
    rows.push([`${prefix.toUpperCase()}-${i}`, `Person ${prefix}${i}`, `${prefix}${i}@example.com`, phoneFor(i), `Unit ${i % 50}`]);
  }
  return rows;
}

export type ResultRow = Record<string, string>;

/** The results file's delimiter: ";" after an input that had it, else ",". */
export function resultsDelimiter(text: string): ',' | ';' {
  const header = text.slice(0, text.indexOf('\n') + 1 || undefined);
  return /;"?import_row"?;/.test(header) ? ';' : ',';
}

/** Parse a results CSV (UTF-8 BOM, CRLF) into objects keyed by header. */
export function readResults(path: string): ResultRow[] {
  const raw = readFileSync(path);
  return parse(raw, {bom: true, columns: true, skip_empty_lines: true, delimiter: resultsDelimiter(raw.toString('utf8'))}) as ResultRow[];
}
