import type {UserIdentity} from '../seam/client.js';
import {maskCredentials, serverText} from '../seam/server-text.js';
import {differingField, judge, madeLongBefore, sharedField} from '../seam/reconcile.js';
import {contactElsewhere, extractPerson, namePartColumns, normalizeHeader} from './columns.js';
import {cleanText, keyForm} from './clean.js';
import type {Deduper} from './dedupe.js';
import type {RowOutcome} from './events.js';
import type {ExistingIndex} from './existing.js';
import type {JournalState} from './journal.js';
import {isEmailAddress, nameKey, normalizePerson} from './normalize.js';
import {looksLikePhoneNumber, lostToScientific} from './phone.js';
import {DELIMITER_NAMES} from './read/text.js';
import {unneutralizeCell} from './results.js';
import {RETRYABLE_CODES, type ColumnMapping, type Field, type NormalizeContext, type NormalizeResult, type Person, type RawPerson, type RawRow} from './types.js';

export type Decision =
  /**
   * `kept`: the status and id a results file fed back gave the row (an earlier run's, not this
   * one's); `differs`: Seam's details of that person are not the row's now; `doubted`: that id is
   * likely not the row's, and the row was judged afresh (keptOutcome).
   */
  | {kind: 'final'; outcome: RowOutcome; kept?: true; differs?: true; doubted?: true}
  /** To be created. `priorAttempts` > 0: an earlier run sent it without a clear answer. */
  | {kind: 'send'; person: Person; priorAttempts: number; outcome: RowOutcome};

export interface DecideContext {
  mapping: ColumnMapping;
  /** The input's headers, by column. */
  headers: readonly string[];
  /** A text file's separator (none for a workbook). */
  delimiter?: string;
  normalize: NormalizeContext;
  headerOf: Partial<Record<Field, string>>;
  isResultsFile: boolean;
  existing?: ExistingIndex;
  journal?: JournalState;
  dryRun: boolean;
  /** A dry run whose lookups Seam refused (401/403): what its would_create rows say. */
  unverified?: string;
  /**
   * A results file fed back whose keys lost their leading zeros (Excel opened and saved it): a
   * kept row whose key is its identity's without them (set before a pass: fedBackFacts).
   */
  zerosLost?: {row: number; ours: string; theirs: string};
  /** Ids a results file fed back gives to more than one row (set before a pass: fedBackFacts). */
  sharedIds?: ReadonlySet<string>;
  /**
   * The identities rows of a results file fed back match by their own details, each with the
   * first such row (set before a pass: fedBackFacts): an id kept on a row that breaks a rule is
   * not kept when another row is that person.
   */
  matchedBy?: ReadonlyMap<string, number>;
}

/** The cells to read from: a results file fed back in has its neutralized cells restored. */
export function readableRow(raw: RawRow, isResultsFile: boolean): RawRow {
  return isResultsFile ? {...raw, cells: raw.cells.map(unneutralizeCell)} : raw;
}

/**
 * The row's person, normalized, or the decision that it is invalid: the checks before any
 * comparison, shared by decideRow and the reservation before the pass. `usePhoneMemo`: hand the
 * phone answers on to the import pass (decideRow), or leave the memo alone (the reservation).
 */
