import {closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, utimesSync, writeSync} from 'node:fs';
import {hostname} from 'node:os';
import {isAlive, maybeSeamImport, startTimeOf} from './alive.js';
import type {RowOutcome} from './events.js';
import {ImportError} from './errors.js';

/**
 * The run's record: one JSON object a line. Lines are handed to the kernel in one write per turn
 * of the event loop, always before the bytes of any request sent after them (see `append`), so a
 * SIGKILL loses at most lines whose requests never left; a row whose `done` line is lost has its
 * `send` line, and a resumed run looks it up before sending again.
 */
/**
 * The record's version: this build's way of reading a file. 2: a mobile column before a desk
 * phone, Google's bracketed headers, Excel's text apostrophe let go. 3: keys "N/A" and
 * 1.23457E+11 invalid, xlsx cells formatted as dates invalid, repeated header rows and section
 * headings not people, access systems by name, keys that lost their leading zeros. 4: keys in
 * full-width or decomposed letters folded (１００１ is 1001), pandas' "nan" and "–" placeholders. A run recorded by an earlier build
 * may have read some rows' key, email or phone otherwise, or found them valid: resumed here, a row
 * it sent could be looked up by another value and sent again, or lose the id it was given.
 */
export const RUN_RECORD_VERSION = 4;

export interface RunRecord {
  type: 'run';
  version: number;
  input: string;
  inputSize: number;
  inputSha256: string;
  endpointHost?: string;
  workspaceId?: string;
  startedAt: string;
  /**
   * The options that decide what a row means, as command-line flags ("--default-country US"):
   * a resume must read the file as the run it continues did. Absent in records written before.
   */
  reading?: string[];
}
type SendRecord = {type: 'send'; row: number; attempt: number};
type DoneRecord = {type: 'done'} & RowOutcome;
/** The results file a run wrote: its size and time. */
type WrittenResults = {at: string; resultsSize: number; resultsMtimeMs: number};
/** The run finished every row (none left skipped) and wrote its results file. */
export type EndRecord = {type: 'end'} & WrittenResults;
/** The run stopped with rows left (Ctrl-C, Seam stopped it) and wrote its results file. */
export type WroteRecord = {type: 'wrote'} & WrittenResults;
export type JournalRecord = RunRecord | SendRecord | DoneRecord | EndRecord | WroteRecord | {type: 'resume'; at: string};

export interface JournalState {
  run: RunRecord;
  /** Create requests sent per row, in every run of this record. */
  sent: Map<number, number>;
  /** The last outcome recorded for each finished row. */
  done: Map<number, RowOutcome>;
  /** The record's size when read: another run that carries it on meanwhile changes it. */
  bytes: number;
  /** When the record was last written (its modification time): when the run it records last sent or settled a row. */
  writtenAtMs: number;
  /** The run finished (its last attempt left no row skipped), and the results file it wrote then. */
  ended?: EndRecord;
  /** The results file the record's runs wrote last (finished or stopped): a later run must not write over changes made to it since. */
  wrote?: EndRecord | WroteRecord;
}

export function readJournal(path: string): JournalState {
  const raw = readFileSync(path);
  const text = raw.toString('utf8');
  const lines = text.split('\n');
  let run: RunRecord | undefined;
  const sent = new Map<number, number>();
  const done = new Map<number, RowOutcome>();
  let ended: EndRecord | undefined;
  let wrote: EndRecord | WroteRecord | undefined;
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
    else if (record.type === 'end') ended = wrote = record;
    // A resumed run killed before it wrote results leaves the last ones in place: still these.
    else if (record.type === 'wrote') wrote = record;
    else if (record.type === 'resume') ended = undefined;
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
  return {run, sent, done, bytes: raw.length, writtenAtMs: statSync(path).mtimeMs, ...(ended ? {ended} : {}), ...(wrote ? {wrote} : {})};
}

/** `<record>.lock` holds the process id of the run writing the record, its machine and (on Linux) when the process started. */
function lockPathOf(journalPath: string): string {
  return `${journalPath}.lock`;
}

/** A run refreshes its lock's time this often, so that a machine that cannot see its process can see it is alive. */
const LOCK_HEARTBEAT_MS = 10_000;
/** A lock from another machine not refreshed for this long is a killed run's. */
export const FOREIGN_LOCK_STALE_MS = 60_000;

