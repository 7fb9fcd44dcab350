import type {CountryCode} from 'libphonenumber-js';
import type {ColumnMap} from './types.js';

export const DEFAULT_ENDPOINT = 'https://connect.getseam.com';

export interface Credentials {
  apiKey?: string;
  personalAccessToken?: string;
  workspaceId?: string;
}

export interface ImportOptions extends Credentials {
  /** The spreadsheet to import (.csv, .tsv, .txt, .xlsx). */
  input: string;
  /**
   * The results CSV.
   * @default `<input name>.results.csv` beside the input
   */
  out?: string;
  /** @default 'https://connect.getseam.com' */
  endpoint?: string;
  /**
   * Most create requests in flight (1–100).
   * @default 10
   */
  concurrency?: number;
  /** Most requests per second, all kinds together. Undefined = no cap (adaptive on 429). */
  rate?: number;
  /** Read, check and look up; write nothing to Seam. */
  dryRun?: boolean;
  /** Continue the run recorded beside `out`. */
  resume?: boolean;
  /** Ignore an earlier run's record and start over. */
  restart?: boolean;
  /** @default 'US' */
  defaultCountry?: CountryCode;
  /** `--map field=Header`. */
  map?: ColumnMap;
  /** Worksheet of an .xlsx. */
  sheet?: string;
  /**
   * A text file's encoding, by any name iconv-lite knows (`windows-1253`, `shift_jis`).
   * @default found from the file's bytes
   */
  encoding?: string;
  /**
   * The workspace ends with the run (the CLI's embedded sandbox): there is nothing to resume
   * into, so the rows' messages say to run again rather than to pass --resume.
   */
  embedded?: boolean;
  /** Added to every row (`--acs-system-id`). */
  acsSystemIds?: string[];
  /** Said as warnings before the plan: what the command line set that this run does not use (SEAM_WORKSPACE_ID with an API key). */
  notices?: string[];
  /**
   * How the command is typed, for the commands hints print (`node dist/cli.js` on a clone where
   * `seam-import` is not on the PATH).
   * @default 'seam-import'
   */
  program?: string;
  /**
   * One request's time limit.
   * @default 30000
   */
  timeoutMs?: number;
  /**
   * Create attempts per row for unclear failures (5xx, resets, timeouts), reconciled between tries.
   * @default 5
   */
  maxAttempts?: number;
  /**
   * How long a row may keep meeting 429s before it is marked `rate_limited`.
   * @default 300000
   */
  rateLimitBudgetMs?: number;
  /**
   * How long Seam may give no answer at all (5xx, cut connections, timeouts, 20 requests in a
   * row or more) before the run stops, its rows left for --resume.
   * @default 60000
   */
  outageMs?: number;
}

export function defaultOutPath(input: string): string {
  const slash = Math.max(input.lastIndexOf('/'), input.lastIndexOf('\\'));
  const dir = input.slice(0, slash + 1);
  const base = input.slice(slash + 1);
  const dot = base.lastIndexOf('.');
  const stem = dot > 0 ? base.slice(0, dot) : base;
  return `${dir}${stem}.results.csv`;
}

export function journalPathFor(out: string): string {
  return `${out}.journal.jsonl`;
}
