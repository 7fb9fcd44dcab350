import {closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, renameSync, writeSync} from 'node:fs';
import type {RowOutcome} from './events.js';
import {ImportError} from './errors.js';

/**
 * The run's record: one JSON object a line, appended and handed to the kernel as each row is
 * sent and as it finishes, so a SIGKILL or a power cut loses at most the line being written.
 */
export interface RunRecord {
  type: 'run';
  version: 1;
  input: string;
  inputSize: number;
  inputSha256: string;
  endpointHost?: string;
  workspaceId?: string;
  startedAt: string;
}
type SendRecord = {type: 'send'; row: number; attempt: number};
type DoneRecord = {type: 'done'} & RowOutcome;
export type JournalRecord = RunRecord | SendRecord | DoneRecord | {type: 'resume'; at: string};

export interface JournalState {
  run: RunRecord;
  /** Create requests sent per row, in every run of this record. */
  sent: Map<number, number>;
  /** The last outcome recorded for each finished row. */
  done: Map<number, RowOutcome>;
}

export function readJournal(path: string): JournalState {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  let run: RunRecord | undefined;
  const sent = new Map<number, number>();
  const done = new Map<number, RowOutcome>();
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    let record: JournalRecord;
    try {
      record = JSON.parse(line) as JournalRecord;
    } catch {
      // A line torn by a crash mid-write. Its request had not been sent yet (a 'send' line is
      // written before the request) or its row will be looked up again: skipping it is safe.
      continue;
    }
    if (record.type === 'run') run ??= record;
    else if (record.type === 'send') sent.set(record.row, Math.max(sent.get(record.row) ?? 0, record.attempt));
    else if (record.type === 'done') {
      const {type: _type, ...outcome} = record;
      done.set(outcome.row, outcome);
    }
  }
  if (!run) {
    throw new ImportError('journal_corrupt', `The run record ${path} has no header.`, {
      hint: 'Pass --restart to start over.',
    });
  }
  return {run, sent, done};
}

export class Journal {
  private fd: number | undefined;

  private constructor(readonly path: string, fd: number) {
    this.fd = fd;
  }

  /** A new record; an earlier one at the same path is kept as `<path>.old`. */
  static create(path: string, run: RunRecord): Journal {
    if (existsSync(path)) renameSync(path, `${path}.old`);
    const journal = new Journal(path, openSync(path, 'a'));
    journal.append(run);
    return journal;
  }

  static reopen(path: string): Journal {
    const journal = new Journal(path, openSync(path, 'a'));
    // Close a line torn by a crash, so the next record starts on its own line.
    if (!endsWithNewline(path)) writeSync(journal.fd!, '\n');
    journal.append({type: 'resume', at: new Date().toISOString()});
    return journal;
  }

  append(record: JournalRecord): void {
    if (this.fd === undefined) return;
    // One write call per line: the kernel has it as soon as this returns, whatever befalls the process.
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Whether the file is empty or ends with a line feed; reads only its last byte. */
function endsWithNewline(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return true;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    closeSync(fd);
  }
}
