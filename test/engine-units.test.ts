import {readFileSync, writeFileSync, appendFileSync, existsSync, closeSync, statSync, utimesSync} from 'node:fs';
import {hostname} from 'node:os';
import {join} from 'node:path';
import {spawn, spawnSync} from 'node:child_process';
import {once} from 'node:events';
import {Agent, createServer, request as httpRequest} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {ImportError} from '../src/engine/errors.js';
import {describe, expect, it, vi} from 'vitest';
import {Deduper} from '../src/engine/dedupe.js';
import {startTimeOf} from '../src/engine/alive.js';
import {PhoneMemo} from '../src/engine/phone-memo.js';
import {RETRYABLE_CODES} from '../src/engine/types.js';
import {credentialKindHint} from '../src/engine/workspace.js';
import {FOREIGN_LOCK_STALE_MS, Journal, readJournal, type RunRecord} from '../src/engine/journal.js';
import {neutralizeCell, ResultsWriter, unneutralizeCell} from '../src/engine/results.js';
import {RESULT_COLUMNS} from '../src/engine/types.js';
import {defaultOutPath} from '../src/engine/options.js';
import {readingMismatch, readingOptions, resolveSettings, resultsImportFlags, shellWord} from '../src/engine/preflight.js';
import {describeValidationErrors, parseRetryAfter, SeamApiError} from '../src/seam/errors.js';
import {backoff, backoffAfter, MAX_SERVER_PAUSE_MS, Pacer} from '../src/seam/pacer.js';
import {judge, phoneForm} from '../src/seam/reconcile.js';
import {createSeamClient, type SeamClient, type UserIdentity} from '../src/seam/client.js';
import {sendRow, type SenderContext} from '../src/engine/send-row.js';
import {SilenceWatch, SILENT_WAIT_MAX_MS, withRetries} from '../src/seam/retry.js';
import {loadExisting, MAX_FRUITLESS_PAGES} from '../src/engine/existing.js';
import {tempDir} from './helpers/files.js';
import {PhoneCountryHint} from '../src/engine/phone-country.js';

const identity = (over: Partial<UserIdentity>): UserIdentity => ({
  user_identity_id: 'id-1',
  user_identity_key: null,
  email_address: null,
  phone_number: null,
  full_name: null,
  ...over,
});