function checkedPerson(raw: RawRow, rawPerson: RawPerson, ctx: DecideContext, usePhoneMemo: boolean): {ok: true; person: Person} | {ok: false; decision: Decision} {
  const row = raw.index;
  const invalid = (outcome: Omit<RowOutcome, 'row' | 'status'>): {ok: false; decision: Decision} => ({ok: false, decision: final({row, status: 'invalid', ...outcome})});
  if (raw.problem) return invalid({code: raw.problem.code, message: raw.problem.message});
  const swallowed = swallowedLines(raw, ctx);
  if (swallowed !== undefined) return invalid({code: 'malformed_row', message: swallowed});
  const unsaved = raw.unsavedFormulas?.find((u) => importedColumn(u.column, ctx.mapping));
  if (unsaved) {
    return invalid({
      code: 'unsaved_formula',
      message: `Column "${ctx.headers[unsaved.column] ?? unsaved.column + 1}" holds a formula (=${unsaved.formula.length > 60 ? `${unsaved.formula.slice(0, 60)}…` : unsaved.formula}) whose value was never saved in the file (a program wrote it; nothing calculated it), so the value is unknown. Open the file in Excel or LibreOffice and save it, then import again.`,
    });
  }
  const phoneColumn = ctx.mapping.fields.phone_number;
  if (phoneColumn !== undefined && raw.numberCells?.includes(phoneColumn)) {
    const text = raw.cells[phoneColumn] ?? '';
    const lost = lostToScientific(text, raw.scientificCells?.includes(phoneColumn) === true);
    if (lost) return invalid({code: 'invalid_phone', message: `Column "${ctx.headerOf.phone_number ?? ctx.headers[phoneColumn]}" has "${text}" ${lost}`});
  }
  const keyColumn = ctx.mapping.fields.user_identity_key;
  if (keyColumn !== undefined && raw.longNumbers?.includes(keyColumn)) {
    const text = raw.cells[keyColumn] ?? '';
    return invalid({code: 'invalid_key', message: `Column "${ctx.headerOf.user_identity_key ?? ctx.headers[keyColumn]}" has "${text}" ${keyCut(text)}`});
  }
  const header = repeatedHeader(raw.cells, ctx);
  if (header !== undefined) {
    return invalid({
      code: 'not_a_person',
      message: `Not a person: this row repeats the header (${header}): a second header row, or two lists pasted one under the other. Nothing to import; delete the row from the file to clear this.`,
    });
  }
  if (raw.dateCells) {
    // A phone or an id in a column formatted as a date (2125550801 shows as 10113-09-20, or #####):
    // neither the date nor the number behind it is what was typed.
    for (const [field, code, what] of DATE_CHECKED) {
      const column = ctx.mapping.fields[field];
      if (column === undefined || !raw.dateCells.includes(column) || (raw.cells[column] ?? '') === '') continue;
      return invalid({
        code,
        message: `Column "${ctx.headerOf[field] ?? ctx.headers[column]}" has "${raw.cells[column]}", from a cell the workbook formats as a date or a time: not ${what} as typed. Format the column as Text in the spreadsheet, type the values again and save.`,
      });
    }
  }
  const normalized = normalizePerson(rawPerson, usePhoneMemo ? ctx.normalize : {...ctx.normalize, phones: undefined}, row);
  if (normalized.ok) return {ok: true, person: normalized.person};
  const note = normalized.code === 'missing_contact' ? noteRow(raw.cells, nameColumns(ctx.mapping), Object.values(ctx.mapping.results)) : undefined;
  if (note !== undefined) {
    return invalid({
      code: 'not_a_person',
      message: `Not a person: this row reads as a total, a heading or a note (${JSON.stringify(note)}), with no email address or phone number. Nothing to import; delete the row from the file to clear this.`,
    });
  }
  const elsewhere = normalized.code === 'missing_contact' ? contactElsewhere(raw, ctx.mapping, ctx.headers, ctx.normalize.defaultCountry) : '';
  return invalid({code: normalized.code, message: normalized.message + elsewhere});
}

/**
 * The header's names in the columns the import reads, when the row repeats them (two of them at
 * least, or every one it reads): `"Email", "Phone"`.
 */
const DIGIT = /\d/;

/** The headers normalized, once per file (asked for per row). */
const NORMALIZED = new WeakMap<readonly string[], string[]>();
function normalizedHeaders(headers: readonly string[]): string[] {
  let normalized = NORMALIZED.get(headers);
  if (normalized === undefined) NORMALIZED.set(headers, (normalized = headers.map((header) => normalizeHeader(header.trim()))));
  return normalized;
}

/**
 * A quote opened in a cell and closed lines later (`E2,"Bob,bob@x.com,…⏎E3,Cy",cy@x.com,…`): the
 * lines between were read into that one cell, and the row took the next person's email and phone
 * (E2 made with E3's details, E3 never made, and "Every row is in Seam"); in a column not read (a
 * note), the next person was lost without a word. The sign, in any column: a line of the cell that
 * is most of a row, with an email address or a phone number in it. Not a name over two lines
 * ("Doe, Jane⏎Doe, John": co-tenants) nor an address ("12 High St⏎Flat 3, Leeds").
 */
function swallowedLines(raw: RawRow, ctx: DecideContext): string | undefined {
  const delimiter = ctx.delimiter;
  // One line: no cell runs over lines (the reader counted their breaks).
  if (delimiter === undefined || raw.lines === 1) return undefined;
  const minParts = Math.min(3, Math.max(2, ctx.headers.length - 1));
  for (let column = 0; column < raw.cells.length; column += 1) {
    const cell = raw.cells[column]!;
    if (cell.length < 8 || (cell.indexOf('\n') === -1 && cell.indexOf('\r') === -1) || !cell.includes(delimiter)) continue;
    const lines = cell.split(/\r\n|\r|\n/);
    const rowLike = lines.some((line) => {
      const parts = line.split(delimiter).map((part) => part.trim().replace(/^"|"$/g, ''));
      return parts.length >= minParts && parts.some((part) => isEmailAddress(part) || (part.length >= 7 && looksLikePhoneNumber(part)));
    });
    if (!rowLike) continue;
    const shown = JSON.stringify(cell.length > 60 ? `${cell.slice(0, 60)}…` : cell);
    return `Line ${raw.line}: column "${ctx.headers[column] ?? column + 1}" runs over ${lines.length} lines and holds ${DELIMITER_NAMES[delimiter] ?? JSON.stringify(delimiter)}-separated values with an email address or a phone number (${shown}): most likely a quote (") in it is not closed, and the lines after it were read into this row, their people with it. Close the quote (or remove it) and import again.`;
  }
  return undefined;
}