/** The run holding a record's lock: its process, and the machine, when not this one. */
export interface LockHolder {
  pid: number;
  host?: string;
}

/**
 * Another live run writing this record, or undefined. A lock whose process is gone is stale. One
 * written on another machine (a shared folder, another container) cannot be checked by its
 * process: it is held while its run keeps refreshing it (LOCK_HEARTBEAT_MS), stale after a minute without.
 */
export function runHoldingRecord(journalPath: string): LockHolder | undefined {
  const lock = lockPathOf(journalPath);
  let text: string;
  let refreshedMs: number;
  try {
    text = readFileSync(lock, 'utf8');
    refreshedMs = statSync(lock).mtimeMs;
  } catch {
    return undefined;
  }
  const [pidText = '', host, started] = text.trim().split(' ');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (host !== undefined && host !== hostname()) return Date.now() - refreshedMs < FOREIGN_LOCK_STALE_MS ? {pid, host} : undefined;
  if (pid === process.pid || !isAlive(pid)) return undefined;
  // The id now names a process that started at another time: the run that wrote the lock is gone
  // (killed, the machine restarted) and another node process has its id.
  const now = started === undefined ? undefined : startTimeOf(pid);
  if (now !== undefined && now !== started) return undefined;
  return maybeSeamImport(pid) ? {pid} : undefined;
}

export function recordLockedError(journalPath: string, holder: LockHolder): ImportError {
  const who = holder.host === undefined ? `process ${holder.pid}` : `process ${holder.pid} on ${holder.host}`;
  const gone =
    holder.host === undefined
      ? `If no other import is running here, delete ${lockPathOf(journalPath)} and run again.`
      : `If that import is not running any more, run again in a minute (its lock, no longer refreshed, is then taken over), or delete ${lockPathOf(journalPath)}.`;
  return new ImportError('journal_locked', `Another seam-import (${who}) is writing the run record ${journalPath} right now.`, {
    hint: `Wait for it to finish, or stop it (Ctrl-C), then run again with --resume: two runs into one results file would each send the same rows. ${gone}`,
  });
}

/**
 * Takes the record's lock for this process, or refuses when a live run holds it (a stale one is
 * taken over). A lock that cannot be made at all (a read-only folder) is done without: the
 * record itself then says whether it can be written.
 */
function takeLock(journalPath: string): string | undefined {
  const lock = lockPathOf(journalPath);
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      try {
        const started = startTimeOf(process.pid);
        writeSync(fd, `${process.pid} ${hostname()}${started === undefined ? '' : ` ${started}`}\n`);
      } catch {
        // Made but not written (a full disk): an empty lock would hold nobody's run; let it go.
        closeSync(fd);
        rmSync(lock, {force: true});
        return undefined;
      }
      closeSync(fd);
      return lock;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
      const holder = runHoldingRecord(journalPath);
      if (holder !== undefined) throw recordLockedError(journalPath, holder);
      // Left by a run that was killed (or by this process, or a machine's run no longer refreshing it): take it over.
      rmSync(lock, {force: true});
    }
  }
}

export class Journal {
  private fd: number | undefined;
  private lock: string | undefined;
  private pending = '';
  private flushQueued = false;
  /** Refreshes the lock's time while the record is open (see runHoldingRecord). */
  private readonly heartbeat: NodeJS.Timeout | undefined;
  private failure: ImportError | undefined;
  /** Called once if a write fails: the run must stop (the record is what makes a resume safe). */
  onError: (error: ImportError) => void = () => {};

  private constructor(readonly path: string, fd: number, lock: string | undefined) {
    this.fd = fd;
    this.lock = lock;
    if (lock !== undefined) {
      this.heartbeat = setInterval(() => {
        try {
          const now = new Date();
          utimesSync(lock, now, now);
        } catch {
          // A lock that cannot be touched (gone, a read-only share): the record still works.
        }
      }, LOCK_HEARTBEAT_MS);
      this.heartbeat.unref();
    }
  }