describe('judge (the reconcile rule)', () => {
  it('adopts one identity with everything the row gives, ignoring fields the row leaves empty', () => {
    const found = identity({user_identity_key: 'K', email_address: 'A@x.com', phone_number: '+16172000001'});
    expect(judge({email_address: 'a@x.com'}, [found])).toMatchObject({kind: 'match'});
    expect(judge({user_identity_key: 'K', email_address: 'a@x.com', phone_number: '+16172000001'}, [found])).toMatchObject({kind: 'match'});
  });

  it.each([
    [{user_identity_key: 'K2', email_address: 'a@x.com'}, 'user_identity_key'],
    [{email_address: 'a@x.com', phone_number: '+16172000009'}, 'phone_number'],
    [{user_identity_key: 'K', email_address: 'b@x.com'}, 'email_address'],
  ] as const)('calls a clash a conflict and names the field: %j', (person, field) => {
    const found = identity({user_identity_id: 'abc', user_identity_key: 'K', email_address: 'a@x.com', phone_number: '+16172000001'});
    const verdict = judge(person, [found], {user_identity_key: 'Resident ID'});
    expect(verdict).toMatchObject({kind: 'conflict', field});
    if (verdict.kind === 'conflict') expect(verdict.message).toContain('abc');
  });

  // Two people, each with one of the row's values: the ids were named, not which value each one holds.
  it('a row whose key is one identity\'s and email another\'s names which is which', () => {
    const a = identity({user_identity_id: 'id-a', user_identity_key: 'A1', email_address: 'a@x.com'});
    const b = identity({user_identity_id: 'id-b', user_identity_key: 'B1', email_address: 'b@x.com'});
    const verdict = judge({user_identity_key: 'A1', email_address: 'b@x.com'}, [a, b], {user_identity_key: 'Resident ID', email_address: 'Email'});
    expect(verdict).toMatchObject({kind: 'conflict', code: 'conflict'});
    if (verdict.kind === 'conflict') {
      expect(verdict.message).toBe(
        'Seam already has different identities for this row\'s key, email or phone: id-a holds its key "A1" (column "Resident ID"); id-b holds its email "b@x.com" (column "Email"). Fix the row or those identities, then import it again.',
      );
    }
  });

  it('compares phones written with "+" as numbers, and a number without its "+" as written', () => {
    for (const same of ['+12125550100', '+1 212-555-0100', '+1 (212) 555-0100', '+1.212.555.0100', '+1 212 555 0100']) {
      expect({same, form: phoneForm(same)}).toEqual({same, form: '+12125550100'});
      expect(judge({user_identity_key: 'K', phone_number: '+12125550100'}, [identity({user_identity_key: 'K', phone_number: same})])).toMatchObject({kind: 'match'});
    }
    // Without its "+" a number is no country's: "13012345678" is a Chinese mobile written at home,
    // not +1 301 234 5678; "34912345678" a Brazilian one, not +34 91 234 5678 (a reviewer's cases:
    // read as international, rows were given those people's ids). A "(0)" stays in the digits.
    for (const other of ['12125550100', '13012345678', '34912345678', '8 495 123 45 67', '(212) 555-0100', '2125550100', '0207 946 0018', 'ext. 12']) {
      expect({other, form: phoneForm(other)}).toEqual({other, form: other});
    }
    expect(phoneForm('+44 (0)20 7946 0018')).toBe('+4402079460018');
    expect(judge({user_identity_key: 'K', phone_number: '+12125550100'}, [identity({user_identity_key: 'K', phone_number: '(212) 555-0100'})])).toMatchObject({kind: 'conflict', field: 'phone_number'});
    expect(judge({user_identity_key: 'K', phone_number: '+13012345678'}, [identity({user_identity_key: 'K', phone_number: '13012345678'})])).toMatchObject({kind: 'conflict', field: 'phone_number'});
  });

  it("the workspace's listing keeps every identity with a number: two are a clash, not one picked", async () => {
    const {ExistingIndex} = await import('../src/engine/existing.js');
    const index = new ExistingIndex();
    index.add(identity({user_identity_id: 'us-pat', user_identity_key: null, phone_number: '+13012345678'}));
    index.add(identity({user_identity_id: 'cn-li', user_identity_key: null, phone_number: '13012345678'}));
    expect(index.candidates({phone_number: '+13012345678'}).map((i) => i.user_identity_id)).toEqual(['us-pat']);
    index.add(identity({user_identity_id: 'us-pat-2', user_identity_key: null, phone_number: '+1 301 234 5678'}));
    // Listed twice (a page repeated): still one entry.
    index.add(identity({user_identity_id: 'us-pat-2', user_identity_key: null, phone_number: '+1 301 234 5678'}));
    const both = index.candidates({phone_number: '+13012345678'});
    expect(both.map((i) => i.user_identity_id)).toEqual(['us-pat', 'us-pat-2']);
    expect(judge({phone_number: '+13012345678'}, both)).toMatchObject({kind: 'conflict'});
  });

  it('reads the workspace page by page where list refuses `search`, and fails the lookup when it has more pages than that reads', async () => {
    const {reconcile, FALLBACK_SCAN_PAGES} = await import('../src/seam/reconcile.js');
    const refused = new SeamApiError('refused', "Seam refused the request (400 invalid_input: Unrecognized key(s) in object: 'search')", {status: 400, type: 'invalid_input'});
    const workspace = (pages: number, person?: UserIdentity) => {
      let listed = 0;
      const client = {
        listUserIdentities: async (params: {search?: string; page_cursor?: string}) => {
          if (params.search !== undefined) throw refused;
          listed += 1;
          const page = Number(params.page_cursor ?? '0');
          const others = [identity({user_identity_id: `other-${page}`, user_identity_key: null, email_address: `other${page}@example.com`})];
          return {identities: page === pages - 1 && person ? [...others, person] : others, nextCursor: page + 1 < pages ? String(page + 1) : undefined};
        },
      };
      return {client: client as unknown as Parameters<typeof reconcile>[0], listed: () => listed};
    };
    const person = {email_address: 'new@example.com'};
    const made = identity({user_identity_id: 'made', user_identity_key: null, email_address: 'new@example.com'});
    // Found on the last page the fallback reads.
    const small = workspace(FALLBACK_SCAN_PAGES, made);
    expect(await reconcile(small.client, person, {}, {thorough: false})).toMatchObject({kind: 'match', identity: {user_identity_id: 'made'}});
    // Read to its end, no one: none.
    const empty = workspace(3);
    expect(await reconcile(empty.client, person, {}, {thorough: false})).toEqual({kind: 'none'});
    expect(empty.listed()).toBe(3);
    // More pages than the fallback reads: not "no one" (the row was sent again, and the person
    // made twice), but the lookup failed, with the refusal.
    const large = workspace(FALLBACK_SCAN_PAGES + 1, made);
    await expect(reconcile(large.client, person, {}, {thorough: false})).rejects.toBe(refused);
    expect(large.listed()).toBe(FALLBACK_SCAN_PAGES);
  });

  // A server that leaves a field out of its answers: its phone was said to be "empty".
  it('a field left out of the answer is said so, not said to be empty', () => {
    const person = {user_identity_key: 'K', phone_number: '+16172000001'};
    const {phone_number: _left, ...withoutPhone} = identity({user_identity_id: 'abc', user_identity_key: 'K'});
    const left = judge(person, [withoutPhone as UserIdentity], {phone_number: 'Mobile'});
    expect(left).toMatchObject({kind: 'conflict', field: 'phone_number'});
    if (left.kind === 'conflict') {
      expect(left.message).toBe(
        'Seam already has user identity abc with the same key "K", but Seam\'s answer gives no phone for it where this row has "+16172000001" (column "Mobile"). Fix the row or that identity, then import it again.',
      );
    }
    const empty = judge(person, [identity({user_identity_id: 'abc', user_identity_key: 'K'})], {phone_number: 'Mobile'});
    if (empty.kind === 'conflict') expect(empty.message).toContain('but its phone is empty where this row has');
    expect(empty.kind).toBe('conflict');
  });

  // A key made in Seam in full-width digits or decomposed accents (by another tool, or by this one
  // before keys were folded) is the key a row writes plainly: the same person, not a clash.
  it('compares keys as they are sent: full-width and decomposed keys in Seam are the row\'s key', () => {
    expect(judge({user_identity_key: '1001', email_address: 'a@x.com'}, [identity({user_identity_key: '１００１', email_address: 'a@x.com'})])).toMatchObject({kind: 'match'});
    expect(judge({user_identity_key: '\u00C9lodie-17'}, [identity({user_identity_key: 'E\u0301lodie-17'})])).toMatchObject({kind: 'match'});
    expect(judge({user_identity_key: '1002', email_address: 'a@x.com'}, [identity({user_identity_key: '１００１', email_address: 'a@x.com'})])).toMatchObject({kind: 'conflict', field: 'user_identity_key'});
  });

  it('a clash only in characters no one sees names them: Seam\'s key "K77" + zero-width space is not shown as the row\'s "K77"', () => {
    const verdict = judge({user_identity_key: 'K77', email_address: 'a@x.com'}, [identity({user_identity_id: 'zw', user_identity_key: 'K77\u200B', email_address: 'a@x.com'})]);
    expect(verdict).toMatchObject({kind: 'conflict', field: 'user_identity_key'});
    if (verdict.kind === 'conflict') expect(verdict.message).toContain('but its key is "K77\\u200B" where this row has "K77".');
  });

  it('finds the identity Seam lists with a full-width or decomposed key by the row\'s key', async () => {
    const {ExistingIndex} = await import('../src/engine/existing.js');
    const index = new ExistingIndex();
    index.add(identity({user_identity_id: 'wide', user_identity_key: '１００１'}));
    index.add(identity({user_identity_id: 'nfd', user_identity_key: 'E\u0301lodie-17'}));
    expect(index.candidates({user_identity_key: '1001'}).map((c) => c.user_identity_id)).toEqual(['wide']);
    expect(index.candidates({user_identity_key: '\u00C9lodie-17'}).map((c) => c.user_identity_id)).toEqual(['nfd']);
    // Seam also has the key exactly as the row reads it (both made by an earlier build, or other
    // tools): that identity is the row's by key, not a conflict between the two.
    index.add(identity({user_identity_id: 'ascii', user_identity_key: '1001', email_address: 'b@x.com'}));
    expect(index.candidates({user_identity_key: '1001', email_address: 'b@x.com'}).map((c) => c.user_identity_id)).toEqual(['ascii']);
    // Two in another form only (１００１ and １００1): both are candidates, and the row is a conflict, not either.
    const folded = new ExistingIndex();
    folded.add(identity({user_identity_id: 'wide', user_identity_key: '１００１'}));
    folded.add(identity({user_identity_id: 'mixed', user_identity_key: '１００1'}));
    const twins = folded.candidates({user_identity_key: '1001'});
    expect(twins.map((c) => c.user_identity_id)).toEqual(['wide', 'mixed']);
    expect(judge({user_identity_key: '1001'}, twins)).toMatchObject({kind: 'conflict'});
  });

  it('treats two different identities for one row as a conflict', () => {
    const verdict = judge({email_address: 'a@x.com', phone_number: '+16172000001'}, [
      identity({user_identity_id: 'one', email_address: 'a@x.com'}),
      identity({user_identity_id: 'two', phone_number: '+16172000001'}),
    ]);
    expect(verdict.kind).toBe('conflict');
    if (verdict.kind === 'conflict') expect(verdict.message).toMatch(/one.*two/);
  });

  it('never adopts an identity Seam is deleting (its being_deleted warning): a retryable failure that names it', () => {
    const deleting = identity({user_identity_id: 'gone-1', email_address: 'a@x.com', warnings: [{warning_code: 'being_deleted', message: 'Being deleted', created_at: '2026-11-28T12:00:00Z'}]});
    const verdict = judge({email_address: 'a@x.com'}, [deleting]);
    expect(verdict).toMatchObject({kind: 'conflict', code: 'being_deleted', field: 'email_address'});
    if (verdict.kind === 'conflict') expect(verdict.message).toBe('Seam has user identity gone-1 with the same email "a@x.com", but it is being deleted. Not sent: run again once Seam has finished deleting it (--resume sends this row again).');
    expect(RETRYABLE_CODES.has('being_deleted')).toBe(true);
    // Another warning does not stop the adoption.
    const warned = identity({email_address: 'a@x.com', warnings: [{warning_code: 'acs_user_profile_does_not_match_user_identity'}]});
    expect(judge({email_address: 'a@x.com'}, [warned])).toMatchObject({kind: 'match'});
  });

  it('finds nothing in nothing', () => {
    expect(judge({email_address: 'a@x.com'}, [])).toEqual({kind: 'none'});
  });
});

describe('credentialKindHint (after a 401)', () => {
  it.each([
    [{apiKey: 'seam_at1_SECRETabc'}, /^The API key starts with seam_at, as a personal access token does: pass it with --personal-access-token/],
    [{apiKey: 'seam_cst1_SECRETabc'}, /client session token/],
    [{apiKey: 'seam_pk1_SECRETabc'}, /publishable key/],
    [{apiKey: 'eyJhbGciOiJIUzI1NiJ9.SECRET'}, /is a JWT/],
    [{personalAccessToken: 'seam_test_SECRETabc'}, /does not start with seam_at.*pass it with --api-key/],
  ])('names the kind of %j without quoting it', (credentials, said) => {
    const hint = credentialKindHint(credentials);
    expect(hint).toMatch(said);
    expect(hint).not.toContain('SECRET');
  });

  it.each([[{apiKey: 'seam_test_abc'}], [{personalAccessToken: 'seam_at1_abc'}], [{}]])('says nothing of a credential of the right kind: %j', (credentials) => {
    expect(credentialKindHint(credentials)).toBeUndefined();
  });
});