/** The columns the import reads, with their headers (trimmed), once per mapping (asked for per row). */
const READ_COLUMNS = new WeakMap<ColumnMapping, Array<{column: number; header: string; lower: string}>>();
function readColumns(ctx: DecideContext): Array<{column: number; header: string; lower: string}> {
  let columns = READ_COLUMNS.get(ctx.mapping);
  if (columns === undefined) {
    columns = [];
    for (const column of Object.values(ctx.mapping.fields)) {
      if (column === undefined) continue;
      const header = (ctx.headers[column] ?? '').trim();
      columns.push({column, header, lower: header.toLowerCase()});
    }
    READ_COLUMNS.set(ctx.mapping, columns);
  }
  return columns;
}

function repeatedHeader(cells: readonly string[], ctx: DecideContext): string | undefined {
  let same: Array<[number, string]> | undefined;
  const columns = readColumns(ctx);
  for (const {column, header, lower} of columns) {
    const cell = cells[column] ?? '';
    if (header === '' || cell === '') continue;
    if (cell.length >= header.length) {
      // Most cells are not their header's length: no case folding for them (this runs on every row).
      const text = cell.length === header.length ? cell : cell.trim();
      if (text.length === header.length && text.toLowerCase() === lower) {
        (same ??= []).push([column, `"${header}"`]);
        continue;
      }
    }
    // The header spelt otherwise: SuccessFactors' and other systems' labels under their field ids
    // ("Cell Phone" under CELL_PHONE, "User ID" under USERID). Compared only when the first letter
    // and the length are near: few cells are.
    if (Math.abs(cell.length - header.length) <= 4 && (cell.charCodeAt(0) | 0x20) === (header.charCodeAt(0) | 0x20) && !DIGIT.test(cell) && normalizeHeader(cell) === normalizedHeaders(ctx.headers)[column]) {
      (same ??= []).push([column, `"${header}"`]);
    }
  }
  if (same === undefined || !(same.length >= 2 || same.length === columns.length)) return undefined;
  return same
    .sort((a, b) => a[0] - b[0])
    .map(([, name]) => name)
    .join(', ');
}

/** The fields a cell formatted as a date makes invalid, with the row's code and what the cell should have held. */
const DATE_CHECKED = [
  ['phone_number', 'invalid_phone', 'a phone number'],
  ['user_identity_key', 'invalid_key', 'a key'],
  ['email_address', 'invalid_email', 'an email address'],
] as const;

type Previous = {status: 'created' | 'existing'; userIdentityId: string};

/**
 * What becomes of the status and id a results file fed back gives a row. They are kept
 * (PRODUCT.md), also when Seam's details of that person have changed since (`differs`: said in a
 * warning) — unless there is evidence the id is not this row's: an id copied down a column or
 * swapped by hand. Then (`doubted`) the row is judged afresh by its key, email and phone, and
 * never sent. The evidence: another identity in Seam has exactly the row's details (whether or
 * not the workspace lists the id); or the id's
 * identity has another key than the row, or none of its key, email and phone; or the id is on
 * another row of the file too, whose details it has.
 */
