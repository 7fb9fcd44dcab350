import {wrapHelp} from '../report/wrap.js';
import {readFileSync} from 'node:fs';

/** The package's version: package.json is two levels up from src/cli/, dist/cli/ and dist/chunks/, one from dist/cli.js. */
export function readVersion(): string {
  for (const path of ['../../package.json', '../package.json']) {
    let text: string;
    try {
      text = readFileSync(new URL(path, import.meta.url), 'utf8');
    } catch {
      continue;
    }
    const {name, version} = JSON.parse(text) as {name?: unknown; version?: unknown};
    if (name === 'seam-import' && typeof version === 'string') return version;
  }
  return '0.0.0';
}

/** Said under a usage error; `program` as the tool was run (`node dist/cli.js` on a clone). */
export const helpPointer = (program = 'seam-import'): string => `Run \`${program} --help\` for usage.`;

export function helpText(): string {
  return wrapHelp(helpBody());
}

function helpBody(): string {
  return `seam-import — create one Seam user identity per person in a spreadsheet, once.

Usage
  seam-import <file> [options]       import the people in <file> (.csv, .tsv, .txt, .xlsx)
  seam-import sandbox [options]      run the local Seam sandbox server (see: seam-import sandbox --help)

Where the results go
  -o, --out <path>                 results CSV (default: <input name>.results.csv beside the input)

Seam
  --endpoint <url>                 API base URL (env SEAM_ENDPOINT; default https://connect.getseam.com)
  --api-key <key>                  API key (env SEAM_API_KEY)
  --personal-access-token <t>      personal access token (env SEAM_PERSONAL_ACCESS_TOKEN); needs a workspace
  --workspace-id <id>              workspace for the token (env SEAM_WORKSPACE_ID)
  --sandbox                        start an embedded sandbox and import into it (no account, no network)

Pace
  -c, --concurrency <n>            most create requests in flight, 1–100 (default 10)
  --rate <n>                       most requests per second (default: none; slows down on 429 by itself)
  --timeout <seconds>              one request's time limit, 1–3600 (default 30)
  --max-attempts <n>               tries of one row when Seam gives no clear answer (a 5xx, a cut
                                   connection, a timeout), the person looked up before each retry
                                   (each lookup request tried as often, at least 6 times), 1–20
                                   (default 5)

The run
  --dry-run                        read, check and look up what exists; write nothing to Seam
  --resume                         continue the run recorded beside --out; finished rows are not sent again
  --restart                        ignore an earlier run's record and start over (still never creates twice)
  -y, --yes                        do not ask for confirmation
  --no-tui                         plain lines even on a terminal (automatic when piped or with CI set)
  --json                           print the final summary as one JSON object on stdout

Reading the file
  --map <field>=<header>           take a field from a named column (repeatable); fields:
                                   user_identity_key, email_address, phone_number, full_name, acs_system_ids,
                                   first_name + last_name (joined into full_name), country (the region
                                   of phones written without +); <field>=none reads a field from no column
  --sheet <name>                   worksheet of an .xlsx (default: the first)
  --encoding <name>                a text file's encoding, such as windows-1251 or shift_jis
                                   (default: found from the file: UTF-8, UTF-16, Windows-1252, Mac Roman,
                                   GBK, Big5, Shift_JIS, EUC-KR, Windows-1251, Windows-1250,
                                   Windows-1254, Windows-1257)
  --default-country <CC>           region of phone numbers written without +, a two-letter ISO code
                                   such as GB (default US)
  --acs-system-id <uuid>           add this access system to every person created (repeatable)

  -h, --help                       this help
  -v, --version                    the version

Examples
  # Try it with no account: the sample building, into a local sandbox
  seam-import examples/building.csv --sandbox

  # Look before you leap: check the file and what Seam already has, send nothing
  SEAM_API_KEY=seam_... seam-import residents.csv --dry-run

  # The real import, no prompt, plain output for a log file
  SEAM_API_KEY=seam_... seam-import residents.csv --yes --no-tui \\
    -o residents.results.csv

  # A personal access token needs its workspace
  SEAM_PERSONAL_ACCESS_TOKEN=seam_at... seam-import hr.xlsx --sheet Staff \\
    --workspace-id 1b2c...

  # Columns with unusual names; give everyone one access system
  seam-import export.csv --map email_address="Work Email" \\
    --map user_identity_key=Badge \\
    --acs-system-id 6d9b6a7e-0d3e-4f2a-9c51-2f0b8c1e7a10

  # Interrupted (Ctrl-C, lost connection)? Continue where it stopped
  seam-import residents.csv --resume

  # Retry the rows that failed: feed the results file back in
  seam-import residents.results.csv -o residents.retry.csv

Exit codes
  0    every row created or already in Seam (dry run: would be created or already in Seam)
  1    finished, some rows need attention (invalid, duplicate, failed) — or the prompt was declined
  2    could not start: usage, unreadable input, missing credentials, an earlier run to --resume
  3    stopped by Seam: bad credentials or forbidden
  130  interrupted (Ctrl-C), or Seam asked for a longer pause than a run waits or stopped answering;
       the results file is written and the run can be resumed
`;
}