describe('Deduper', () => {
  it('finds every earlier row through the tables growing (100,000 people, each repeated once)', () => {
    const d = new Deduper();
    const n = 100_000;
    for (let i = 0; i < n; i += 1) expect(d.claim({user_identity_key: `K-${i}`, email_address: `p${i}@x.com`}, i)).toBeUndefined();
    let found = 0;
    for (let i = 0; i < n; i += 1) {
      const hit = d.claim({email_address: `P${i}@X.COM`}, n + i);
      if (hit?.ofRow === i && hit.code === 'duplicate_email') found += 1;
    }
    expect(found).toBe(n);
    expect(d.claim({user_identity_key: 'K-new'}, 2 * n)).toBeUndefined();
  });

  it('keeps the first row and points later ones at it, on any of key, email (any case) and phone', () => {
    const d = new Deduper();
    expect(d.claim({email_address: 'a@x.com', phone_number: '+1'}, 1)).toBeUndefined();
    expect(d.claim({user_identity_key: 'K'}, 2)).toBeUndefined();
    expect(d.claim({email_address: 'A@X.COM'}, 3)).toMatchObject({code: 'duplicate_email', ofRow: 1});
    expect(d.claim({phone_number: '+1', user_identity_key: 'K'}, 4)).toMatchObject({ofRow: 1});
    expect(d.claim({user_identity_key: 'K', email_address: 'new@x.com'}, 5)).toMatchObject({code: 'duplicate_key', ofRow: 2});
    // A duplicate does not register its other values.
    expect(d.claim({email_address: 'new@x.com'}, 6)).toBeUndefined();
  });

  it('finds every earlier row after its shards have grown many times', () => {
    const d = new Deduper();
    const n = 200_000;
    const falseHits: number[] = [];
    for (let i = 0; i < n; i += 1) {
      if (d.claim({user_identity_key: `K${i}`, email_address: `p${i}@x.com`, phone_number: `+1617${2_000_000 + i}`}, i + 1)) falseHits.push(i + 1);
    }
    expect(falseHits).toEqual([]);
    for (let i = 0; i < n; i += 997) {
      expect(d.claim({email_address: `P${i}@X.com`}, n + 1)).toEqual({code: 'duplicate_email', field: 'email_address', ofRow: i + 1});
      expect(d.claim({phone_number: `+1617${2_000_000 + i}`}, n + 1)).toEqual({code: 'duplicate_phone', field: 'phone_number', ofRow: i + 1});
      expect(d.claim({user_identity_key: `K${i}`}, n + 1)).toEqual({code: 'duplicate_key', field: 'user_identity_key', ofRow: i + 1});
    }
    expect(d.claim({user_identity_key: `K${n}`}, n + 1)).toBeUndefined();
  });

  it('meets an email however it is cased, ASCII or not, as its toLowerCase(): every ASCII letter, É, and the Kelvin sign (K, which lower-cases to an ASCII k)', () => {
    const d = new Deduper();
    let row = 0;
    for (let c = 32; c < 127; c += 1) {
      const letter = String.fromCharCode(c);
      const address = `a${letter}b@x.com`;
      if (address.toLowerCase() !== address) continue;
      expect(d.claim({email_address: address}, ++row), address).toBeUndefined();
      const upper = address.toUpperCase();
      expect(d.claim({email_address: upper}, row + 1000), upper).toMatchObject({code: 'duplicate_email', ofRow: row});
    }
    expect(d.claim({email_address: '\u00C9lodie@x.fr'}, 500)).toBeUndefined();
    expect(d.claim({email_address: '\u00E9LODIE@X.FR'}, 501)).toMatchObject({code: 'duplicate_email', ofRow: 500});
    expect(d.claim({email_address: 'ada@\u212Aelvin.com'}, 502)).toBeUndefined();
    expect(d.claim({email_address: 'ADA@KELVIN.COM'}, 503)).toMatchObject({code: 'duplicate_email', ofRow: 502});
    // Seeded apart: a key with an email's text is not that email.
    expect(d.claim({user_identity_key: 'ada@kelvin.com'}, 504)).toBeUndefined();
  });
});

describe('PhoneMemo', () => {
  it('hands a row its answer once, only for the same text, and keeps nothing past its limit', () => {
    const memo = new PhoneMemo(10);
    memo.remember(3, '(617) 200-0001', '+16172000001');
    memo.remember(4, '+1 617 200 0002', '+16172000002');
    memo.remember(10, '+1 617 200 0010', '+16172000010');
    expect(memo.recall(4, '+1 617 200 0003')).toBeUndefined();
    expect(memo.recall(3, '(617) 200-0001')).toBe('+16172000001');
    expect(memo.recall(3, '(617) 200-0001')).toBeUndefined();
    expect(memo.recall(5, '(617) 200-0001')).toBeUndefined();
    expect(memo.recall(10, '+1 617 200 0010')).toBeUndefined();
  });
});