function keptOutcome(
  previous: Previous,
  normalized: NormalizeResult,
  rawPerson: RawPerson,
  row: number,
  ctx: DecideContext,
): {kind: 'kept'; previous: Previous; differs?: true} | {kind: 'doubted'; identity: UserIdentity} {
  // No workspace to compare with.
  if (!ctx.existing) return {kind: 'kept', previous};
  if (!normalized.ok) return keptBroken(previous, rawPerson, row, ctx);
  const person = normalized.person;
  const identity = ctx.existing.get(previous.userIdentityId);
  if (!identity) {
    // Not listed: deleted since (kept, and warned of), or not this row's id at all (a fill handle
    // dragged down the column counts ids up; typed by hand): then the person Seam has with exactly
    // the row's details is the row's.
    const match = judge(person, ctx.existing.candidates(person));
    return match.kind === 'match' ? {kind: 'doubted', identity: match.identity} : {kind: 'kept', previous};
  }
  if (differingField(person, identity) === undefined) return {kind: 'kept', previous};
  const theirKey = identity.user_identity_key;
  // Only the key's leading zeros gone (Excel): the same key.
  const zeros = person.user_identity_key !== undefined && theirKey != null && zerosDropped(person.user_identity_key, theirKey);
  // The same person otherwise: kept without a warning of its own (the check warns once).
  if (zeros && differingField({...person, user_identity_key: theirKey}, identity) === undefined) return {kind: 'kept', previous};
  const match = judge(person, ctx.existing!.candidates(person));
  const otherMatch = match.kind === 'match' && match.identity.user_identity_id !== identity.user_identity_id;
  // No field shared is no evidence by itself (the email and phone both changed since, no key):
  // the id is kept, with the warning that Seam's details differ. Failed as a conflict, the row
  // fed back again made its person twice.
  if (otherMatch || otherKey(person, identity) || ctx.sharedIds?.has(identity.user_identity_id) || elsewhereIs(identity, row, ctx) || (sharedField(person, identity) === undefined && (someoneElseHas(person, identity, ctx) || otherName(person.full_name, identity)))) {
    return {kind: 'doubted', identity};
  }
  return {kind: 'kept', previous, differs: true};
}

/**
 * keptOutcome for a row that breaks a rule now: its id is kept unless there is evidence it is
 * another person's. Sorting some columns only (Excel and LibreOffice offer "current selection")
 * moves the import columns onto other rows: an invalid row kept another person's id and
 * `created`, exit 0, and that id stood on two rows. The evidence: the id is on another row too,
 * or another row of the file is that person by its details, or the row's key is not that
 * person's, or an email or phone the row still reads (passing on its own) is another person's.
 * Nothing to compare (an email mistyped in the results file, no key) is no evidence: the id is
 * kept, or the row, fixed and fed back, would make its person again. Doubted, the row is
 * `invalid` for its own reason, never sent.
 */
function keptBroken(previous: Previous, rawPerson: RawPerson, row: number, ctx: DecideContext): {kind: 'kept'; previous: Previous} | {kind: 'doubted'; identity: UserIdentity} {
  const identity = ctx.existing?.get(previous.userIdentityId);
  // Not listed (deleted since): the check warns of it.
  if (!identity) return {kind: 'kept', previous};
  if (ctx.sharedIds?.has(identity.user_identity_id) || elsewhereIs(identity, row, ctx)) return {kind: 'doubted', identity};
  const person = readableFields(rawPerson, ctx);
  if (otherKey(person, identity)) return {kind: 'doubted', identity};
  if (sharedField(person, identity) !== undefined) return {kind: 'kept', previous};
  const name = rawPerson.full_name === undefined ? undefined : cleanText(rawPerson.full_name);
  return someoneElseHas(person, identity, ctx) || otherName(name, identity) ? {kind: 'doubted', identity} : {kind: 'kept', previous};
}

/**
 * With nothing else shared, a name that is not the identity's: the row was given to another
 * person (HR reusing a leaver's row), not a person whose email or phone changed. Names compared
 * in one case and spacing; a side without a name is no evidence.
 */
function otherName(name: string | undefined, identity: UserIdentity): boolean {
  const theirs = identity.full_name;
  if (name === undefined || name.trim() === '' || typeof theirs !== 'string' || theirs.trim() === '') return false;
  return nameKey(name.normalize('NFC')) !== nameKey(theirs.normalize('NFC'));
}

/** The row gives a key, and the identity has another (not the same key without the leading zeros Excel drops). */
function otherKey(person: Person, identity: UserIdentity): boolean {
  const ours = person.user_identity_key;
  const theirs = identity.user_identity_key;
  return ours !== undefined && theirs != null && keyForm(theirs) !== ours && !zerosDropped(ours, theirs);
}

/** Another row of the file is this identity's person by its own details. */
function elsewhereIs(identity: UserIdentity, row: number, ctx: DecideContext): boolean {
  const elsewhere = ctx.matchedBy?.get(identity.user_identity_id);
  return elsewhere !== undefined && elsewhere !== row;
}

/** A key, email or phone of the row is another identity's than the one given. */
function someoneElseHas(person: Person, identity: UserIdentity, ctx: DecideContext): boolean {
  return (ctx.existing?.candidates(person) ?? []).some((other) => other.user_identity_id !== identity.user_identity_id && sharedField(person, other) !== undefined);
}

