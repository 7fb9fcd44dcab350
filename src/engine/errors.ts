/**
 * The one error class the engine throws. Bad rows are never exceptions (they become results);
 * this is for a run that cannot start or cannot go on, with words a person can act on.
 */
export type ImportErrorCode =
  | 'usage'
  | 'input_not_found'
  | 'input_unreadable'
  | 'input_empty'
  | 'input_malformed'
  | 'input_changed'
  | 'no_contact_column'
  | 'unknown_column'
  | 'sheet_not_found'
  | 'output_unwritable'
  | 'output_exists'
  | 'journal_exists'
  | 'journal_locked'
  | 'journal_mismatch'
  | 'journal_corrupt'
  | 'other_workspace'
  | 'credentials_missing'
  | 'insecure_endpoint'
  | 'unauthorized'
  | 'forbidden'
  | 'api_unreachable'
  | 'api_error';

/** Exit code per PRODUCT.md: 2 could not start, 3 stopped by a fatal API answer. */
const FATAL_API: ReadonlySet<ImportErrorCode> = new Set(['unauthorized', 'forbidden']);

export class ImportError extends Error {
  override readonly name = 'ImportError';
  readonly code: ImportErrorCode;
  /** What to do next, shown under the message. */
  readonly hint: string | undefined;

  /** 130: the run had begun sending and stopped, resumable (a disk that filled up mid-run), not "could not start". */
  private readonly stoppedMidRun: boolean;

  /** Stopped mid-run with no run record left to resume (its folder removed): --restart carries it on. */
  readonly restartToContinue: boolean;

  constructor(code: ImportErrorCode, message: string, options: {hint?: string; cause?: unknown; midRun?: boolean; restartToContinue?: boolean} = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause});
    this.code = code;
    this.hint = options.hint;
    this.stoppedMidRun = options.midRun === true;
    this.restartToContinue = options.restartToContinue === true;
  }

  get exitCode(): 2 | 3 | 130 {
    if (this.stoppedMidRun) return 130;
    return FATAL_API.has(this.code) ? 3 : 2;
  }
}

export function isImportError(error: unknown): error is ImportError {
  return error instanceof ImportError;
}
