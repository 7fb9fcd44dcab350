import {createWriteStream, type WriteStream} from 'node:fs';
import {rename, rm} from 'node:fs/promises';
import {once} from 'node:events';
import {basename, dirname, join} from 'node:path';
import {stringify, type Stringifier} from 'csv-stringify';
import type {RowOutcome} from './events.js';
import {RESULT_COLUMNS} from './types.js';

/**
 * A cell Excel would run as a formula gets a leading apostrophe: the text stays readable, the
 * formula never runs. Plain numbers such as `-3` or `+15551234567` are not formulas and stay.
 */
export function neutralizeCell(value: string): string {
  if (value === '') return value;
  const first = value.charCodeAt(0);
  // = + - @ TAB CR
  if (first !== 61 && first !== 43 && first !== 45 && first !== 64 && first !== 9 && first !== 13) return value;
  if ((first === 43 || first === 45) && /^[+-]\d+(\.\d+)?$/.test(value)) return value;
  return `'${value}`;
}

/** Undo `neutralizeCell` for a results file read back in. */
export function unneutralizeCell(value: string): string {
  return value.length > 1 && value.charCodeAt(0) === 39 && /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

export function resultCells(outcome: RowOutcome): string[] {
  return [
    String(outcome.row),
    outcome.status,
    outcome.userIdentityId ?? '',
    outcome.code ?? '',
    outcome.message ?? '',
    outcome.email ?? '',
    outcome.phone ?? '',
    outcome.duplicateOfRow === undefined ? '' : String(outcome.duplicateOfRow),
    outcome.attempts ? String(outcome.attempts) : '',
    outcome.requestId ?? '',
  ];
}

/**
 * Writes the results CSV for Excel (UTF-8 BOM, CRLF) to a temporary file beside the target and
 * renames it into place at the end, so the path never holds half a file.
 */
export class ResultsWriter {
  private readonly stringifier: Stringifier;
  private readonly file: WriteStream;
  private readonly tempPath: string;
  private failed: Error | undefined;
  rows = 0;

  constructor(readonly path: string, headers: readonly string[]) {
    this.tempPath = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
    this.file = createWriteStream(this.tempPath);
    this.stringifier = stringify({bom: true, record_delimiter: 'windows', quoted_match: [/^\s|\s$/, /[\r\n]/]});
    this.stringifier.pipe(this.file);
    const onError = (error: Error): void => {
      this.failed ??= error;
    };
    this.file.on('error', onError);
    this.stringifier.on('error', onError);
    this.stringifier.write([...headers, ...RESULT_COLUMNS].map(neutralizeCell));
  }

  /** Resolves when the stream can take more: await it to keep memory flat. */
  async write(cells: readonly string[], outcome: RowOutcome): Promise<void> {
    if (this.failed) throw this.failed;
    this.rows += 1;
    const record = [...cells, ...resultCells(outcome)].map(neutralizeCell);
    if (!this.stringifier.write(record)) await once(this.stringifier, 'drain');
  }

  async commit(): Promise<void> {
    this.stringifier.end();
    if (!this.file.closed) await once(this.file, 'close');
    if (this.failed) throw this.failed;
    await rename(this.tempPath, this.path);
  }

  async discard(): Promise<void> {
    this.stringifier.end();
    if (!this.file.closed) await once(this.file, 'close').catch(() => undefined);
    await rm(this.tempPath, {force: true});
  }
}