/** The key, email and phone of a row that breaks a rule, each as normalized where it passes on its own. */
function readableFields(raw: RawPerson, ctx: DecideContext): Person {
  const person: Person = {};
  const key = raw.user_identity_key === undefined ? '' : keyForm(cleanText(raw.user_identity_key));
  if (key !== '') person.user_identity_key = key;
  const normalize = {...ctx.normalize, phones: undefined};
  if (raw.email_address !== undefined) {
    const email = normalizePerson({email_address: raw.email_address}, normalize);
    if (email.ok) person.email_address = email.person.email_address;
  }
  if (raw.phone_number !== undefined) {
    const phone = normalizePerson({phone_number: raw.phone_number, phone_country: raw.phone_country}, normalize);
    if (phone.ok) person.phone_number = phone.person.phone_number;
  }
  return person;
}

/**
 * Everything that can be said about a row without sending anything. Pure given its inputs, so
 * the check pass and the import pass reach the same answer for every row.
 */
export function decideRow(raw: RawRow, deduper: Deduper, ctx: DecideContext): Decision {
  const row = raw.index;
  const rawPerson = extractPerson(raw, ctx.mapping);
  const given = adopted(rawPerson);
  if (given) {
    const normalized = normalizePerson(rawPerson, ctx.normalize, row);
    const verdict = keptOutcome(given, normalized, rawPerson, row, ctx);
    if (verdict.kind === 'doubted') {
      // Never sent (decideAfresh): a doubted row only ever ends final.
      const decision = decideAfresh(raw, rawPerson, deduper, ctx, verdict.identity);
      if (decision.kind !== 'final') return decision;
      const o = decision.outcome;
      // The id is not lost from the file handed on: the row says which it was given.
      const notKept = `The results file gave this row user identity ${given.userIdentityId} (${given.status}), not kept: Seam's identity of that id does not have this row's details.`;
      return {...decision, outcome: o.status === 'invalid' ? {...o, message: o.message === undefined ? notKept : `${o.message} ${notKept}`} : o, doubted: true};
    }
    const previous = verdict.previous;
    // Already in Seam (a results file fed back): it keeps its status and id. Its values were
    // reserved before the pass (reserveKnown), so a row that repeats it, before or after it,
    // is the duplicate.
    const person = normalized.ok ? normalized.person : {};
    // An adopted person still lacks the access systems the row asks for; Seam's details differ
    // from the row's now: the note stays in the file handed on (the warnings do not).
    const notes = [
      verdict.differs ? `Kept with its id, but Seam's details of this person differ from this row now (an email or phone changed in the file or in Seam): the importer does not change people in Seam. Update the person in Seam if the row is right.` : undefined,
      previous.status === 'existing' ? accessNotAdded(person) : undefined,
    ].filter((n): n is string => n !== undefined);
    const note = notes.length === 0 ? undefined : notes.join(' ');
    return {
      kind: 'final',
      outcome: {row, status: previous.status, userIdentityId: previous.userIdentityId, email: person.email_address, phone: person.phone_number, message: note},
      kept: true,
      ...(verdict.differs ? {differs: true as const} : {}),
    };
  }
  return decideAfresh(raw, rawPerson, deduper, ctx, undefined);
}

/**
 * A row judged by its own details: the rules, dedupe, its run record, Seam's people. `doubted`:
 * the identity a results file gave it that is likely not its own: such a row is never sent.
 */
