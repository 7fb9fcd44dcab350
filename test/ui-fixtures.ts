// Fixed engine events for the UI, reporter and CLI-flow tests: what the engine would say about
// examples/building.csv, so the screens can be drawn without the engine.
import {EventEmitter} from 'node:events';
import type {CheckProgress, ImportEvents, Plan, Progress, RowOutcome, RowStatus, SourceEvent, Summary} from '../src/engine/index.js';

export const T0 = 1_700_000_000_000;

export function counts(partial: Partial<Record<RowStatus, number>> = {}): Record<RowStatus, number> {
  return {created: 0, existing: 0, would_create: 0, invalid: 0, duplicate: 0, failed: 0, skipped: 0, ...partial};
}

export const source: SourceEvent = {
  source: {
    path: 'examples/building.csv',
    format: 'csv',
    encoding: 'utf-8',
    delimiter: ',',
    headers: ['Resident ID', 'First Name', 'Last Name', 'E-mail', 'Mobile', 'Unit', 'Move-in Date', 'Notes'],
  },
  mapping: [
    '"Resident ID" → user_identity_key',
    '"E-mail" → email_address',
    '"Mobile" → phone_number',
    '"First Name" + "Last Name" → full_name',
  ],
  isResultsFile: false,
  outPath: 'examples/building.results.csv',
  journalPath: 'examples/building.results.csv.journal.jsonl',
  endpointHost: 'connect.getseam.com',
  resumed: false,
};

export const invalidEmail: RowOutcome = {
  row: 18,
  status: 'invalid',
  code: 'invalid_email',
  message: 'The "E-mail" column has "hiroshi.rodriguez@@example.com", which is not an email address (it has more than one "@").',
};
export const excelPhone: RowOutcome = {
  row: 44,
  status: 'invalid',
  code: 'invalid_phone',
  message: 'The "Mobile" column has "1.21255E+10": Excel turned the number into scientific notation. Format the column as Text and export again.',
};
export const duplicateEmail: RowOutcome = {
  row: 31,
  status: 'duplicate',
  code: 'duplicate_email',
  message: 'Same email address as row 6.',
  duplicateOfRow: 6,
};

export const check: CheckProgress = {rowsRead: 200, invalid: 6, duplicate: 4, samples: [invalidEmail, duplicateEmail, excelPhone]};

export const plan: Plan = {
  total: 200,
  toCreate: 187,
  existing: 2,
  conflicts: 1,
  invalid: 6,
  duplicate: 4,
  alreadyDone: 0,
  workspaceIdentities: 3,
  acsSystems: 3,
  dryRun: false,
};

export const serverError: RowOutcome = {
  row: 57,
  status: 'failed',
  code: 'server_error',
  message: 'Seam answered 503 five times; nothing was created (checked). Run again to retry this row.',
  attempts: 5,
};

export function progress(partial: Partial<Progress> = {}): Progress {
  return {
    toSend: 187,
    sent: 75,
    counts: counts({created: 72, existing: 1, failed: 2}),
    inFlight: 8,
    concurrency: 6,
    maxConcurrency: 10,
    retries: 4,
    rateLimited: 3,
    pausedUntil: 0,
    rowsPerSecond: 24.5,
    etaSeconds: 5,
    startedAt: T0 - 3000,
    ...partial,
  };
}

export function summary(partial: Partial<Summary> = {}): Summary {
  return {
    total: 200,
    counts: counts({created: 184, existing: 2, invalid: 6, duplicate: 4, failed: 4}),
    failures: [
      {code: 'invalid_email', count: 4, example: {row: 18, message: invalidEmail.message ?? ''}},
      {code: 'invalid_phone', count: 2, example: {row: 44, message: excelPhone.message ?? ''}},
      {code: 'server_error', count: 3, example: {row: 57, message: serverError.message ?? ''}},
      {code: 'conflict', count: 1, example: {row: 5, message: 'Seam already has user identity 4f1c… with this email address under another key (OLD-0977).'}},
    ],
    outPath: 'examples/building.results.csv',
    journalPath: 'examples/building.results.csv.journal.jsonl',
    dryRun: false,
    interrupted: false,
    durationMs: 8400,
    warnings: [],
    requests: 214,
    retries: 9,
    rateLimited: 3,
    exitCode: 1,
    ...partial,
  };
}

/** Plays a whole run's events on an emitter, the way the engine orders them. */
export function emitReading(events: EventEmitter<ImportEvents>, thePlan: Plan = plan): void {
  events.emit('phase', 'reading');
  events.emit('source', source);
  events.emit('phase', 'checking');
  events.emit('checking', check);
  events.emit('phase', 'plan');
  events.emit('plan', thePlan);
}

/** A stand-in for the engine's Importer: scripted events, a plan, a summary. */
export class FakeImporter extends EventEmitter<ImportEvents> {
  prepared = false;
  executed = false;
  constructor(
    private readonly script: {
      plan?: Plan;
      summary?: Summary;
      prepareError?: unknown;
      executeError?: unknown;
      /** Called inside execute() after the first row, so a test can interrupt mid-run (awaited when it returns a promise). */
      midRun?: () => unknown;
    } = {},
  ) {
    super();
  }

  async prepare({signal}: {signal?: AbortSignal} = {}): Promise<Plan> {
    this.prepared = true;
    if (this.script.prepareError !== undefined) throw this.script.prepareError;
    emitReading(this, this.script.plan);
    signal?.throwIfAborted();
    return this.script.plan ?? plan;
  }

  async execute({signal}: {signal?: AbortSignal} = {}): Promise<Summary> {
    this.executed = true;
    if (this.script.executeError !== undefined) throw this.script.executeError;
    this.emit('phase', 'importing');
    this.emit('row', {row: 1, status: 'created', userIdentityId: 'ui_1'});
    this.emit('progress', progress({sent: 1, counts: counts({created: 1})}));
    await this.script.midRun?.();
    const base = this.script.summary ?? summary();
    const result = signal?.aborted ? {...base, interrupted: true, exitCode: 130 as const, counts: counts({...base.counts, skipped: 150})} : base;
    this.emit('phase', 'writing');
    this.emit('phase', 'done');
    this.emit('done', result);
    return result;
  }
}
