import type {RowErrorCode, RowStatus, SourceInfo} from './types.js';

export type Phase = 'reading' | 'preflight' | 'checking' | 'plan' | 'importing' | 'writing' | 'done';

/** One row's final answer, as it goes to the results file. */
export interface RowOutcome {
  /** 1-based data row number. */
  row: number;
  status: RowStatus;
  userIdentityId?: string;
  code?: RowErrorCode;
  message?: string;
  duplicateOfRow?: number;
  /** Create requests sent for this row (this run and any earlier run of the same record). */
  attempts?: number;
  /** `seam-request-id` of the answer that decided a failure, for Seam support. */
  requestId?: string;
  /** Normalized values, when the row passed the rules. */
  email?: string;
  phone?: string;
}

/** Where the run reads from and writes to; sent once, after the header row is understood. */
export interface SourceEvent {
  source: SourceInfo;
  /** Lines such as `"E-mail" → email_address`. */
  mapping: string[];
  /** True when the input is an earlier results file fed back in. */
  isResultsFile: boolean;
  outPath: string;
  journalPath: string;
  /** Host of the API endpoint, or undefined for a dry run without credentials. */
  endpointHost?: string;
  workspaceId?: string;
  resumed: boolean;
}

export interface CheckProgress {
  rowsRead: number;
  invalid: number;
  duplicate: number;
  /** Empty rows between the people, left out (not people; import_row keeps counting them). */
  blank?: number;
  /** The first few rows that broke a rule or repeated another, for the reading screen. */
  samples: RowOutcome[];
}

export interface Plan {
  /** Data rows in the file. */
  total: number;
  toCreate: number;
  existing: number;
  conflicts: number;
  invalid: number;
  duplicate: number;
  /** Rows finished by an earlier attempt of this run (resume) or by a results file fed back. */
  alreadyDone: number;
  /** Identities the workspace held before the run; undefined when not looked up. */
  workspaceIdentities?: number;
  /** Access systems known in the workspace; undefined when not looked up. */
  acsSystems?: number;
  /** The access systems --acs-system-id gives everyone created (`"Main Entrance" (id)`, or the id). */
  granted?: string[];
  dryRun: boolean;
  /**
   * Seam refused the credentials during the first lookups: nothing will be sent, and every row
   * that would have been is written as `skipped` (exit 3).
   */
  fatal?: {code: 'unauthorized' | 'forbidden'; message: string};
}

export interface Progress {
  /** Rows to be sent in this run (the plan's toCreate, less any already done). */
  toSend: number;
  /** Of those, finished (any status). */
  sent: number;
  counts: Record<RowStatus, number>;
  inFlight: number;
  /**
   * Rows taken up and not finished: in flight, or waiting between tries (after a stop, the lookups
   * of rows whose answer did not come). Undefined where not known.
   */
  unsettled?: number;
  concurrency: number;
  maxConcurrency: number;
  retries: number;
  rateLimited: number;
  /** Epoch ms until which all workers wait after a 429; 0 when not paused. */
  pausedUntil: number;
  rowsPerSecond: number;
  /** Seconds left at the current pace; undefined until it can be guessed. */
  etaSeconds?: number;
  startedAt: number;
}

export interface FailureGroup {
  code: RowErrorCode;
  count: number;
  example: {row: number; message: string};
}

export interface Summary {
  total: number;
  counts: Record<RowStatus, number>;
  failures: FailureGroup[];
  outPath: string;
  /** The run record; none in a dry run, which writes none. */
  journalPath?: string;
  /** Of `counts.created` and `counts.existing`, the rows a results file fed back had so already (an earlier run's doing). */
  kept?: {created: number; existing: number};
  /** Of those, rows whose id the workspace did not list when the run began (deleted since): the warnings say which. */
  unlisted?: number;
  dryRun: boolean;
  /** The run was stopped (Ctrl-C / SIGTERM / abort) before every row was tried. */
  interrupted: boolean;
  /**
   * The input was saved again while its rows were being sent (from a copy): its record no longer
   * matches it, so --resume is refused; the rows left go on from the results file.
   */
  inputSavedDuringRun?: true;
  /** A fatal API answer (bad credentials, forbidden) stopped the run. */
  fatal?: {code: 'unauthorized' | 'forbidden'; message: string};
  /** Seam made the run stop (a Retry-After longer than a run waits, an outage); resumable. */
  /** `endpoint`: the create route was not Seam's; the message says how to go on (not always --resume). */
  halted?: {code: RowErrorCode; message: string; endpoint?: boolean};
  /** The warnings said before the plan (leavers, columns not used, other sheets…): they still stand at the end. */
  warnings: string[];
  /** The run's time: the wait between the plan and execute() (a person reading it at the prompt) is not counted. */
  durationMs: number;
  /** Of `durationMs`, the sending phase: from the first create sent to the last answer (not in a dry run). */
  sendingMs?: number;
  requests: number;
  retries: number;
  rateLimited: number;
  exitCode: 0 | 1 | 3 | 130;
}

export interface ImportEvents {
  phase: [phase: Phase];
  source: [event: SourceEvent];
  checking: [progress: CheckProgress];
  /** The workspace's identities listed so far, page by page (a large workspace takes a while). */
  looking: [listed: number];
  plan: [plan: Plan];
  row: [outcome: RowOutcome];
  progress: [progress: Progress];
  retry: [event: {row: number; attempt: number; code: RowErrorCode; delayMs: number}];
  paused: [event: {until: number; reason: 'rate_limited'}];
  warning: [message: string];
  done: [summary: Summary];
}

/** Where the check and import passes say what they see: the importer's own events. */
export interface EventSink {
  emit<E extends keyof ImportEvents>(event: E, ...args: ImportEvents[E]): boolean;
}