function decideAfresh(raw: RawRow, rawPerson: RawPerson, deduper: Deduper, ctx: DecideContext, doubted: UserIdentity | undefined): Decision {
  const row = raw.index;
  const checked = checkedPerson(raw, rawPerson, ctx, true);
  if (!checked.ok) return checked.decision;
  const person = checked.person;
  const base: RowOutcome = {row, status: 'would_create', email: person.email_address, phone: person.phone_number};

  const hit = deduper.claim(person, row);
  if (hit) {
    const header = ctx.headerOf[hit.field];
    const same = `the same ${describe(hit.field)}${header ? ` in column "${header}"` : ''} (${JSON.stringify(person[hit.field])})`;
    return final({
      ...base,
      status: 'duplicate',
      code: hit.code,
      duplicateOfRow: hit.ofRow,
      message:
        hit.ofRow > row
          ? `Repeats row ${hit.ofRow}, which is already in Seam: ${same}. Only that row is kept; ${OTHER_PERSON[hit.field]}`
          : `Repeats row ${hit.ofRow}: ${same}. Only the first row is imported; ${OTHER_PERSON[hit.field]}`,
    });
  }

  // A row an earlier attempt finished keeps its answer, unless that answer says "try again".
  const recorded = ctx.journal?.done.get(row);
  const tryAgain =
    (recorded?.status === 'failed' || recorded?.status === 'skipped') &&
    (recorded.code === undefined || RETRYABLE_CODES.has(recorded.code));
  if (recorded && !tryAgain) return final(recorded);
  const priorAttempts = ctx.journal?.sent.get(row) ?? 0;

  if (ctx.existing) {
    const verdict = judge(person, ctx.existing.candidates(person), ctx.headerOf);
    if (verdict.kind === 'match') {
      // Made by an earlier attempt of this same run (its answer lost to a crash): still ours.
      const status = priorAttempts > 0 && !madeLongBefore(verdict.identity, Date.parse(ctx.journal?.run.startedAt ?? ''), ctx.existing.serverAheadMs) ? 'created' : 'existing';
      return final({...base, status, userIdentityId: verdict.identity.user_identity_id, attempts: priorAttempts || undefined, message: identityNotes(verdict.identity, person, status === 'existing')});
    }
    if (verdict.kind === 'conflict') {
      return final({...base, status: 'failed', code: verdict.code, message: verdict.message, attempts: priorAttempts || undefined});
    }
  }
  if (doubted) {
    // Not found by its details, yet the file says Seam has it (its details may have been edited
    // in Seam since): a create could make this person twice.
    const field = differingField(person, doubted) ?? 'user_identity_key';
    const theirs = doubted[field];
    return final({
      ...base,
      status: 'failed',
      code: 'conflict',
      message: `The results file gives this row user identity ${doubted.user_identity_id}, but in Seam its ${describe(field)} is ${theirs == null ? 'empty' : JSON.stringify(theirs)} where this row has ${JSON.stringify(person[field])}, and nothing in Seam has this row's details. Not sent, so as not to make this person twice: fix the row or that identity, or, if this person is not in Seam, empty the row's user_identity_id and import_status; then import it again.`,
    });
  }
  const lost = ctx.zerosLost;
  const key = person.user_identity_key;
  // Which keys lost zeros cannot be told (a key of any width may have had them): none of digits
  // alone is sent from such a file.
  if (lost && key !== undefined && DIGITS.test(key)) {
    return final({
      ...base,
      status: 'invalid',
      code: 'invalid_key',
      message: `Column "${ctx.headerOf.user_identity_key ?? 'user_identity_key'}" has "${key}", which may have lost leading zeros: this results file lost them (import_row ${lost.row} has "${lost.ours}", which is "${lost.theirs}" in Seam), as Excel does when it opens a CSV and saves it. Not sent, so as not to make a person with a wrong key: type the key again as text (Format Cells > Text), feed back the results file as the import wrote it, or import the row from the original spreadsheet (people already in Seam are found there, not made twice).`,
    });
  }
  if (ctx.dryRun) return final(ctx.unverified === undefined ? base : {...base, message: ctx.unverified});
  return {kind: 'send', person, priorAttempts, outcome: base};
}

/**
 * A key the file holds as a number of more than 15 digits (a badge or card number typed into a
 * number column): the spreadsheet kept 15 of them, and would send a key that is not the
 * person's, one that may even be another person's. The text is the number as the sheet shows it.
 */
function keyCut(text: string): string {
  const digits = (text.split('.')[0] ?? '').replace(/\D/g, '').length;
  return `which the file holds as a number of ${digits} digits: the spreadsheet kept only its first 15 digits, so ${digits === 16 ? 'the last digit is' : `the last ${digits - 15} are`} lost. Format the column as Text in the spreadsheet, type the keys again and export again.`;
}

/**
 * A person adopted as `existing` gets nothing from the row: the access systems it asks for are
 * set only on a create, so the results file says they were not added rather than let `existing`
 * pass for "done" (the next step, issuing keys, would fail for them).
 */
export function accessNotAdded(person: Person): string | undefined {
  const ids = person.acs_system_ids;
  if (ids === undefined || ids.length === 0) return undefined;
  return `${ACCESS_NOT_ADDED} The access ${ids.length === 1 ? `system ${ids[0]} this row asks for was` : `systems this row asks for (${ids.join(', ')}) were`} not added by this run: the importer sets access systems only on people it creates. Check in Seam that this person has ${ids.length === 1 ? 'it' : 'them'}, and add ${ids.length === 1 ? 'it' : 'them'} there if not.`;
}

/** Said in a row made or adopted: the problems Seam reports on the identity (`issue_with_acs_user`: access may not work). */
export const SEAM_REPORTS = 'Seam reports a problem with this person';