describe('results cells', () => {
  it.each([
    ['=SUM(A1)', "'=SUM(A1)"],
    ['@cmd', "'@cmd"],
    ['+1 (617) 200-0001', "'+1 (617) 200-0001"],
    ['-2+3', "'-2+3"],
    ['\tx', "'\tx"],
    ['+16172000001', '+16172000001'],
    ['-3', '-3'],
    ['Müller', 'Müller'],
    ['', ''],
  ])('neutralizes %j as %j and reads it back', (cell, out) => {
    expect(neutralizeCell(cell)).toBe(out);
    expect(unneutralizeCell(neutralizeCell(cell))).toBe(cell);
  });

  it('leaves a cell starting with + or - as it is exactly when it is a plain number (/^[+-]\\d+(\\.\\d+)?$/), for every text of up to 5 characters from + - . 0 9 a space LF and an Arabic digit', () => {
    const alphabet = ['+', '-', '.', '0', '9', 'a', ' ', '\n', '\u0663'];
    let texts = [''];
    let checked = 0;
    for (let length = 1; length <= 5; length += 1) {
      texts = texts.flatMap((text) => alphabet.map((c) => text + c));
      for (const text of texts) {
        if (text[0] !== '+' && text[0] !== '-') continue;
        expect(neutralizeCell(text), JSON.stringify(text)).toBe(/^[+-]\d+(\.\d+)?$/.test(text) ? text : `'${text}`);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(2 * 9 ** 4);
  });
});

describe('ResultsWriter', () => {
  it('says which file it could not write and why, when the disk fills up mid-run, and leaves no target behind', async () => {
    const dir = tempDir();
    const out = join(dir, 'people.results.csv');
    const writer = new ResultsWriter(out, ['Email']);
    await writer.write(['a@example.com'], {row: 1, status: 'would_create'});
    // What a full disk does to the file stream under the writer.
    const file = (writer as unknown as {file: NodeJS.EventEmitter}).file;
    file.emit('error', Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC'}));
    const refusal = {
      code: 'output_unwritable',
      message: `Could not write the results file ${out}: ENOSPC: no space left on device, write.`,
      hint: expect.stringMatching(/Free some disk space/),
    };
    await expect(writer.write(['b@example.com'], {row: 2, status: 'would_create'})).rejects.toMatchObject(refusal);
    await expect(writer.commit()).rejects.toMatchObject(refusal);
    await writer.discard();
    expect(existsSync(out)).toBe(false);
  });

  it('removes the temporary file a killed run left behind, and keeps one whose process is alive', async () => {
    const dir = tempDir();
    const out = join(dir, 'people.results.csv');
    const dead = join(dir, '.people.results.csv.2147483646.tmp');
    const alive = join(dir, `.people.results.csv.${process.ppid}.tmp`);
    writeFileSync(dead, 'half a file');
    writeFileSync(alive, 'another run, still going');
    const writer = new ResultsWriter(out, ['Email']);
    await writer.write(['a@example.com'], {row: 1, status: 'would_create'});
    await writer.commit();
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(alive)).toBe(true);
    expect(readFileSync(out, 'utf8')).toBe(
      '\uFEFFEmail,import_row,import_status,user_identity_id,import_error_code,import_error_message,import_email_address,import_phone_number,import_duplicate_of_row,import_attempts,import_request_id\r\na@example.com,1,would_create,,,,,,,,\r\n',
    );
  });

  // LibreOffice splits an opened CSV on comma, semicolon and tab at once: a bare "Ana; Luis" moved
  // the rest of its row, the id and status with it, one column right.
  it.each([
    [',', 'single,"Ana; Luis","gate\t4",\'=1+1,"\'\tx",a@example.com,1,would_create,,,,,,,,\r\n'],
    [';', 'single;"Ana; Luis";"gate\t4";\'=1+1;"\'\tx";a@example.com;1;would_create;;;;;;;;\r\n'],
  ] as const)('quotes a cell holding a comma, a semicolon or a tab whatever the delimiter (%j)', async (delimiter, line) => {
    const out = join(tempDir(), 'people.results.csv');
    const writer = new ResultsWriter(out, ['Household', 'Notes', 'Formula', 'Tab', 'Email'], {delimiter});
    await writer.write(['single', 'Ana; Luis', 'gate\t4', '=1+1', '\tx', 'a@example.com'], {row: 1, status: 'would_create'});
    await writer.commit();
    expect(readFileSync(out, 'utf8').split('\r\n')[1] + '\r\n').toBe(line);
    const withComma = join(tempDir(), 'people.results.csv');
    const second = new ResultsWriter(withComma, ['Name'], {delimiter});
    await second.write(['Lee, Ann and Bo'], {row: 1, status: 'would_create'});
    await second.commit();
    expect(readFileSync(withComma, 'utf8').split('\r\n')[1]).toMatch(/^"Lee, Ann and Bo"[,;]1[,;]would_create/);
  });
});

describe("phones read as the default country's while the rows' emails are another's", () => {
  const warned = (emails: string[]) => {
    const hint = new PhoneCountryHint();
    for (const email of emails) hint.see(true, '06 12 34 56 78', email, undefined);
    return hint.warning('US', 'Mobile');
  };
  it.each([
    ['ditta.it', 'Italy'],
    ['DITTA.IT', 'Italy'],
    ['ditta.it.', 'Italy'],
    ['ditta.it ', 'Italy'],
    ['ditta.it\u00A0', 'Italy'],
    ['x.co.uk', 'United Kingdom'],
    ['it', 'Italy'],
  ])('reads the country of an address ending in %j', (domain, country) => {
    expect(warned([`a@${domain}`, `b@${domain}`, `c@${domain}`])).toContain(`email addresses in ${country}`);
  });
  it.each([['example.com'], ['ditta.io'], ['x.info'], ['x.i'], ['ditta.it-x']])('names no country for an address ending in %j', (domain) => {
    expect(warned([`a@${domain}`, `b@${domain}`, `c@${domain}`])).toBeUndefined();
  });
});

describe('ResultsWriter bytes', () => {
  // The writer puts each line's fields straight into UTF-8 bytes (no string per line): the file
  // must be what Buffer.from of the lines as strings gives, for any text a cell can hold.
  it('writes the bytes Buffer.from gives the same lines as text: quotes, delimiters, every plane, lone surrogates, cells longer than a chunk', async () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const pieces = ['a', 'Z', '9', ' ', '"', ',', ';', '\t', '\r', '\n', '=', '+', '-', '@', "'", 'é', 'ß', '€', '中', '\u00A0', '\u2028', '\uFEFF', '😀', '\uD83D', '\uDE00', '\uFFFF', '\u0000'];
    const cell = (): string => {
      const length = random(7) === 0 ? 70_000 + random(1000) : random(12);
      let text = '';
      for (let i = 0; i < length; i += 1) text += pieces[random(pieces.length)];
      return text;
    };
    const field = (value: string): string => {
      if (value === '') return value;
      const neutral = neutralizeCell(value);
      return /[",;\t\r\n]|^\s|\s$/.test(neutral) ? `"${neutral.replace(/"/g, '""')}"` : neutral;
    };
    const headers = ['A', 'B "quoted"', 'C;D'];
    let expected = `\uFEFF${[...headers, ...RESULT_COLUMNS].map(field).join(',')}\r\n`;
    const out = join(tempDir(), 'bytes.results.csv');
    const writer = new ResultsWriter(out, headers);
    for (let row = 1; row <= 300; row += 1) {
      const cells = [cell(), cell(), cell()];
      const outcome = {row, status: 'invalid' as const, code: 'invalid_email' as const, message: cell(), email: cell(), phone: cell(), duplicateOfRow: row % 3 === 0 ? row - 1 : undefined, attempts: row % 5, requestId: cell(), userIdentityId: cell()};
      expected += `${[...cells.map(field), String(row), field(outcome.status), field(outcome.userIdentityId), field(outcome.code), field(outcome.message), field(outcome.email), field(outcome.phone), outcome.duplicateOfRow === undefined ? '' : String(outcome.duplicateOfRow), outcome.attempts ? String(outcome.attempts) : '', field(outcome.requestId)].join(',')}\r\n`;
      await writer.write(cells, outcome);
    }
    await writer.commit();
    const written = readFileSync(out);
    expect(written.length).toBeGreaterThan(1_000_000);
    expect(written.equals(Buffer.from(expected))).toBe(true);
  });

  it('quotes a cell exactly when /[",;\\t\\r\\n]|^\\s|\\s$/ matches it, for every UTF-16 unit alone, at either end, inside, and after a character outside ASCII', async () => {
    const field = (value: string): string => {
      const neutral = neutralizeCell(value);
      return /[",;\t\r\n]|^\s|\s$/.test(neutral) ? `"${neutral.replace(/"/g, '""')}"` : neutral;
    };
    const out = join(tempDir(), 'quoting.results.csv');
    const writer = new ResultsWriter(out, ['A']);
    let expected = `\uFEFF${['A', ...RESULT_COLUMNS].map(field).join(',')}\r\n`;
    for (let code = 0; code <= 0xffff; code += 1) {
      const c = String.fromCharCode(code);
      const cells = [`x${c}`, `${c}x`, `a${c}b`, `\u00E9${c}b`, `\u4E2D\u00E9${c}`, c];
      const outcome = {row: code + 1, status: 'invalid' as const};
      expected += `${[...cells.map(field), String(code + 1), 'invalid', '', '', '', '', '', '', '', ''].join(',')}\r\n`;
      await writer.write(cells, outcome);
    }
    await writer.commit();
    expect(readFileSync(out).equals(Buffer.from(expected))).toBe(true);
  });
});

/** A run record's first line, for the journal tests. */
const run: RunRecord = {type: 'run', version: 3, input: '/x.csv', inputSize: 1, inputSha256: 'h', startedAt: 'now'};

describe('journal', () => {

  it('survives a torn last line and reopens on a fresh line', () => {
    const path = join(tempDir(), 'j.jsonl');
    const journal = Journal.create(path, run);
    journal.append({type: 'send', row: 1, attempt: 1});
    journal.append({type: 'done', row: 1, status: 'created', userIdentityId: 'u1', attempts: 1});
    journal.append({type: 'send', row: 2, attempt: 1});
    journal.close();
    appendFileSync(path, '{"type":"done","row":2,"sta');
    const state = readJournal(path);
    expect(state.done.get(1)).toMatchObject({status: 'created', userIdentityId: 'u1'});
    expect(state.done.has(2)).toBe(false);
    expect(state.sent.get(2)).toBe(1);
    const again = Journal.reopen(path);
    again.append({type: 'done', row: 2, status: 'created', userIdentityId: 'u2', attempts: 1});
    again.close();
    expect(readJournal(path).done.get(2)).toMatchObject({userIdentityId: 'u2'});
  });

  it('writes the lines of one turn of the event loop together, before the turn is over', async () => {
    const path = join(tempDir(), 'j.jsonl');
    const journal = Journal.create(path, run);
    const header = readFileSync(path, 'utf8');
    expect(header).toContain('"type":"run"');
    journal.append({type: 'send', row: 1, attempt: 1});
    journal.append({type: 'send', row: 2, attempt: 1});
    expect(readFileSync(path, 'utf8')).toBe(header);
    await new Promise((resolve) => process.nextTick(resolve));
    expect(readJournal(path).sent).toEqual(new Map([[1, 1], [2, 1]]));
    journal.append({type: 'done', row: 1, status: 'created', userIdentityId: 'u1', attempts: 1});
    journal.close();
    expect(readJournal(path).done.get(1)).toMatchObject({userIdentityId: 'u1'});
  });

  it('has a send line on disk when the bytes of the request made after it are written (new and reused connections)', async () => {
    const path = join(tempDir(), 'j.jsonl');
    const journal = Journal.create(path, run);
    /** [row, whether its send line was on disk] at the moment the request's bytes went to the socket. */
    const seen: [number, boolean][] = [];
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('{}'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const {port} = server.address() as AddressInfo;
    const agent = new Agent({keepAlive: true, maxSockets: 2});
    const connect = agent.createConnection.bind(agent) as (...args: unknown[]) => Socket;
    (agent as unknown as {createConnection: (...args: unknown[]) => Socket}).createConnection = (...args) => {
      const socket = connect(...args);
      const write = socket.write.bind(socket) as (...a: unknown[]) => boolean;
      socket.write = ((chunk: unknown, ...rest: unknown[]) => {
        const row = /x-row: (\d+)/i.exec(String(chunk))?.[1];
        if (row !== undefined) seen.push([Number(row), readJournal(path).sent.get(Number(row)) === 1]);
        return write(chunk, ...rest);
      }) as typeof socket.write;
      return socket;
    };
    const send = (row: number): Promise<void> =>
      new Promise((resolve, reject) => {
        journal.append({type: 'send', row, attempt: 1});
        const request = httpRequest({host: '127.0.0.1', port, method: 'POST', path: '/', agent, headers: {'x-row': String(row)}}, (res) => {
          res.resume();
          res.on('end', resolve);
        });
        request.on('error', reject);
        request.end('{}');
      });
    try {
      // Two waves: the first opens the connections, the second reuses them.
      await Promise.all([send(1), send(2)]);
      await Promise.all([send(3), send(4)]);
      await send(5);
    } finally {
      agent.destroy();
      await new Promise((resolve) => server.close(resolve));
      journal.close();
    }
    expect(seen.sort((a, b) => a[0] - b[0])).toEqual([1, 2, 3, 4, 5].map((row) => [row, true]));
  });

  it('refuses to start when the record cannot be written', () => {
    // Every write to /dev/full fails with ENOSPC, as on a full disk.
    expect(() => Journal.reopen('/dev/full')).toThrow(expect.objectContaining({code: 'output_unwritable', message: expect.stringMatching(/Could not write the run record \/dev\/full: .*ENOSPC/)}));
  });

  it('stops the run with a clear error when a write fails mid-run, and drops later lines without throwing', () => {
    const path = join(tempDir(), 'j.jsonl');
    const journal = Journal.create(path, run);
    const failures: ImportError[] = [];
    journal.onError = (error) => failures.push(error);
    // The descriptor goes bad under it (as a disk that vanished): the next write fails.
    closeSync((journal as unknown as {fd: number}).fd);
    journal.append({type: 'send', row: 1, attempt: 1});
    journal.flush();
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({code: 'output_unwritable'});
    expect(failures[0]!.message).toContain(`Could not write the run record ${path}`);
    expect(failures[0]!.hint).toMatch(/--resume/);
    expect(() => journal.append({type: 'send', row: 2, attempt: 1})).not.toThrow();
    journal.flush();
    expect(failures).toHaveLength(1);
  });

  it('keeps an earlier record as .old when starting over', () => {
    const path = join(tempDir(), 'j.jsonl');
    writeFileSync(path, 'old\n');
    Journal.create(path, run).close();
    expect(readFileSync(`${path}.old`, 'utf8')).toBe('old\n');
  });
});

describe('seam errors and pacing', () => {
  it.each([
    ['3', 3000],
    ['0.5', 500],
    [new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString(), 10_000],
    ['soon', undefined],
    [null, undefined],
  ])('reads Retry-After %j', (value, ms) => {
    expect(parseRetryAfter(value, Date.UTC(2030, 0, 1, 0, 0, 0))).toBe(ms);
  });

  /** A server answering every request `status` with these headers. */
  async function answering(status: number, headers: () => Record<string, string>): Promise<{url: string; close: () => Promise<void>}> {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(status, {'content-type': 'application/json', ...headers()});
        res.end(JSON.stringify({ok: false, error: {type: status === 429 ? 'rate_limited' : 'service_unavailable', message: 'wait'}}));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const {port} = server.address() as AddressInfo;
    return {url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve()))};
  }
  const refusal = async (url: string): Promise<SeamApiError> => {
    const client = createSeamClient({endpoint: url, apiKey: 'seam_test', pacer: new Pacer({maxConcurrency: 1})});
    return client.createUserIdentity({email_address: 'a@x.com'}).then(
      () => expect.unreachable('the server refuses every request') as never,
      (error: unknown) => error as SeamApiError,
    );
  };

  // A server 10 minutes ahead asking for 5 s as a date: read against this machine's clock, the
  // run stopped for "a pause of 10 min".
  it("reads a Retry-After date against the server's own Date header", async () => {
    const server = await answering(429, () => {
      const serverNow = Math.floor((Date.now() + 10 * 60_000) / 1000) * 1000;
      return {date: new Date(serverNow).toUTCString(), 'retry-after': new Date(serverNow + 5000).toUTCString()};
    });
    try {
      expect(await refusal(server.url)).toMatchObject({kind: 'rate_limited', retryAfterMs: 5000});
    } finally {
      await server.close();
    }
  });

  // A maintenance window: rows in flight failed after the importer's own backoff, 20 s too soon.
  it("keeps a 5xx's Retry-After, and a create waits it before the next try (up to 15 s)", async () => {
    const server = await answering(503, () => ({'retry-after': '20'}));
    try {
      expect(await refusal(server.url)).toMatchObject({kind: 'server_error', retryAfterMs: 20_000});
    } finally {
      await server.close();
    }
    expect(backoffAfter(10_000, 1, () => 0)).toBe(10_000);
    expect(backoffAfter(3_600_000, 1, () => 0)).toBe(MAX_SERVER_PAUSE_MS);
    expect(backoffAfter(undefined, 1, () => 0)).toBe(backoff(1, () => 0));
    expect(backoffAfter(100, 3, () => 1)).toBe(backoff(3, () => 1));
  });

  it('flattens a validation_errors tree', () => {
    expect(describeValidationErrors({_errors: [], email_address: {_errors: ['Invalid email']}})).toBe('email_address: Invalid email');
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(backoff(1, () => 0)).toBe(250);
    expect(backoff(1, () => 1)).toBe(500);
    expect(backoff(4, () => 1)).toBe(4000);
    expect(backoff(20, () => 1)).toBe(30_000);
  });

  it('halves concurrency once per 429 episode, pauses everyone, and climbs back on success', () => {
    let now = 1000;
    const pacer = new Pacer({maxConcurrency: 16, now: () => now});
    expect(pacer.rateLimited(2000, 1)).toBe(2000);
    expect(pacer.concurrency).toBe(8);
    expect(pacer.pausedUntil).toBe(3000);
    // Other workers' 429s from the same burst do not cut again.
    pacer.rateLimited(2000, 1);
    expect(pacer.concurrency).toBe(8);
    now = 4000;
    for (let i = 0; i < 8; i += 1) pacer.succeeded();
    expect(pacer.concurrency).toBe(9);
  });

  it('says when a pause grows past what a run waits, even during a short one (the screen showed "resuming in 600s")', () => {
    let now = 1000;
    const pacer = new Pacer({maxConcurrency: 16, maxPauseMs: 300_000, now: () => now});
    const pauses: number[] = [];
    pacer.onPause = (until) => pauses.push(until);
    pacer.rateLimited(2000, 1);
    expect(pauses).toEqual([3000]);
    // The same burst's other short 429s are one pause.
    now = 1500;
    pacer.rateLimited(2000, 1);
    expect(pauses).toEqual([3000]);
    // A lookup's 429 asking for 600 s during it: the owner hears of it now.
    pacer.rateLimited(600_000, 1);
    expect(pauses).toEqual([3000, 601_500]);
    expect(pacer.pausedUntil).toBe(601_500);
    // Once: a second long 429 while the long pause stands says nothing new.
    now = 2000;
    pacer.rateLimited(700_000, 1);
    expect(pauses).toEqual([3000, 601_500]);
  });

  it('spaces requests to a fixed rate, with no burst on top: --rate 2 is at most 2 in any second', async () => {
    let now = 0;
    const pacer = new Pacer({maxConcurrency: 4, rate: 2, now: () => now});
    await pacer.acquire();
    // No second's worth of burst: the second must wait half a second for its token.
    const second = pacer.acquire();
    let done = false;
    void second.then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    now = 500;
    await second;
    expect(done).toBe(true);
  });
});

describe('sendRow: the lookup after an attempt without a clear answer', () => {
  const fiveHundred = (): SeamApiError => new SeamApiError('server_error', 'Seam answered with an error (500)', {status: 500});

  /**
   * One row sent against a Seam whose first create answers 500 (the next one makes the person),
   * whose key lookups and searches find no one, and which answers 500 to the lookups `fails` names
   * (by their count, each kind counted on its own). Waits run on fake timers.
   */
  async function sendAfter500(fails: {get?: (n: number) => boolean; list?: (n: number) => boolean}, maxAttempts = 5) {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']});
    try {
      const counts = {creates: 0, gets: 0, lists: 0};
      const client = {
        stats: {requests: 0, inFlight: 0, failuresInARow: 0, lastAnswerAt: Date.now(), createFailuresInARow: 0, lastCreateAnswerAt: 0},
        createAnswered: () => undefined,
        createUserIdentity: async () => {
          counts.creates += 1;
          if (counts.creates === 1) throw fiveHundred();
          return {data: identity({user_identity_key: 'K-1', email_address: 'ana@example.com', phone_number: '+16172000001'}), requestId: undefined};
        },
        getUserIdentity: async () => {
          counts.gets += 1;
          if (fails.get?.(counts.gets)) throw fiveHundred();
          return undefined;
        },
        listUserIdentities: async () => {
          counts.lists += 1;
          if (fails.list?.(counts.lists)) throw fiveHundred();
          return {identities: [], nextCursor: undefined};
        },
      } as unknown as SeamClient;
      const ctx: SenderContext = {
        client,
        pacer: new Pacer({maxConcurrency: 1}),
        journal: {append: () => undefined, flush: () => undefined, failed: false} as unknown as Journal,
        headerOf: {},
        stop: new AbortController().signal,
        lookupStop: new AbortController().signal,
        maxAttempts,
        rateLimitBudgetMs: 300_000,
        outageMs: 60_000,
        onRetry: () => undefined,
        onFatal: () => undefined,
        onLongPause: () => undefined,
        onOutage: () => undefined,
        onEndpointFault: () => undefined,
        halted: () => undefined,
      };
      const person = {user_identity_key: 'K-1', email_address: 'ana@example.com', phone_number: '+16172000001'};
      const outcome = sendRow(ctx, {row: 1, status: 'failed'}, person, 0);
      await vi.runAllTimersAsync();
      return {outcome: await outcome, ...counts};
    } finally {
      vi.useRealTimers();
    }
  }

  // After a 5xx the lookup is three requests (key, email, phone). Tried again as a whole, it
  // needed all three to answer in one go: at 10% 5xx on every route one such lookup in 2,500 met
  // six tries with a 5xx somewhere, and its row failed (the fault tests' "every row created").
  it('tries each request on its own: a 5xx on every other search does not fail the row', async () => {
    const {outcome, creates, gets, lists} = await sendAfter500({list: (n) => n % 2 === 0});
    expect(outcome).toMatchObject({status: 'created', userIdentityId: 'id-1', attempts: 2});
    // The key asked once, the email once, the phone twice (its first answer a 500).
    expect({creates, gets, lists}).toEqual({creates: 2, gets: 1, lists: 3});
  });

  // --max-attempts 10 asked for more patience, but a lookup's requests stayed at six tries: at 20%
  // resets on every route (the fault suite's) one in 15,000 gave up, failing its row.
  it('tries each request as often as the row (--max-attempts), when that is more than six', async () => {
    const {outcome, creates, gets} = await sendAfter500({get: (n) => n <= 8}, 10);
    expect(outcome).toMatchObject({status: 'created', userIdentityId: 'id-1', attempts: 2});
    expect({creates, gets}).toEqual({creates: 2, gets: 9});
  });

  // --max-attempts 20 gave each lookup request 20 tries, with Ctrl-C too: a stopped run was silent for minutes.
  it('a lookup request asks how many tries it has before each retry: a run stopped meanwhile gets fewer', async () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']});
    try {
      let calls = 0;
      let limit = 20;
      const tried = withRetries(
        async () => {
          calls += 1;
          // Stopped after the second try: six from now on.
          if (calls === 2) limit = 6;
          throw fiveHundred();
        },
        {pacer: new Pacer({maxConcurrency: 1}), attempts: () => limit},
      ).catch((error: unknown) => error);
      await vi.runAllTimersAsync();
      expect(await tried).toBeInstanceOf(SeamApiError);
      expect(calls).toBe(6);
    } finally {
      vi.useRealTimers();
    }
  });

  // A 30 s outage (every request 5xx) failed every row in flight after its lookup's six tries,
  // twice over at -c 10: 20 rows left for --resume by an outage the run could have waited out.
  describe('SilenceWatch (an outage spares the tries)', () => {
    type Answers = {lastAnswerAt: number; failuresInARow: number; lastAnsweredCreateSentAt: number};
    const watchOver = (answers: Answers, active = () => true) => new SilenceWatch(answers, 60_000, active);
    /** Seam last answered at 1000 (one failure since); the row's create failed at 2000. */
    const afterCreateFailed = (active = () => true) => {
      const answers = {lastAnswerAt: 1000, failuresInARow: 1, lastAnsweredCreateSentAt: 1000};
      const watch = watchOver(answers, active);
      watch.createFailed(2000);
      return {answers, watch};
    };

    it('spares a lookup failure after the row\'s create failed, when nothing was answered since and others failed too, for up to the window', () => {
      // The create's failure always counts: nothing yet says Seam is silent.
      const {answers, watch} = afterCreateFailed();
      answers.failuresInARow = 5;
      expect(watch.spares(3000)).toBe(true);
      answers.failuresInARow = 9;
      expect(watch.spares(30_000)).toBe(true);
      expect(watch.waits).toBe(2);
      // A minute after the failure that began the silence, failures count again (the run's outage stop has come first).
      answers.failuresInARow = 30;
      expect(watch.spares(62_000)).toBe(false);
    });

    it('counts a failure when Seam answered anything since the last one', () => {
      const {answers, watch} = afterCreateFailed();
      answers.lastAnswerAt = 2500;
      answers.failuresInARow = 4;
      expect(watch.spares(3000)).toBe(false);
      expect(watch.waits).toBe(0);
    });

    // Only the lookups failing (creates answered until every worker was in a failing lookup): the
    // silence that follows is the lookups', and the run stopped at a minute, most rows not sent.
    it('counts a lookup\'s failures when a create was answered after the row\'s create failed, or the row\'s create never failed', () => {
      const {answers, watch} = afterCreateFailed();
      // A create sent after this row's failed was answered: the create route works.
      answers.lastAnsweredCreateSentAt = 2100;
      answers.lastAnswerAt = 2150;
      expect(watch.spares(3000)).toBe(false);
      answers.failuresInARow = 20;
      expect(watch.spares(4000)).toBe(false);
      // A resumed row looked up first: no create of its own failed.
      const resumed = watchOver({lastAnswerAt: 1000, failuresInARow: 20, lastAnsweredCreateSentAt: 1000});
      expect(resumed.spares(2000)).toBe(false);
      expect(resumed.spares(3000)).toBe(false);
    });

    // An outage's onset: a create sent before this row's failed (even after this row's was sent),
    // answered just after that failure, says nothing of the route since (the row was not spared,
    // and failed, one run of the fault test in four).
    it('a create sent before the row\'s failure and answered after it does not end the silence', () => {
      const {answers, watch} = afterCreateFailed();
      answers.lastAnsweredCreateSentAt = 1950;
      answers.lastAnswerAt = 2010;
      answers.failuresInARow = 6;
      expect(watch.spares(2500)).toBe(false);
      answers.failuresInARow = 9;
      expect(watch.spares(3000)).toBe(true);
    });

    it('counts the failures of a row alone in flight: they may be its own', () => {
      const {answers, watch} = afterCreateFailed();
      answers.failuresInARow = 2;
      expect(watch.spares(3000)).toBe(false);
      answers.failuresInARow = 3;
      expect(watch.spares(4000)).toBe(false);
      // Then another request fails meanwhile: silence.
      answers.failuresInARow = 5;
      expect(watch.spares(5000)).toBe(true);
    });

    it('counts every failure once the run is stopping', () => {
      const {answers, watch} = afterCreateFailed(() => false);
      answers.failuresInARow = 10;
      expect(watch.spares(3000)).toBe(false);
    });

    it('waits between spared tries grow to at most SILENT_WAIT_MAX_MS', () => {
      const answers = {lastAnswerAt: 0, failuresInARow: 100, lastAnsweredCreateSentAt: 0};
      const watch = watchOver(answers);
      watch.createFailed(1000);
      for (let t = 2; t <= 10; t += 1) expect(watch.spares(t * 1000)).toBe(true);
      expect(watch.wait(() => 1)).toBe(SILENT_WAIT_MAX_MS);
      expect(SILENT_WAIT_MAX_MS).toBeLessThan(backoff(20, () => 1));
    });

    it('a lookup request does not give up while Seam is silent, and does when only it fails', async () => {
      vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']});
      try {
        const answers = {lastAnswerAt: Date.now() - 1000, failuresInARow: 0, lastAnsweredCreateSentAt: Date.now() - 1000};
        let calls = 0;
        const lookUp = (othersFail: boolean) => {
          const silence = watchOver(answers);
          silence.createFailed(Date.now() - 500);
          return withRetries(
            async () => {
              calls += 1;
              answers.failuresInARow += othersFail ? 3 : 1;
              // Seam back after 12 failures of this request.
              if (calls === 12) return 'answered';
              throw fiveHundred();
            },
            {pacer: new Pacer({maxConcurrency: 1}), silence},
          ).catch((error: unknown) => error);
        };
        let tried = lookUp(true);
        await vi.runAllTimersAsync();
        expect(await tried).toBe('answered');
        expect(calls).toBe(12);
        calls = 0;
        answers.failuresInARow = 0;
        tried = lookUp(false);
        await vi.runAllTimersAsync();
        expect(await tried).toBeInstanceOf(SeamApiError);
        expect(calls).toBe(6);
      } finally {
        vi.useRealTimers();
      }
    });
  });

  it('one attempt allowed: "gave up after 1 attempt"', async () => {
    const {outcome, creates} = await sendAfter500({}, 1);
    expect(creates).toBe(1);
    expect(outcome).toMatchObject({status: 'failed', code: 'server_error', message: expect.stringContaining('; gave up after 1 attempt. Seam did not have this person')});
  });

  it('a request of the lookup that fails six times in a row leaves the row to --resume', async () => {
    const {outcome, creates, lists} = await sendAfter500({list: (n) => n > 1});
    expect(outcome).toMatchObject({status: 'failed', code: 'server_error', message: expect.stringMatching(/^Seam did not answer clearly and the row could not be looked up afterwards .*--resume/)});
    expect({creates, lists}).toEqual({creates: 1, lists: 7});
  });
});

