import {describe, expect, it} from 'vitest';
import {UsageError, asksForJson, collectSecrets, isLoopbackHost, parseCommand, type Env} from '../src/cli/args.js';
import type {ImportOptions} from '../src/engine/index.js';

const KEY = 'seam_live_Zq8sEcReT0nly';

function options(argv: string[], env: Env = {}): ImportOptions {
  const command = parseCommand(argv, env);
  if (command.kind !== 'import') throw new Error(`expected an import, got ${command.kind}`);
  return command.options;
}

function usageError(argv: string[], env: Env = {}): UsageError {
  try {
    parseCommand(argv, env);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
}

describe('import flags', () => {
  const withKey = {SEAM_API_KEY: KEY};

  it('has the documented defaults', () => {
    expect(options(['people.csv'], withKey)).toEqual({
      input: 'people.csv',
      apiKey: KEY,
      endpoint: 'https://connect.getseam.com',
      concurrency: 10,
      // US is the engine's default (resolveSettings): left out here, the check pass may say numbers look like another country's.
      defaultCountry: undefined,
    });
  });

  it.each<[string, string[], Env, Partial<ImportOptions>]>([
    ['-o', ['a.csv', '-o', 'out.csv'], withKey, {out: 'out.csv'}],
    ['--out=', ['a.csv', '--out=out dir/r.csv'], withKey, {out: 'out dir/r.csv'}],
    ['--endpoint', ['a.csv', '--endpoint', 'https://seam.example.com/'], withKey, {endpoint: 'https://seam.example.com'}],
    ['SEAM_ENDPOINT', ['a.csv'], {...withKey, SEAM_ENDPOINT: 'https://env.example.com'}, {endpoint: 'https://env.example.com'}],
    ['--endpoint beats SEAM_ENDPOINT', ['a.csv', '--endpoint', 'https://flag.example.com'], {...withKey, SEAM_ENDPOINT: 'https://env.example.com'}, {endpoint: 'https://flag.example.com'}],
    ['http to localhost', ['a.csv', '--endpoint', 'http://localhost:8787'], withKey, {endpoint: 'http://localhost:8787'}],
    ['http to 127.0.0.1', ['a.csv', '--endpoint', 'http://127.0.0.1:8787'], withKey, {endpoint: 'http://127.0.0.1:8787'}],
    ['http to 127.x', ['a.csv', '--endpoint', 'http://127.9.8.7'], withKey, {endpoint: 'http://127.9.8.7'}],
    ['http to ::1', ['a.csv', '--endpoint', 'http://[::1]:8787'], withKey, {endpoint: 'http://[::1]:8787'}],
    ['--api-key', ['a.csv', '--api-key', KEY], {}, {apiKey: KEY}],
    ['--api-key beside SEAM_API_KEY holding the same key', ['a.csv', '--api-key', KEY], {SEAM_API_KEY: KEY}, {apiKey: KEY}],
    ['--personal-access-token + --workspace-id', ['a.csv', '--personal-access-token', 'seam_at_1', '--workspace-id', 'ws_1'], {}, {personalAccessToken: 'seam_at_1', workspaceId: 'ws_1'}],
    ['SEAM_PERSONAL_ACCESS_TOKEN + SEAM_WORKSPACE_ID', ['a.csv'], {SEAM_PERSONAL_ACCESS_TOKEN: 'seam_at_1', SEAM_WORKSPACE_ID: 'ws_1'}, {personalAccessToken: 'seam_at_1', workspaceId: 'ws_1'}],
    ['SEAM_WORKSPACE_ID is ignored with an API key', ['a.csv'], {...withKey, SEAM_WORKSPACE_ID: 'ws_1'}, {apiKey: KEY, workspaceId: undefined}],
    ['-c', ['a.csv', '-c', '25'], withKey, {concurrency: 25}],
    ['--concurrency 1', ['a.csv', '--concurrency', '1'], withKey, {concurrency: 1}],
    ['--concurrency=100', ['a.csv', '--concurrency=100'], withKey, {concurrency: 100}],
    ['--rate', ['a.csv', '--rate', '2.5'], withKey, {rate: 2.5}],
    // Was refused as "must be a number … above 0".
    ['--rate in exponent form', ['a.csv', '--rate', '1e3'], withKey, {rate: 1000}],
    ['--rate .5', ['a.csv', '--rate', '.5'], withKey, {rate: 0.5}],
    ['--timeout 1.5e1', ['a.csv', '--timeout', '1.5e1'], withKey, {timeoutMs: 15_000}],
    ['--timeout seconds → timeoutMs', ['a.csv', '--timeout', '7.5'], withKey, {timeoutMs: 7500}],
    ['--timeout 1, the least', ['a.csv', '--timeout', '1'], withKey, {timeoutMs: 1000}],
    ['--timeout 3600, the most', ['a.csv', '--timeout', '3600'], withKey, {timeoutMs: 3_600_000}],
    ['--timeout 30, the default, given', ['a.csv', '--timeout', '30'], withKey, {timeoutMs: 30_000}],
    ['--max-attempts 10', ['a.csv', '--max-attempts', '10'], withKey, {maxAttempts: 10}],
    ['--max-attempts 1, the least', ['a.csv', '--max-attempts=1'], withKey, {maxAttempts: 1}],
    ['--dry-run needs no credentials', ['a.csv', '--dry-run'], {}, {dryRun: true, apiKey: undefined}],
    ['--resume', ['a.csv', '--resume'], withKey, {resume: true}],
    ['--restart', ['a.csv', '--restart'], withKey, {restart: true}],
    ['--default-country, any case', ['a.csv', '--default-country', 'gb'], withKey, {defaultCountry: 'GB'}],
    ['--map, repeatable', ['a.csv', '--map', 'email_address=Work Email', '--map=user_identity_key=Badge'], withKey, {map: {email_address: 'Work Email', user_identity_key: 'Badge'}}],
    ['--map first_name and last_name (an ADP export\'s "Legal First Name")', ['a.csv', '--map', 'first_name=Legal First Name', '--map', 'last_name=Legal Last Name'], withKey, {map: {first_name: 'Legal First Name', last_name: 'Legal Last Name'}}],
    ['--sheet', ['a.xlsx', '--sheet', 'Staff'], withKey, {sheet: 'Staff'}],
    ['--encoding', ['a.csv', '--encoding', 'windows-1253'], withKey, {encoding: 'windows-1253'}],
    ['--acs-system-id, repeatable, lowercased, once each', ['a.csv', '--acs-system-id', '6D9B6A7E-0D3E-4F2A-9C51-2F0B8C1E7A10', '--acs-system-id', '6d9b6a7e-0d3e-4f2a-9c51-2f0b8c1e7a10', '--acs-system-id', '11111111-2222-3333-4444-555555555555'], withKey, {acsSystemIds: ['6d9b6a7e-0d3e-4f2a-9c51-2f0b8c1e7a10', '11111111-2222-3333-4444-555555555555']}],
    ['--sandbox needs no credentials and always restarts', ['a.csv', '--sandbox'], {}, {restart: true, apiKey: undefined, endpoint: undefined}],
    ['--sandbox ignores SEAM_* variables', ['a.csv', '--sandbox'], {SEAM_API_KEY: KEY, SEAM_ENDPOINT: 'http://example.com'}, {apiKey: undefined, endpoint: undefined}],
  ])('%s', (_name, argv, env, expected) => {
    const actual = options(argv, env);
    for (const [key, value] of Object.entries(expected)) {
      // `undefined` in the table means "not set at all".
      if (value === undefined) expect(actual).not.toHaveProperty(key);
      else expect(actual).toHaveProperty(key, value);
    }
  });

  it.each<[string, string[], Partial<{yes: boolean; noTui: boolean; json: boolean; sandbox: boolean; demo: boolean}>]>([
    ['-y', ['a.csv', '-y'], {yes: true}],
    ['--yes', ['a.csv', '--yes'], {yes: true}],
    ['--no-tui', ['a.csv', '--no-tui'], {noTui: true}],
    ['--json', ['a.csv', '--json'], {json: true}],
    ['--sandbox', ['a.csv', '--sandbox'], {sandbox: true, demo: false}],
    ['--demo implies --sandbox', ['a.csv', '--demo'], {sandbox: true, demo: true}],
    ['none', ['a.csv', '--dry-run'], {yes: false, noTui: false, json: false, sandbox: false, demo: false}],
  ])('ui flag %s', (_name, argv, expected) => {
    const command = parseCommand(argv, {SEAM_API_KEY: KEY});
    expect(command.kind === 'import' ? command.ui : undefined).toMatchObject(expected);
  });

  it.each([
    [['--help'], 'help'],
    [['-h'], 'help'],
    [['a.csv', '--help'], 'help'],
    [['--version'], 'version'],
    [['-v'], 'version'],
  ])('%j is %s', (argv, kind) => {
    expect(parseCommand(argv, {}).kind).toBe(kind);
  });

  it('hands everything after `sandbox` to the sandbox command', () => {
    expect(parseCommand(['sandbox', '--port', '0', '--rate-limit', '5'], {})).toEqual({kind: 'sandbox', argv: ['--port', '0', '--rate-limit', '5']});
  });
});

describe('usage errors (exit 2) name the flag', () => {
  const withKey = {SEAM_API_KEY: KEY};
  it.each<[string, string[], Env, RegExp]>([
    ['no file', [], withKey, /Missing <file>/],
    ['two files', ['a.csv', 'b.csv'], withKey, /Only one <file>/],
    ['unknown option', ['a.csv', '--frobnicate'], withKey, /Unknown option --frobnicate\./],
    ['unknown short option', ['a.csv', '-x'], withKey, /Unknown option -x\./],
    ['-o without a value', ['a.csv', '-o'], withKey, /--out needs a value/],
    ['a boolean with a value', ['a.csv', '--yes=1'], withKey, /--yes does not take a value/],
    ['--api-key followed by a flag', ['a.csv', '--api-key', '--yes'], {}, /--api-key needs a value/],
    ['--concurrency 0', ['a.csv', '-c', '0'], withKey, /--concurrency must be a whole number from 1 to 100; got "0"/],
    ['--concurrency 101', ['a.csv', '--concurrency', '101'], withKey, /--concurrency must be a whole number from 1 to 100; got "101"/],
    ['--concurrency abc', ['a.csv', '--concurrency', 'abc'], withKey, /--concurrency .*got "abc"/],
    ['--concurrency 1.5', ['a.csv', '--concurrency', '1.5'], withKey, /--concurrency .*got "1.5"/],
    ['--rate 0', ['a.csv', '--rate', '0'], withKey, /--rate must be a number of requests per second above 0/],
    ['--rate fast', ['a.csv', '--rate', 'fast'], withKey, /--rate .*got "fast"/],
    ['--rate 0x10', ['a.csv', '--rate', '0x10'], withKey, /--rate .*got "0x10"/],
    ['--rate Infinity', ['a.csv', '--rate', 'Infinity'], withKey, /--rate .*got "Infinity"/],
    ['--rate 1e999 (beyond any number)', ['a.csv', '--rate', '1e999'], withKey, /--rate .*got "1e999"/],
    ['--timeout=-1', ['a.csv', '--timeout=-1'], withKey, /^--timeout must be a number of seconds from 1 to 3600 \(one request's time limit; default 30\); got "-1"\.$/],
    // 3000000 s overflowed Node's timers (TimeoutOverflowWarning): every request timed out at once.
    ['--timeout 3000000', ['a.csv', '--timeout', '3000000'], withKey, /^--timeout must be a number of seconds from 1 to 3600 .*got "3000000"\.$/],
    ['--timeout 3600.5', ['a.csv', '--timeout', '3600.5'], withKey, /--timeout must be a number of seconds from 1 to 3600 .*got "3600.5"/],
    // 0.001 s was taken, and every request failed "within 0 s".
    ['--timeout 0.001', ['a.csv', '--timeout', '0.001'], withKey, /--timeout must be a number of seconds from 1 to 3600 .*got "0.001"/],
    ['--timeout 0', ['a.csv', '--timeout', '0'], withKey, /--timeout must be .*got "0"/],
    ['--max-attempts 0', ['a.csv', '--max-attempts', '0'], withKey, /^--max-attempts must be a whole number from 1 to 20; got "0"\.$/],
    ['--max-attempts 21', ['a.csv', '--max-attempts', '21'], withKey, /^--max-attempts must be a whole number from 1 to 20; got "21"\.$/],
    ['--max-attempts 2.5', ['a.csv', '--max-attempts', '2.5'], withKey, /^--max-attempts must be a whole number from 1 to 20; got "2.5"\.$/],
    ['--timeout 1e999', ['a.csv', '--timeout', '1e999'], withKey, /--timeout must be .*got "1e999"/],
    ['--timeout soon', ['a.csv', '--timeout', 'soon'], withKey, /--timeout must be .*got "soon"/],
    ['--default-country XX', ['a.csv', '--default-country', 'XX'], withKey, /^--default-country must be a two-letter ISO region code such as US, GB or DE; got "XX"\.$/],
    // Was echoed back as "NARNIA".
    ['--default-country, an unknown name, quoted as typed', ['a.csv', '--default-country', 'Narnia'], withKey, /got "Narnia"\.$/],
    // Was refused with no suggestion.
    ['--default-country UK', ['a.csv', '--default-country', 'UK'], withKey, /^--default-country takes a two-letter ISO region code: the code for the United Kingdom is GB, so pass --default-country GB \(got "UK"\)\.$/],
    // Was echoed back as "UNITED KINGDOM".
    ['--default-country "United Kingdom"', ['a.csv', '--default-country', 'United Kingdom'], withKey, /^--default-country takes a two-letter ISO region code: the code for the United Kingdom is GB, so pass --default-country GB \(got "United Kingdom"\)\.$/],
    ['--default-country Germany', ['a.csv', '--default-country', 'Germany'], withKey, /the code for Germany is DE, so pass --default-country DE \(got "Germany"\)/],
    ['--map to an unknown field', ['a.csv', '--map', 'mail=E-mail'], withKey, /--map: "mail" is not a field; use one of user_identity_key, email_address, phone_number, full_name, acs_system_ids, first_name, last_name, country\./],
    ['--map without =', ['a.csv', '--map', 'email_address'], withKey, /--map takes <field>=<header>/],
    ['--map with an empty header', ['a.csv', '--map', 'email_address='], withKey, /--map takes <field>=<header>/],
    ['--map twice for one field', ['a.csv', '--map', 'email_address=A', '--map', 'email_address=B'], withKey, /--map: email_address is mapped twice/],
    ['--acs-system-id not a UUID', ['a.csv', '--acs-system-id', 'front-door'], withKey, /--acs-system-id must be a UUID; got "front-door"/],
    ['--resume with --restart', ['a.csv', '--resume', '--restart'], withKey, /--resume and --restart contradict/],
    ['--sandbox with --resume', ['a.csv', '--sandbox', '--resume'], {}, /--resume cannot be used with --sandbox/],
    ['--sandbox with --api-key', ['a.csv', '--sandbox', '--api-key', KEY], {}, /--api-key cannot be used with --sandbox/],
    // Not "hold different keys": the embedded sandbox uses neither.
    ['--sandbox with --api-key beside another SEAM_API_KEY', ['a.csv', '--sandbox', '--api-key', KEY], {SEAM_API_KEY: 'seam_other'}, /--api-key cannot be used with --sandbox/],
    ['--sandbox with --endpoint', ['a.csv', '--sandbox', '--endpoint', 'https://x.example'], {}, /--endpoint cannot be used with --sandbox/],
    ['plain http to another host', ['a.csv', '--endpoint', 'http://seam.example.com'], withKey, /--endpoint: plain http:\/\/ would send the key unencrypted to seam\.example\.com/],
    ['plain http in SEAM_ENDPOINT', ['a.csv'], {...withKey, SEAM_ENDPOINT: 'http://10.0.0.5:8787'}, /SEAM_ENDPOINT: plain http:\/\//],
    ['http to a name that only starts with 127', ['a.csv', '--endpoint', 'http://127.0.0.1.evil.example'], withKey, /plain http:\/\//],
    ['not a URL', ['a.csv', '--endpoint', 'https://'], withKey, /^--endpoint must be a URL such as https:\/\/connect\.getseam\.com; got "https:\/\/"\.$/],
    // Was "--endpoint must be an https:// URL; got localhost://."
    ['a loopback host and port without https://', ['a.csv', '--endpoint', 'localhost:9'], withKey, /^--endpoint must start with https:\/\/; got "localhost:9"\. Write https:\/\/localhost:9 \(or http:\/\/localhost:9: plain http is allowed to this machine only\)\.$/],
    ['127.0.0.1:8787 without http://', ['a.csv', '--endpoint', '127.0.0.1:8787'], withKey, /Write https:\/\/127\.0\.0\.1:8787 \(or http:\/\/127\.0\.0\.1:8787: plain http/],
    ['[::1]:8787 without http://', ['a.csv', '--endpoint', '[::1]:8787'], withKey, /Write https:\/\/\[::1\]:8787 \(or http:\/\/\[::1\]:8787/],
    // Was "--endpoint must be a URL such as https://connect.getseam.com; got "connect.getseam.com"."
    ['a host without https://', ['a.csv', '--endpoint', 'connect.getseam.com'], withKey, /^--endpoint must start with https:\/\/; got "connect\.getseam\.com"\. Write https:\/\/connect\.getseam\.com\.$/],
    ['a host, port and path without https://, from SEAM_ENDPOINT', ['a.csv'], {...withKey, SEAM_ENDPOINT: 'seam.example.com:443/v1'}, /^SEAM_ENDPOINT must start with https:\/\/; got "seam\.example\.com:443\/v1"\. Write https:\/\/seam\.example\.com:443\/v1\.$/],
    ['not http(s)', ['a.csv', '--endpoint', 'ftp://connect.getseam.com'], withKey, /--endpoint must be an https:\/\/ URL/],
    ['key and token both', ['a.csv', '--personal-access-token', 'seam_at_1', '--workspace-id', 'w'], withKey, /Both an API key \(SEAM_API_KEY\) and a personal access token \(--personal-access-token\)/],
    ['token without workspace', ['a.csv', '--personal-access-token', 'seam_at_1'], {}, /--personal-access-token needs a workspace: pass --workspace-id/],
    ['token from env without workspace', ['a.csv'], {SEAM_PERSONAL_ACCESS_TOKEN: 'seam_at_1'}, /SEAM_PERSONAL_ACCESS_TOKEN needs a workspace/],
    ['--workspace-id with an API key', ['a.csv', '--workspace-id', 'w'], withKey, /--workspace-id goes with --personal-access-token/],
    ['an empty --api-key', ['a.csv', '--api-key', ''], {}, /^--api-key is empty\. If it was given as "\$SEAM_API_KEY", that variable is not set in this shell: export SEAM_API_KEY=… first\.$/],
    ['an empty SEAM_API_KEY', ['a.csv'], {SEAM_API_KEY: ' '}, /^SEAM_API_KEY is empty\.$/],
    ['an empty --personal-access-token', ['a.csv', '--personal-access-token', ''], {}, /export SEAM_PERSONAL_ACCESS_TOKEN=… first/],
    // The flag used to win, silently; the printed commands say "$SEAM_API_KEY", and pasted, went to the other workspace.
    ['--api-key beside SEAM_API_KEY holding another key', ['a.csv', '--api-key', 'seam_prod'], {SEAM_API_KEY: 'seam_staging'}, /^--api-key and SEAM_API_KEY hold different keys\. The commands this run prints \(to resume, retry, import for real\) use "\$SEAM_API_KEY", so pasted they would go to the other key's workspace\. Unset SEAM_API_KEY, or set it to this key instead of passing --api-key\.$/],
    ['--personal-access-token beside SEAM_PERSONAL_ACCESS_TOKEN holding another', ['a.csv', '--personal-access-token', 'seam_at_a', '--workspace-id', 'w'], {SEAM_PERSONAL_ACCESS_TOKEN: 'seam_at_b'}, /^--personal-access-token and SEAM_PERSONAL_ACCESS_TOKEN hold different keys/],
    // Were "Could not reach Seam … (ERR_INVALID_CHAR). Check the network and --endpoint.": the key is never shown.
    ['a key pasted with curly quotes', ['a.csv', '--api-key', '\u201Cseam_secret123\u201D'], {}, /^--api-key holds curly quotes: copy it again from the Seam console, as plain text, without quotes around it\.$/],
    ['a key with a line break inside', ['a.csv'], {SEAM_API_KEY: 'seam_sec\nret123'}, /^SEAM_API_KEY holds a space or a line break: copy it again/],
    ['a token with a non-breaking space', ['a.csv', '--personal-access-token', 'seam_at\u00A0x', '--workspace-id', 'w'], {}, /^--personal-access-token holds a space or a line break/],
    ['-o=x.csv (a short option keeps the "=")', ['a.csv', '-o=x.csv'], withKey, /^-o =x\.csv: a path starting with "=" \(was -o=… meant\?\)\. Write -o x\.csv or --out=x\.csv\.$/],
    ['--out named like a workbook', ['a.xlsx', '-o', 'people.results.xlsx'], withKey, /^--out people\.results\.xlsx: the results file is CSV \(Excel opens it\); name it \.csv, e.g\. people\.results\.csv\.$/],
    ['no credentials for a real import', ['a.csv'], {}, /No Seam credentials: set SEAM_API_KEY \(or pass --api-key\), or try it first with --sandbox/],
  ])('%s', (_name, argv, env, message) => {
    const error = usageError(argv, env);
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(message);
  });

  // A SEAM_WORKSPACE_ID left from a token's session was ignored without a word beside an API key.
  it("SEAM_WORKSPACE_ID beside an API key is said to be ignored (the key's workspace gets the people); with a token it is the workspace", () => {
    const withKeyAndWorkspace = options(['a.csv'], {...withKey, SEAM_WORKSPACE_ID: 'ws_1'});
    expect(withKeyAndWorkspace.workspaceId).toBeUndefined();
    expect(withKeyAndWorkspace.notices).toEqual([
      'SEAM_WORKSPACE_ID (ws_1) is ignored: an API key belongs to one workspace, and the people go to that workspace, whatever the variable says. Check that SEAM_API_KEY is the key of the workspace you mean.',
    ]);
    expect(options(['a.csv'], withKey).notices).toBeUndefined();
    const withToken = options(['a.csv'], {SEAM_PERSONAL_ACCESS_TOKEN: 'seam_at_1', SEAM_WORKSPACE_ID: 'ws_1'});
    expect(withToken).toMatchObject({personalAccessToken: 'seam_at_1', workspaceId: 'ws_1'});
    expect(withToken.notices).toBeUndefined();
  });

  it('"--map field header" without "=" and "-o <the input>" without the input say what happened, not "2 files" or "Missing <file>"', () => {
    const said = (argv: string[], files: string[]): string => {
      try {
        parseCommand(argv, {SEAM_API_KEY: 'seam_k'}, (path) => files.includes(path));
      } catch (error) {
        if (error instanceof UsageError) return error.message;
        throw error;
      }
      throw new Error('no usage error');
    };
    // Was: "Only one <file> can be imported at a time; got 2 (1 too many). Quote a path that has spaces."
    expect(said(['people.csv', '--map', 'user_identity_key', 'Badge'], ['people.csv'])).toBe('--map takes <field>=<header> as one word, with "=": write --map user_identity_key="Badge"; "Badge" was read as a second file.');
    expect(said(['--map', 'user_identity_key', 'Badge', 'people.csv'], ['people.csv'])).toBe('--map takes <field>=<header> as one word, with "=": write --map user_identity_key="Badge"; "Badge" was read as a second file.');
    // Was: "Missing <file>: name the spreadsheet to import."
    expect(said(['-o', 'building.csv', '--dry-run'], ['building.csv'])).toBe('Missing <file>: name the spreadsheet to import. (-o building.csv took the file as the results path: write the file first, then -o <results path>.)');
    expect(said(['--dry-run'], [])).toBe('Missing <file>: name the spreadsheet to import.');
  });

  it('no file and no key: the missing file is said first, and "sanbox" is pointed to the sandbox command', () => {
    const missing = (argv: string[]): string => {
      try {
        parseCommand(argv, {}, () => false);
      } catch (error) {
        if (error instanceof UsageError) return error.message;
        throw error;
      }
      throw new Error('no usage error');
    };
    expect(missing(['nosuch.csv'])).toBe('File not found: nosuch.csv. Check the path and the file name.');
    expect(missing(['sanbox'])).toBe('File not found: sanbox. Check the path and the file name. To start the local sandbox server, the command is: seam-import sandbox');
    // With a key, the file is looked for by the import (its own message, same words).
    expect(parseCommand(['nosuch.csv'], {SEAM_API_KEY: KEY}, () => false).kind).toBe('import');
  });

  it.each<[string, string[], Env]>([
    ['a misspelt key flag', ['a.csv', `--apikey=${KEY}`], {}],
    ['a key as a second file', ['a.csv', KEY], {SEAM_API_KEY: KEY}],
    ['a key with a token', ['a.csv', '--api-key', KEY, '--personal-access-token', `${KEY}2`], {}],
    ['a key inside the endpoint', ['a.csv', '--endpoint', `https://user:${KEY}@seam.example.com`], {SEAM_API_KEY: KEY}],
    ['a key inside an endpoint without https://', ['a.csv', '--endpoint', `user:${KEY}@seam.example.com`], {SEAM_API_KEY: KEY}],
    ['a key with a bad flag', ['a.csv', '--api-key', KEY, '-c', '0'], {}],
  ])('never echoes the key: %s', (_name, argv, env) => {
    expect(usageError(argv, env).message).not.toContain(KEY);
  });
});

describe('--default-country suggests the code for a name', () => {
  it.each([
    ['United States', 'US'],
    ['USA', 'US'],
    ['U.S.A.', 'US'],
    ['united states of america', 'US'],
    ['UK', 'GB'],
    ['U.K.', 'GB'],
    ['England', 'GB'],
    ['Great Britain', 'GB'],
    ['GBR', 'GB'],
    ['Germany', 'DE'],
    ['Deutschland', 'DE'],
    ['DEU', 'DE'],
    ['France', 'FR'],
    ['Canada', 'CA'],
    ['Australia', 'AU'],
    ['India', 'IN'],
    ['the Netherlands', 'NL'],
    ['Holland', 'NL'],
    ['España', 'ES'],
    ['Ireland', 'IE'],
    ['New Zealand', 'NZ'],
    ['Mexico', 'MX'],
    ['Brazil', 'BR'],
    ['Japan', 'JP'],
    ['South Africa', 'ZA'],
    ['UAE', 'AE'],
    ['Hong Kong', 'HK'],
    ['  switzerland ', 'CH'],
  ])('%s → %s', (name, code) => {
    const message = usageError(['a.csv', '--default-country', name], {SEAM_API_KEY: KEY}).message;
    expect(message).toContain(`so pass --default-country ${code} (got "${name.trim()}").`);
  });

  it.each(['Narnia', 'ZZ', 'Europe', '12'])('%s: no suggestion, only what it takes', (input) => {
    expect(usageError(['a.csv', '--default-country', input], {SEAM_API_KEY: KEY}).message).toBe(
      `--default-country must be a two-letter ISO region code such as US, GB or DE; got "${input}".`,
    );
  });
});

describe('helpers', () => {
  it.each([
    ['localhost', true],
    ['LOCALHOST', true],
    ['app.localhost', true],
    ['127.0.0.1', true],
    ['127.255.0.9', true],
    ['[::1]', true],
    ['::1', true],
    ['128.0.0.1', false],
    ['127.0.0.1.nip.io', false],
    ['localhost.example.com', false],
    ['10.0.0.1', false],
  ])('isLoopbackHost(%s) is %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });

  it.each<[string[], boolean]>([
    [['a.csv', '--json'], true],
    [['a.csv', '--json', '-c', '0'], true],
    [['a.csv', '--frobnicate', '--json'], true],
    [['a.csv', '-c', '0'], false],
    // A file named --json, and --json as another flag's value, are not the flag.
    [['a.csv', '--', '--json'], false],
    [['a.csv', '--out=--json'], false],
    // `-o --json`: the error is that -o has no value; the --json after it is the flag, and was not heard.
    [['a.csv', '-o', '--json'], true],
    [['a.csv', '--out', '--json', '--dry-run'], true],
    [['sandbox', '--json'], false],
  ])('asksForJson(%j) is %s, even when the command line is wrong', (argv, expected) => {
    expect(asksForJson(argv)).toBe(expected);
  });

  it('collects every secret given, from flags and the environment', () => {
    expect(
      collectSecrets(['a.csv', '--api-key', 'k1', '--personal-access-token=t1', '--api-key'], {SEAM_API_KEY: 'k2', SEAM_PERSONAL_ACCESS_TOKEN: ''}).sort(),
    ).toEqual(['k1', 'k2', 't1']);
  });
});