function seamReports(identity: UserIdentity): string | undefined {
  const errors = Array.isArray(identity.errors) ? identity.errors.filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null) : [];
  if (errors.length === 0) return undefined;
  const said = errors
    .slice(0, 3)
    .map((e) => {
      const code = typeof e['error_code'] === 'string' ? e['error_code'] : 'error';
      return typeof e['message'] === 'string' && e['message'] !== '' ? `${code}: ${serverText(maskCredentials(e['message']), 120)}` : code;
    })
    .join('; ');
  return `${SEAM_REPORTS} (${said}${errors.length > 3 ? '; …' : ''}). It is in Seam, but check its access there before relying on it.`;
}

/**
 * What a row made or adopted says: the problems Seam reports on the identity, and for one adopted
 * as it was, the access systems the row asks for that were not added.
 */
export function identityNotes(identity: UserIdentity, person: Person, adopted: boolean): string | undefined {
  const notes = [seamReports(identity), adopted ? accessNotAdded(person) : undefined].filter((n): n is string => n !== undefined);
  return notes.length === 0 ? undefined : notes.join(' ');
}

/** How accessNotAdded's note begins. */
export const ACCESS_NOT_ADDED = 'Already in Seam: adopted, not changed.';

/** The earlier outcome of a row that is in Seam already (a results file fed back), if it is one. */
function adopted(person: RawPerson): {status: 'created' | 'existing'; userIdentityId: string} | undefined {
  const previous = person.previous;
  if (!previous?.userIdentityId || (previous.status !== 'created' && previous.status !== 'existing')) return undefined;
  return {status: previous.status, userIdentityId: previous.userIdentityId};
}

/**
 * Before a pass: the values of the rows whose person is in Seam already are theirs, whatever
 * their place in the file: a row a results file fed back keeps (its id), and a row Seam has
 * exactly. An earlier row that repeats one is the duplicate: an HR export sorted anew put a
 * row that conflicts with Seam first, and the person Seam has was marked a duplicate of it,
 * left out with no id. A kept row's values are its own even over a row above it that matches
 * Seam by its details (a results file sorted by status puts `duplicate` above `existing`):
 * else both rows were given the one id.
 */
export async function reserveKnown(rows: AsyncIterable<RawRow>, deduper: Deduper, ctx: DecideContext): Promise<void> {
  for await (const raw of rows) {
    const readable = readableRow(raw, ctx.isResultsFile);
    const rawPerson = extractPerson(readable, ctx.mapping);
    const given = adopted(rawPerson);
    if (given) {
      const normalized = normalizePerson(rawPerson, {...ctx.normalize, phones: undefined}, raw.index);
      if (keptOutcome(given, normalized, rawPerson, raw.index, ctx).kind === 'kept') {
        if (normalized.ok) deduper.reserve(normalized.person, raw.index);
        continue;
      }
    }
    if (ctx.existing === undefined || ctx.existing.size === 0) continue;
    const checked = checkedPerson(readable, rawPerson, ctx, false);
    if (checked.ok && judge(checked.person, ctx.existing.candidates(checked.person)).kind === 'match') deduper.reserve(checked.person, raw.index, {weak: true});
  }
}

/**
 * What a results file fed back says about its created and existing rows as a whole, read before a
 * pass: the ids it gives to more than one of them (an id copied down a column), and the first of
 * them whose key is its identity's key without the leading zeros (Excel saved the file).
 */
export async function fedBackFacts(rows: AsyncIterable<RawRow>, ctx: DecideContext): Promise<Pick<DecideContext, 'sharedIds' | 'zerosLost' | 'matchedBy'>> {
  const seen = new Set<string>();
  const sharedIds = new Set<string>();
  const matchedBy = new Map<string, number>();
  let zerosLost: DecideContext['zerosLost'];
  for await (const raw of rows) {
    const person = extractPerson(readableRow(raw, true), ctx.mapping);
    if (ctx.existing !== undefined && ctx.existing.size > 0) {
      const normalized = normalizePerson(person, {...ctx.normalize, phones: undefined}, raw.index);
      const verdict = normalized.ok ? judge(normalized.person, ctx.existing.candidates(normalized.person)) : undefined;
      if (verdict?.kind === 'match' && !matchedBy.has(verdict.identity.user_identity_id)) matchedBy.set(verdict.identity.user_identity_id, raw.index);
    }
    const id = adopted(person)?.userIdentityId;
    if (id === undefined) continue;
    if (seen.has(id)) sharedIds.add(id);
    else seen.add(id);
    if (zerosLost === undefined) {
      const ours = person.user_identity_key?.trim();
      const theirs = ctx.existing?.get(id)?.user_identity_key;
      if (ours && theirs && zerosDropped(ours, theirs)) zerosLost = {row: raw.index, ours, theirs};
    }
  }
  return zerosLost === undefined ? {sharedIds, matchedBy} : {sharedIds, matchedBy, zerosLost};
}