describe('defaultOutPath', () => {
  it.each([
    ['people.csv', 'people.results.csv'],
    ['/a/b/People List.xlsx', '/a/b/People List.results.csv'],
    ['noext', 'noext.results.csv'],
  ])('%s → %s', (input, out) => expect(defaultOutPath(input)).toBe(out));
});

describe('paging through the workspace (servers that page their own way)', () => {
  /** A list route that answers page N with `answer(N, cursor)`; counts the calls. */
  async function listServer(answer: (call: number, cursor: string | undefined) => unknown): Promise<{url: string; calls: () => number; close: () => Promise<void>}> {
    let calls = 0;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        calls += 1;
        const cursor = (JSON.parse(body || '{}') as {page_cursor?: string}).page_cursor;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(answer(calls, cursor)));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const {port} = server.address() as AddressInfo;
    return {url: `http://127.0.0.1:${port}`, calls: () => calls, close: () => new Promise((resolve) => server.close(() => resolve()))};
  }
  const person = (n: number) => ({user_identity_id: `00000000-0000-4000-8000-00000000000${n}`, email_address: `p${n}@example.com`});
  const load = (url: string) => {
    const pacer = new Pacer({maxConcurrency: 1});
    return loadExisting(createSeamClient({endpoint: url, apiKey: 'seam_test', pacer}), pacer);
  };

  it('follows next_page_cursor when the server leaves out has_next_page', async () => {
    const server = await listServer((_call, cursor) => {
      const page = cursor === undefined ? 1 : Number(cursor);
      return {ok: true, user_identities: [person(page)], pagination: page < 3 ? {next_page_cursor: String(page + 1)} : {}};
    });
    try {
      const index = await load(server.url);
      expect(index.size).toBe(3);
      expect(server.calls()).toBe(3);
    } finally {
      await server.close();
    }
  });

  it('stops when has_next_page is false, whatever the cursor', async () => {
    const server = await listServer(() => ({ok: true, user_identities: [person(1)], pagination: {has_next_page: false, next_page_cursor: 'again'}}));
    try {
      expect((await load(server.url)).size).toBe(1);
      expect(server.calls()).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('stops on a cursor it was given before, and after pages that bring no one new (a server that ignores the cursor), saying where', async () => {
    const same = await listServer((call) => ({ok: true, user_identities: [person(call > 2 ? 2 : call)], pagination: {has_next_page: true, next_page_cursor: 'same'}}));
    // 23,325 list requests in 15 s for 8 people: a fresh cursor each time, and always the first page.
    const ignored = await listServer((call) => ({ok: true, user_identities: [person(1), person(2)], pagination: {has_next_page: true, next_page_cursor: `fresh-${call}`}}));
    try {
      const once = await load(same.url);
      expect([once.size, once.cutShortAt, same.calls()]).toEqual([2, 2, 2]);
      const again = await load(ignored.url);
      expect([again.size, again.cutShortAt, ignored.calls()]).toEqual([2, 1 + MAX_FRUITLESS_PAGES, 1 + MAX_FRUITLESS_PAGES]);
    } finally {
      await Promise.all([same.close(), ignored.close()]);
    }
  });

  // Pages of 2, the second holding only identities being deleted and left out: the listing ended
  // there, and the plan called the people on the pages after it new.
  it('follows the cursor past an empty page, to the people after it', async () => {
    const server = await listServer((_call, cursor) => {
      const page = cursor === undefined ? 1 : Number(cursor);
      const people = page === 1 ? [person(1), person(2)] : page === 2 ? [] : [person(2 * page - 3), person(2 * page - 2)];
      return {ok: true, user_identities: people, pagination: page < 4 ? {has_next_page: true, next_page_cursor: String(page + 1)} : {has_next_page: false}};
    });
    try {
      const index = await load(server.url);
      expect([index.size, index.cutShortAt, server.calls()]).toEqual([6, undefined, 4]);
    } finally {
      await server.close();
    }
  });
});

describe('one run at a time per run record (<record>.lock)', () => {
  /** The id of a process that has exited: its lock is stale. */
  /** What a run in this process writes in its lock: its id, machine and, on Linux, start time. */
  function ownLock(): string {
    const started = startTimeOf(process.pid);
    return `${process.pid} ${hostname()}${started === undefined ? '' : ` ${started}`}\n`;
  }

  function deadPid(): number {
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {encoding: 'utf8'});
    return Number(child.stdout);
  }

  it('is held while the record is open and let go when it is closed', () => {
    const path = join(tempDir(), 'j.jsonl');
    const journal = Journal.create(path, run);
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(ownLock());
    journal.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  // A killed run in a container without an init stays a zombie, never reaped: its lock refused
  // every retry as "another seam-import is writing … right now".
  it.runIf(process.platform === 'linux')("takes over the lock of a run that exited but was never reaped (a zombie)", async () => {
    // A background child that exits once its shell has become `sleep` (exec), which never waits
    // for it: it stays a zombie. (Exiting before the exec, the shell could reap it.)
    const parent = spawn('sh', ['-c', '(sleep 0.3) & echo $!; exec sleep 30'], {stdio: ['ignore', 'pipe', 'ignore']});
    try {
      const pid = Number((await once(parent.stdout!, 'data'))[0].toString().trim());
      const state = (): string => {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      };
      // Until the child has exited (the state is read, not a fixed wait; 20 s at most on a busy machine).
      const deadline = Date.now() + 20_000;
      while (state() !== 'Z' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(state()).toBe('Z');
      const path = join(tempDir(), 'j.jsonl');
      Journal.create(path, run).close();
      writeFileSync(`${path}.lock`, `${pid}\n`);
      Journal.reopen(path).close();
      expect(existsSync(`${path}.lock`)).toBe(false);
    } finally {
      parent.kill();
    }
  });

  // Where there is no /proc, a lock is judged by its process id alone (the test below).
  it.runIf(existsSync('/proc/self/stat'))('takes over a lock whose process id now names another process (started at another time)', async () => {
    const path = join(tempDir(), 'j.jsonl');
    Journal.create(path, run).close();
    // The lock a run writes names its process, machine and start time.
    const own = startTimeOf(process.pid);
    expect(own).toMatch(/^\d+$/);
    const otherRun = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60_000)'], {stdio: 'ignore'});
    await once(otherRun, 'spawn');
    const other = otherRun.pid!;
    try {
      const started = startTimeOf(other);
      expect(started).toMatch(/^\d+$/);
      // A node process with the id of the run that wrote the lock, started since: that run is gone.
      writeFileSync(`${path}.lock`, `${other} ${hostname()} ${Number(started) - 1}\n`);
      const reopened = Journal.reopen(path);
      expect(readFileSync(`${path}.lock`, 'utf8')).toBe(ownLock());
      reopened.close();
      // The same process, the same start time: a live run, refused.
      writeFileSync(`${path}.lock`, `${other} ${hostname()} ${started}\n`);
      expect(() => Journal.reopen(path)).toThrow(expect.objectContaining({code: 'journal_locked'}));
    } finally {
      otherRun.kill();
    }
  });

  it('refuses a second run while the first is alive, and takes over the lock of one that was killed', async () => {
    const path = join(tempDir(), 'j.jsonl');
    Journal.create(path, run).close();
    // A node process stands for another seam-import alive now.
    const otherRun = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60_000)'], {stdio: 'ignore'});
    await once(otherRun, 'spawn');
    const other = otherRun.pid!;
    try {
      writeFileSync(`${path}.lock`, `${other}\n`);
      expect(() => Journal.reopen(path)).toThrow(expect.objectContaining({code: 'journal_locked', message: `Another seam-import (process ${other}) is writing the run record ${path} right now.`}));
      expect(() => Journal.create(path, run)).toThrow(expect.objectContaining({code: 'journal_locked'}));
    } finally {
      otherRun.kill();
    }
    expect(readFileSync(path, 'utf8')).toContain('"type":"run"');
    writeFileSync(`${path}.lock`, `${deadPid()}\n`);
    Journal.reopen(path).close();
    // Written on another machine (a shared folder, another container): its process cannot be
    // checked from here, so the lock is held while that run refreshes it, and taken over once it
    // has not been refreshed for a minute (a run killed there). Taken over at once, two machines
    // sent the same rows side by side.
    writeFileSync(`${path}.lock`, '1 another-host\n');
    expect(() => Journal.reopen(path)).toThrow(
      expect.objectContaining({code: 'journal_locked', message: `Another seam-import (process 1 on another-host) is writing the run record ${path} right now.`}),
    );
    const stale = new Date(Date.now() - FOREIGN_LOCK_STALE_MS - 1000);
    utimesSync(`${path}.lock`, stale, stale);
    const resumed = Journal.reopen(path);
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(ownLock());
    resumed.close();
  });

  // After a crash and a reboot, the lock's process id belonged to another program (init, a shell's
  // sleep): the resume was refused as "another seam-import (process 1)".
  it.runIf(process.platform === 'linux')('takes over a lock whose process is alive but is no node program', async () => {
    const path = join(tempDir(), 'j.jsonl');
    Journal.create(path, run).close();
    const sleeper = spawn('sleep', ['60'], {stdio: 'ignore'});
    try {
      await once(sleeper, 'spawn');
      writeFileSync(`${path}.lock`, `${sleeper.pid} ${hostname()}\n`);
      const resumed = Journal.reopen(path);
      expect(readFileSync(`${path}.lock`, 'utf8')).toBe(ownLock());
      resumed.close();
    } finally {
      sleeper.kill();
    }
  });

  // After a reboot a stale lock's process id may be a kernel thread's (a kworker): no program at all.
  const kernelThread = [2, 3, 4, 5].find((pid) => existsSync(`/proc/${pid}/status`) && /^(?:Kthread:\s*1|PPid:\s*2)$/m.test(readFileSync(`/proc/${pid}/status`, 'utf8')));
  it.runIf(kernelThread !== undefined)('takes over a lock whose process is a kernel thread', () => {
    const path = join(tempDir(), 'j.jsonl');
    Journal.create(path, run).close();
    writeFileSync(`${path}.lock`, `${kernelThread} ${hostname()}\n`);
    Journal.reopen(path).close();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('keeps its lock fresh while the record is open, for the machines that cannot see its process', () => {
    vi.useFakeTimers({toFake: ['setInterval', 'clearInterval']});
    try {
      const path = join(tempDir(), 'j.jsonl');
      const journal = Journal.create(path, run);
      const old = new Date(Date.now() - 5 * 60_000);
      utimesSync(`${path}.lock`, old, old);
      vi.advanceTimersByTime(10_000);
      expect(Date.now() - statSync(`${path}.lock`).mtimeMs).toBeLessThan(FOREIGN_LOCK_STALE_MS);
      journal.close();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('progress', () => {
  it('rows marked skipped after a stop count as finished, not as speed', async () => {
    const {ProgressMeter} = await import('../src/engine/progress.js');
    const {Tally} = await import('../src/engine/tally.js');
    let now = 0;
    const tally = new Tally();
    const seen: Array<{sent: number; rowsPerSecond: number}> = [];
    const meter = new ProgressMeter({
      toSend: 100,
      tally,
      inFlight: () => 0,
      pacer: {concurrency: 1, maxConcurrency: 1, rateLimitedCount: 0, pausedUntil: 0},
      emit: (p) => seen.push({sent: p.sent, rowsPerSecond: p.rowsPerSecond}),
      now: () => now,
    });
    for (let row = 1; row <= 10; row++) tally.add({row, status: 'created', userIdentityId: `id-${row}`});
    meter.sent = 10;
    now = 2000;
    for (let row = 11; row <= 100; row++) tally.add({row, status: 'skipped', code: 'interrupted'});
    meter.sent = 100;
    meter.update(true);
    expect(seen.at(-1)).toEqual({sent: 100, rowsPerSecond: 5});
  });

  it('while the run stops: no time left to estimate and no pause to wait out are shown', async () => {
    const {ProgressMeter} = await import('../src/engine/progress.js');
    const {Tally} = await import('../src/engine/tally.js');
    let now = 0;
    let stopping = false;
    const seen: Array<{eta: number | undefined; pausedUntil: number}> = [];
    const meter = new ProgressMeter({
      toSend: 100,
      tally: new Tally(),
      inFlight: () => 0,
      pacer: {concurrency: 1, maxConcurrency: 1, rateLimitedCount: 0, pausedUntil: 5000},
      emit: (p) => seen.push({eta: p.etaSeconds, pausedUntil: p.pausedUntil}),
      stopped: () => stopping,
      now: () => now,
    });
    meter.sent = 10;
    now = 2000;
    meter.update(true);
    expect(seen.at(-1)).toEqual({eta: 18, pausedUntil: 5000});
    stopping = true;
    meter.update(true);
    expect(seen.at(-1)).toEqual({eta: undefined, pausedUntil: 0});
  });
});

describe('reading options recorded for --resume', () => {
  it('one encoding under its names: a run with --encoding cp1251 resumes one with --encoding windows-1251', () => {
    const settings = (encoding: string) => resolveSettings({input: 'a.csv', encoding});
    expect(readingMismatch(readingOptions(settings('windows-1251')), settings('cp1251'))).toBeUndefined();
    expect(readingMismatch(readingOptions(settings('Shift_JIS')), settings('sjis'))).toBeUndefined();
    expect(readingMismatch(readingOptions(settings('windows-1251')), settings('windows-1253'))).toContain('--encoding');
  });

  // A reviewer's run with --default-country GB: the hint's command, without it, made 350 UK numbers invalid US ones.
  it('the command a hint gives to import a results file carries the options that read and send its rows, and nothing secret', () => {
    const acs = '7d1c4f2e-0b5a-4c3e-9f1a-2b3c4d5e6f70';
    const flags = resultsImportFlags(resolveSettings({input: 'a.xlsx', defaultCountry: 'GB', map: {phone_number: 'Cell Number'}, sheet: 'Tenants', encoding: 'cp1252', acsSystemIds: [acs], endpoint: 'http://127.0.0.1:4010', workspaceId: 'ws_1'}));
    expect(flags).toBe(` --default-country GB --map 'phone_number=Cell Number' --acs-system-id ${acs} --endpoint http://127.0.0.1:4010 --workspace-id ws_1`);
    // A header with quotes or a $ (a reviewer's "E ""Mail""" and "Mob $HOME"), pasted into a shell, reads back as it is.
    expect(resultsImportFlags(resolveSettings({input: 'a.csv', map: {email_address: 'E "Mail"', phone_number: "Mob $HOME's"}}))).toBe(` --map 'email_address=E "Mail"' --map 'phone_number=Mob $HOME'\\''s'`);
    expect(shellWord('my results.csv')).toBe("'my results.csv'");
    expect(shellWord('/tmp/a/people.results.csv')).toBe('/tmp/a/people.results.csv');
    // The defaults, as typed: nothing to add.
    expect(resultsImportFlags(resolveSettings({input: 'a.csv'}))).toBe('');
    expect(resultsImportFlags(resolveSettings({input: 'a.csv', endpoint: 'https://user:secret@seam.example.com'}))).toBe(' --endpoint <the same endpoint>');
  });
});

describe('the rows a warning names', () => {
  it('keeps the first five, counts them all, and says "…" only when it named fewer than it saw', async () => {
    const {RowSample} = await import('../src/engine/row-sample.js');
    const one = new RowSample();
    one.add(7);
    expect(one.rowsText()).toBe('one row (import_row 7)');
    const many = new RowSample();
    for (const row of [2, 4, 6, 8, 10]) many.add(row);
    expect(many.rowsText(40)).toBe('5 of 40 rows (import_row 2, 4, 6, 8, 10)');
    many.add(12);
    expect(many.count).toBe(6);
    expect(many.list).toBe('import_row 2, 4, 6, 8, 10, …');
  });

  // The import pass finishes rows out of order: a warning named "import_row 1, 16, 20, 9, 11, …".
  it('names the lowest rows in order, whatever order they came in', async () => {
    const {RowSample} = await import('../src/engine/row-sample.js');
    const sample = new RowSample();
    for (const row of [16, 20, 9, 11, 30, 1, 25, 3]) sample.add(row);
    expect(sample.count).toBe(8);
    expect(sample.list).toBe('import_row 1, 3, 9, 11, 16, …');
  });
});