  /**
   * A new record. `replacing`: --restart, whose earlier record is kept as `.old`; otherwise a
   * record that appeared since the run was planned (a second terminal's run, into the same -o)
   * refuses this one: its results would be replaced, and its people called existing.
   */
  static create(path: string, run: RunRecord, {replacing = true}: {replacing?: boolean} = {}): Journal {
    const journal = Journal.open(path, () => {
      if (!existsSync(path)) return;
      if (!replacing) {
        throw new ImportError('journal_exists', `Another run recorded ${path} while this one waited to start (a second terminal, into the same results file?); nothing was sent.`, {
          hint: 'Run the same command with --resume to carry that run on, or pass -o with another path.',
        });
      }
      renameSync(path, `${path}.old`);
    });
    try {
      return journal.start(run);
    } catch (error) {
      // Not even its first line could be written (a full disk): nothing was sent, and an empty
      // record left behind would only be refused by --resume ("no header").
      if (existsSync(path) && statSync(path).size === 0) rmSync(path, {force: true});
      if (error instanceof ImportError && error.code === 'output_unwritable') {
        throw new ImportError('output_unwritable', `${error.message} Nothing was sent.`, {
          hint: 'Free some disk space (or fix the folder), then run the same command again.',
          cause: error.cause,
        });
      }
      throw error;
    }
  }

  /** `bytes`: the record's size when the run was planned from it (readJournal). */
  static reopen(path: string, bytes?: number): Journal {
    const journal = Journal.open(path, () => {
      if (bytes !== undefined && existsSync(path) && statSync(path).size !== bytes) {
        throw new ImportError('journal_exists', `Another run carried on the run recorded in ${path} while this one waited to start (a second terminal?); nothing was sent.`, {
          hint: 'Run the same command again: its plan then starts from what that run did.',
        });
      }
    });
    // Close a line torn by a crash, so the next record starts on its own line (in the same write:
    // on a disk still full, it fails as any write of the record does, saying so).
    if (!endsWithNewline(path)) journal.pending = '\n';
    return journal.start({type: 'resume', at: new Date().toISOString()});
  }

  /** The record opened for appending under its lock (`prepare` runs in between); the lock is let go if it fails. */
  private static open(path: string, prepare?: () => void): Journal {
    const lock = takeLock(path);
    try {
      prepare?.();
      return new Journal(path, openSync(path, 'a'), lock);
    } catch (error) {
      if (lock !== undefined) rmSync(lock, {force: true});
      throw error;
    }
  }

  /** Writes the record's first line now; a record that cannot be written refuses the run. */
  private start(record: JournalRecord): this {
    this.append(record);
    this.flush();
    if (this.failure) {
      this.close();
      throw this.failure;
    }
    return this;
  }

  /**
   * Queues a line; it reaches the kernel with every other line of this turn of the event loop,
   * in one write, from a `process.nextTick` queued here. Node's http client writes a request's
   * bytes from a nextTick queued when the request is made (onSocket), and that queue runs in
   * order: a `send` line appended before a request is made is written before the request leaves.
   * (A finished row's `done` line and the next row's `send` line now go out in one write: one
   * system call per row instead of two.)
   * After a failed write, lines are dropped: `onError` has stopped the run by then.
   */
  append(record: JournalRecord): void {
    if (this.fd === undefined || this.failure) return;
    this.pending += `${JSON.stringify(record)}\n`;
    if (!this.flushQueued) {
      this.flushQueued = true;
      process.nextTick(this.flushQueuedLines);
    }
  }

  /** A write has failed: nothing more is recorded, and nothing more may be sent. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Writes the queued lines now. */
  flush(): void {
    if (this.pending === '' || this.fd === undefined || this.failure) return;
    const bytes = Buffer.from(this.pending, 'utf8');
    this.pending = '';
    try {
      for (let written = 0; written < bytes.length; ) written += writeSync(this.fd, bytes, written, bytes.length - written);
    } catch (error) {
      this.failure = new ImportError('output_unwritable', `Could not write the run record ${this.path}: ${(error as Error).message}.`, {
        hint: 'Free some disk space (or fix the folder), then run again with --resume: the rows sent without a record are looked up first.',
        cause: error,
      });
      this.onError(this.failure);
    }
  }

  private readonly flushQueuedLines = (): void => {
    this.flushQueued = false;
    this.flush();
  };

  close(): void {
    if (this.heartbeat !== undefined) clearInterval(this.heartbeat);
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    if (this.lock !== undefined) rmSync(this.lock, {force: true});
    this.lock = undefined;
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