const DIGITS = /^\d+$/;

/** `ours` is `theirs` without its leading zeros ("42" for "00042"): what Excel does to a number column. */
function zerosDropped(ours: string, theirs: string): boolean {
  return ours.length < theirs.length && theirs.charCodeAt(0) === 48 && DIGITS.test(ours) && DIGITS.test(theirs) && theirs.replace(/^0+/, '') === ours.replace(/^0+/, '');
}

/** Whether the import reads this column (a field, or a part of the name). */
function importedColumn(column: number, mapping: ColumnMapping): boolean {
  return Object.values(mapping.fields).includes(column) || nameColumns(mapping).includes(column);
}

function final(outcome: RowOutcome): Decision {
  return {kind: 'final', outcome};
}

/**
 * What a report puts between and after the people: "Total Residents: 5", "Printed by jdoe on
 * 3/31/2024", "Floor 2", "Residents - Building B", "Page 3 of 7", a report's footer ("Copyright (c) 2000-2025 …",
 * "Confidential Information - Do Not Distribute"), a roster's empty unit ("VACANT", "Model unit",
 * "Occupied: 6 of 6"). Asked only of a row with no email and no phone.
 */
const NOTE = /^(?:[^:@\d]*\sreport$|copyright\b|©|\(c\)\s*\d{4}|confidential\b|all\s+rights\s+reserved|do\s+not\s+(?:distribute|copy|share)\b|vacant(?:\s*[-–:(]|$)|model\s+(?:unit|apartment|suite)\b|(?:occupied(?:\s+units)?|vacancies|vacant\s+units)\s*:|(?:grand\s+|sub-?)?totals?\b|(?:sum|count|average)\s*:|(?:printed|generated|exported|run|created)\s+(?:by|on|at)\b|page\s+\d+|end\s+of\s+(?:report|list)|(?:notes?|comments?)\s*:|(?:(?:residents|tenants|occupants|owners|staff|employees|members)\s*[-–—:,]\s*)?(?:floor|building|block|wing|tower|level|section)\s+(?:[a-z]|[\w-]*\d[\w-]*)(?:\s*[-–—:,]\s*(?:residents|tenants|occupants|owners|staff|employees|members))?$)/i;

function nameColumns(mapping: ColumnMapping): number[] {
  const columns = mapping.fields.full_name === undefined ? [] : [mapping.fields.full_name];
  if (mapping.nameParts) columns.push(...namePartColumns(mapping.nameParts));
  return columns;
}

/**
 * The cell that makes a row a total, a heading or a note (3 filled cells at most, not counting a
 * results file's import columns), if one does.
 * A row with a name that is not itself the note is a person missing a contact ("Jane Roe" in
 * "Tower 2"), never a note; so is one whose first filled cell is not the note.
 */
function noteRow(cells: readonly string[], names: readonly number[], results: readonly number[]): string | undefined {
  let named: string | undefined;
  for (const i of names) {
    const name = (cells[i] ?? '').trim();
    if (name === '') continue;
    if (!NOTE.test(name)) return undefined;
    named ??= name;
  }
  // The name column itself says it ("102, VACANT"): the note, whatever comes before or after it
  // (a rent roll's empty unit keeps its beds, area and rent: "105,VACANT,2,1,850,1450.00").
  if (named !== undefined) return named;
  // The row's first filled cell is the note ("Floor 2", "Total Residents: 5"); a row that starts
  // with anything else ("John Poe", "Building A") is a person whose name column was not found.
  // A results file fed back: its import columns (the status, the message) are not the row's cells.
  let filled = 0;
  let note: string | undefined;
  for (let i = 0; i < cells.length; i += 1) {
    if (results.length > 0 && results.includes(i)) continue;
    const text = cells[i]!.trim();
    if (text === '') continue;
    if (++filled > 3) return undefined;
    if (filled === 1) {
      if (!NOTE.test(text)) return undefined;
      note = text;
    }
  }
  return note;
}

/** A duplicate may be another person sharing a value (a household phone, a shared mailbox): what to do then. */
const OTHER_PERSON = {
  user_identity_key: 'if this is another person, give this row its own key.',
  email_address: 'if this is another person who shares the address, give this row its own email address, or only a phone number.',
  phone_number: 'if this is another person who shares the number (a household or desk phone), give this row its own phone number, or only an email address.',
} as const;

function describe(field: 'user_identity_key' | 'email_address' | 'phone_number'): string {
  return field === 'user_identity_key' ? 'key' : field === 'email_address' ? 'email address' : 'phone number';
}
