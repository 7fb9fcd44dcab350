/**
 * The check pass: every row read once and decided (nothing is sent), counted into the plan.
 * A dry run writes its results file here; a real run's import pass decides every row again, the
 * same way (see decideRow), and sends.
 */
import {ACCESS_NOT_ADDED, decideRow, fedBackFacts, readableRow, reserveKnown, type DecideContext} from './decide.js';
import {Deduper} from './dedupe.js';
import {ImportError} from './errors.js';
import type {CheckProgress, EventSink, Plan, RowOutcome} from './events.js';
import type {JournalState} from './journal.js';
import {isCountryHeader, namePartColumns} from './columns.js';
import {leaverColumns, Leavers} from './leavers.js';
import {UnusedContacts} from './unused-contacts.js';
import {RowPrints} from './row-prints.js';
import {RowSample} from './row-sample.js';
import {NameOrder} from './name-order.js';
import {PhoneCountryHint} from './phone-country.js';
import {unnamedContactWarning} from './source-columns.js';
import {OrderedOutput} from './ordered-output.js';
import type {Settings} from './preflight.js';
import {Tally} from './tally.js';
import {ROW_STATUSES, rowBatches, type ColumnMapping, type RawRow, type TableSource} from './types.js';

export interface CheckInput {
  settings: Settings;
  source: TableSource;
  mapping: ColumnMapping;
  decide: DecideContext;
  journalState?: JournalState;
  /** Seam refused the credentials at the first lookups. */
  fatal?: Plan['fatal'];
  /** Ids to say which of a row's outcome names (--restart: the people the record it starts over from made). */
  watch?: ReadonlySet<string>;
}

/**
 * A fresh deduper, with the rows whose person is in Seam already reserved (reserveKnown: one more
 * read of the file) when there can be any: a results file fed back, or a workspace with people.
 */
export async function newDeduper(rows: () => AsyncIterable<RawRow>, decide: DecideContext): Promise<Deduper> {
  const deduper = new Deduper();
  // Both passes compute the same set, from the same file.
  if (decide.isResultsFile && decide.existing) Object.assign(decide, await fedBackFacts(rows(), decide));
  if (decide.isResultsFile || (decide.existing?.size ?? 0) > 0) await reserveKnown(rows(), deduper, decide);
  return deduper;
}

/**
 * The ids the run record or a results file fed back gives rows (checked against the workspace's
 * listing): how many, how many it does not list, and the first few of those.
 */
export interface GivenIds {
  count: number;
  unlisted: number;
  examples: RowOutcome[];
  /** The first UNLISTED_KEPT of the rows whose id the workspace did not list, to ask Seam for by id (a listing behind). */
  unlistedRows: RowOutcome[];
}

/** Rows whose unlisted id is asked for by id before the warning: a listing a moment behind is not "deleted since". */
export const UNLISTED_KEPT = 200;

/** The plan; for a dry run, the tally of the results file it wrote; the ids the rows were given. */
export async function checkRows(p: CheckInput, events: EventSink, signal?: AbortSignal): Promise<{plan: Plan; prints: RowPrints | undefined; written: Tally | undefined; given: GivenIds; matched: Set<string>}> {
  const matched = new Set<string>();
  const deduper = await newDeduper(() => p.source.rows(signal), p.decide);
  const tally = new Tally();
  const progress: CheckProgress = {rowsRead: 0, invalid: 0, duplicate: 0, samples: []};
  const plan: Plan = {
    total: 0,
    toCreate: 0,
    existing: 0,
    conflicts: 0,
    invalid: 0,
    duplicate: 0,
    alreadyDone: 0,
    workspaceIdentities: p.decide.existing?.size,
    acsSystems: p.decide.normalize.knownAcsSystems?.size,
    dryRun: p.settings.dryRun,
    fatal: p.fatal,
  };
  // For the import pass, which reads the file again (a dry run has none).
  const prints = p.settings.dryRun ? undefined : new RowPrints();
  const output = p.settings.dryRun ? new OrderedOutput(p.settings.out, p.source.headers, p.mapping, p.source.info.delimiter) : undefined;
  const {full_name: fullName} = p.mapping.fields;
  const nameParts = p.mapping.nameParts ? namePartColumns(p.mapping.nameParts) : [];
  const names = [...(fullName === undefined ? [] : [fullName]), ...nameParts];
  const leaving = leaverColumns(p.source.headers, {names});
  const leavers = leaving.length > 0 ? new Leavers(leaving, p.settings.defaultCountryGiven ? {defaultCountry: p.settings.defaultCountry} : {}) : undefined;
  const unusedContacts = UnusedContacts.watches(p.mapping) ? new UnusedContacts(p.mapping) : undefined;
  // Not when --map first_name and last_name come first: the name column is then only their stand-in.
  const nameColumn = p.mapping.namePartsFirst ? undefined : p.mapping.fields.full_name;
  const partColumns = nameColumn === undefined ? nameParts : [];
  const nameOrder = nameColumn !== undefined ? new NameOrder([nameColumn]) : partColumns.length > 0 ? new NameOrder(partColumns, true) : undefined;
  const phoneColumn = p.mapping.fields.phone_number;
  const emailColumn = p.mapping.fields.email_address;
  const countryColumn = p.mapping.phoneCountry;
  // Where the people are tells which way a leaver's date is written (05/12/2026): a file without phones has its country column too.
  const placeColumn = countryColumn ?? (leavers ? p.source.headers.findIndex((h) => isCountryHeader(h)) : -1);
  const phoneCountry = phoneColumn === undefined || p.settings.defaultCountryGiven ? undefined : new PhoneCountryHint();
  const hidden: number[] = [];
  let hiddenCount = 0;
  const merged = {cells: 0, rows: 0, lines: [] as number[]};
  let lastIndex = 0;
  /** Rows said to be in Seam (by the run record, or a results file fed back) whose id the workspace does not list. */
  const gone: RowOutcome[] = [];
  let goneCount = 0;
  /** Rows whose id the run record or a results file fed back gives (not found by this run's lookups). */
  let givenIds = 0;
  /** Rows of a results file fed back whose id Seam's identity does not bear out (the id was not kept). */
  const rejudged = new RowSample();
  /** Rows of a results file fed back kept with their id though Seam's details of the person differ now. */
  const differing = new RowSample();
  /** Rows adopted as existing whose access systems are not added (the first few, and how many). */
  const unequipped = new RowSample();
  /** Rows of a results file fed back whose import_status is none the importer writes: their cells may have moved. */
  const statusColumn = p.decide.isResultsFile ? p.mapping.results.import_status : undefined;
  const moved = new RowSample();
  let movedExample = '';
  const keyColumn = p.mapping.fields.user_identity_key;
  const keys: KeyShapes = {filled: 0, decimal: 0, pointZero: 0, grouped: 0, example: ''};
  /** The first rows, for the warning about a contact column no header names. */
  const sample: string[][] = [];
  const wantsSample = p.mapping.fields.email_address === undefined || p.mapping.fields.phone_number === undefined;
  try {
    for await (const batch of rowBatches(p.source, signal)) {
      for (const raw of batch) {
        if (signal?.aborted) throw signal.reason;
        if (raw.hidden && ++hiddenCount <= 5) hidden.push(raw.line);
        if (raw.mergedCells) {
          merged.cells += raw.mergedCells.length;
          if (++merged.rows <= 5) merged.lines.push(raw.line);
        }
        lastIndex = raw.index;
        prints?.add(raw.cells);
        const row = readableRow(raw, p.decide.isResultsFile);
        const decision = decideRow(row, deduper, p.decide);
        const said = decision.outcome;
        const imported = decision.kind === 'send' || said.status === 'would_create' || said.status === 'existing' || said.status === 'created';
        leavers?.see(said.row, raw.cells, imported, {country: row.cells[placeColumn], phone: said.phone});
        unusedContacts?.see(said.row, raw.cells, imported);
        nameOrder?.see(said.row, raw.cells, imported);
        phoneCountry?.see(imported, row.cells[phoneColumn ?? -1], emailColumn === undefined ? undefined : row.cells[emailColumn], countryColumn === undefined ? undefined : row.cells[countryColumn]);
        if (said.userIdentityId !== undefined && p.watch?.has(said.userIdentityId)) matched.add(said.userIdentityId);
        if (said.userIdentityId !== undefined && p.decide.existing) {
          if ((decision.kind === 'final' && decision.kept === true) || p.journalState?.done.get(said.row)?.userIdentityId === said.userIdentityId) givenIds += 1;
          if (!p.decide.existing.ids.has(said.userIdentityId)) {
            if (++goneCount <= UNLISTED_KEPT) gone.push(said);
          }
        }
        if (decision.kind === 'final' && decision.doubted === true) rejudged.add(said.row);
        if (decision.kind === 'final' && decision.differs === true) differing.add(said.row);
        if (said.status === 'existing' && said.message?.includes(ACCESS_NOT_ADDED)) unequipped.add(said.row);
        if (statusColumn !== undefined) {
          const status = (row.cells[statusColumn] ?? '').trim();
          if (status !== '' && !KNOWN_STATUSES.has(status)) {
            moved.add(said.row);
            movedExample ||= status;
          }
        }
        if (keyColumn !== undefined) countKey(keys, raw.cells[keyColumn] ?? '');
        if (wantsSample && sample.length < 50) sample.push(raw.cells);
        plan.total += 1;
        progress.rowsRead += 1;
        if (decision.kind === 'send') plan.toCreate += 1;
        else {
          const o = decision.outcome;
          if (o.status === 'would_create') plan.toCreate += 1;
          else if (o.status === 'invalid') plan.invalid += 1;
          else if (o.status === 'duplicate') plan.duplicate += 1;
          else if (o.code === 'conflict' || o.code === 'being_deleted') plan.conflicts += 1;
          else if (o.status === 'existing' && !p.journalState?.done.has(o.row)) plan.existing += 1;
          else plan.alreadyDone += 1;
          if (o.status === 'invalid' || o.status === 'duplicate') {
            if (o.status === 'invalid') progress.invalid += 1;
            else progress.duplicate += 1;
            if (progress.samples.length < 5) progress.samples.push(o);
          }
        }
        if (output) {
          const outcome = decision.outcome;
          tally.add(outcome, decision.kind === 'final' && decision.kept === true);
          output.push(row.cells, outcome, true);
          const full = output.flush();
          if (full) await full;
        }
        if (progress.rowsRead % 2000 === 0) events.emit('checking', {...progress, samples: [...progress.samples]});
      }
    }
    // Rows are numbered with the empty ones counted (import_row matches the spreadsheet): the
    // gaps are the empty rows between the people, said so that none seems lost.
    const blank = lastIndex - progress.rowsRead;
    if (blank > 0) progress.blank = blank;
    events.emit('checking', {...progress, samples: [...progress.samples]});
    if (hiddenCount > 0) events.emit('warning', hiddenRowsWarning(hiddenCount, hidden));
    if (merged.cells > 0) events.emit('warning', mergedCellsWarning(merged));
    const left = leavers?.warning(p.journalState !== undefined);
    if (left) events.emit('warning', left);
    for (const unused of unusedContacts?.warnings(p.source.headers) ?? []) events.emit('warning', unused);
    const nameHeader = p.source.headers[nameColumn ?? -1] ?? '';
    const nameHeaders = nameColumn === undefined ? partColumns.map((column) => p.source.headers[column] ?? '') : nameHeader;
    for (const said of [nameOrder?.warning(nameHeader), nameOrder?.twoPeopleWarning(nameHeaders), nameOrder?.lostLettersWarning(nameHeaders)]) {
      if (said) events.emit('warning', said);
    }
    const elsewhere = phoneCountry?.warning(p.settings.defaultCountry, p.source.headers[phoneColumn ?? -1] ?? '');
    if (elsewhere) events.emit('warning', elsewhere);
    if (rejudged.count > 0) events.emit('warning', rejudgedWarning(rejudged));
    if (differing.count > 0) events.emit('warning', differingWarning(differing));
    if (moved.count > 0) events.emit('warning', movedCellsWarning(moved, movedExample));
    const zeros = p.decide.zerosLost;
    if (zeros) {
      events.emit(
        'warning',
        `This results file has lost the leading zeros of its keys (import_row ${zeros.row}: "${zeros.ours}" here, "${zeros.theirs}" in Seam), as Excel does when it opens a CSV and saves it. Rows Seam has keep their ids; a row to send whose key is digits only is not sent (invalid_key): which keys lost zeros cannot be told, and a person must not be made with a wrong key.`,
      );
    }
    const unnamed = wantsSample ? unnamedContactWarning(p.source.headers, sample, p.mapping, p.settings.defaultCountry) : undefined;
    if (unnamed) events.emit('warning', unnamed);
    const decimals = decimalKeysWarning(keys, p.source.headers[keyColumn ?? -1] ?? '');
    if (decimals) events.emit('warning', decimals);
    if (unequipped.count > 0) events.emit('warning', accessWarning(unequipped));
    if (progress.rowsRead === 0) {
      throw new ImportError('input_empty', `${p.settings.input} has a header row but no data rows: nothing to import.`, {
        hint: 'Check that this is the right file (or, for a workbook, the right --sheet).',
      });
    }
    if (output) {
      events.emit('phase', 'writing');
      await output.commit();
    }
  } catch (error) {
    await output?.discard();
    throw error;
  }
  // The warning for unlisted ids is said by the importer, once it has asked Seam for them by id (goneWarning).
  return {plan, prints, written: output ? tally : undefined, given: {count: givenIds, unlisted: goneCount, examples: gone.slice(0, 3), unlistedRows: gone}, matched};
}

/**
 * Rows a filter (or a person) hid in the sheet are in the file all the same: someone who filtered
 * out "Moved out" before saving may expect them left out, so the plan says they are not.
 */
function hiddenRowsWarning(count: number, lines: number[]): string {
  const which = count === 1 ? `Sheet row ${lines[0]} is` : `${count} rows are`;
  const rows = count === 1 ? '' : ` (sheet rows ${lines.join(', ')}${count > lines.length ? ', …' : ''})`;
  return `${which} hidden in the worksheet${rows}, by a filter or by hand; ${count === 1 ? 'it is' : 'they are'} imported like the others. To leave ${
    count === 1 ? 'it' : 'them'
  } out, delete ${count === 1 ? 'it' : 'them'} from the sheet and save.`;
}

/**
 * A value merged down over several rows (a family's last name, a shared email) is on each of
 * them in the sheet, and so in the import: said, since a merged email makes the rows after the
 * first duplicates, and a person may have meant the merge as a heading.
 */
function mergedCellsWarning({cells, rows, lines}: {cells: number; rows: number; lines: number[]}): string {
  const where = `${rows === 1 ? 'sheet row' : 'sheet rows'} ${lines.join(', ')}${rows > lines.length ? ', …' : ''}`;
  return `${cells === 1 ? '1 cell is' : `${cells} cells are`} merged across rows (into ${where}): each row of a merge takes its value. To give a row a value of its own, unmerge the ${
    cells === 1 ? 'cell' : 'cells'
  } in the sheet, type it and save.`;
}

/**
 * A whole number a script wrote as a decimal (pandas writes 1001 as "1001.0" once its column
 * holds a blank), or a spreadsheet's Number format showed with decimals ("2014.00").
 */
const DECIMAL_KEY = /^\d+\.0+$/;
/** A whole number shown with thousands separators (Excel's #,##0): "1,234,567". */
const GROUPED_KEY = /^\d{1,3}(?:,\d{3})+$/;

interface KeyShapes {
  filled: number;
  decimal: number;
  /** Of the decimals, those ending in ".0" alone (pandas' way). */
  pointZero: number;
  grouped: number;
  example: string;
}

function countKey(keys: KeyShapes, cell: string): void {
  const key = cell.trim();
  if (key === '') return;
  keys.filled += 1;
  const decimal = DECIMAL_KEY.test(key);
  const grouped = !decimal && GROUPED_KEY.test(key);
  if (decimal) keys.decimal += 1;
  if (decimal && key.endsWith('.0') && !key.endsWith('.00')) keys.pointZero += 1;
  if (grouped) keys.grouped += 1;
  if ((decimal || grouped) && keys.example === '') keys.example = key;
}

/**
 * Every key a whole number written as a decimal ("1001.0", "2014.00") or with thousands
 * separators ("1,234,567"): a script's or a number format's doing, not the keys people use. They
 * are sent as written (they are the file's values), but said, since the same people keyed "1001"
 * elsewhere would not match them.
 */
function decimalKeysWarning(keys: KeyShapes, header: string): string | undefined {
  if (keys.filled < 2 || keys.decimal + keys.grouped !== keys.filled) return undefined;
  const whole = keys.example.replace(/\.0+$|,/g, '');
  const said = JSON.stringify(keys.example);
  if (keys.grouped === 0 && keys.pointZero === keys.decimal) {
    return `Every key in column "${header}" ends in ".0" (${said}): a script (pandas, for one) wrote whole numbers as decimals. They are sent as written; if your other systems say ${JSON.stringify(whole)}, fix the export (or remove the ".0") and import again.`;
  }
  return `Every key in column "${header}" is a whole number written ${keys.grouped === 0 ? 'with decimals' : keys.decimal === 0 ? 'with thousands separators' : 'with decimals or thousands separators'} (${said}): the spreadsheet shows the column in a Number format. They are sent as written; if your other systems say ${JSON.stringify(whole)}, format the column as Text or General, export again and import.`;
}

/** Rows of a results file fed back whose id is likely not theirs (keptOutcome's evidence). */
function rejudgedWarning(rows: RowSample): string {
  const one = rows.count === 1;
  return `${one ? 'One row' : `${rows.count} rows`} of the results file fed back (${rows.list}) ${one ? 'has' : 'have'} a user_identity_id that is likely not ${one ? 'its' : 'theirs'} (copied down a column, swapped by hand, or moved by sorting some columns only: Seam's identity of that id is someone else's, or is not there while another has the row's details): ${one ? 'it is' : 'they are'} judged again by key, email and phone, never sent, and the results file says what each is now.`;
}

const KNOWN_STATUSES: ReadonlySet<string> = new Set(ROW_STATUSES);

/**
 * Rows of a results file fed back whose import_status is not a status: a cell split in two when
 * the file was opened in a spreadsheet (a bare "Ana; Luis" in a file an earlier build wrote, which
 * LibreOffice splits on), and the rest of the row moved right, its id and status with it.
 */
function movedCellsWarning(rows: RowSample, example: string): string {
  const one = rows.count === 1;
  return `${one ? 'One row' : `${rows.count} rows`} of the results file fed back (${rows.list}) ${one ? 'has' : 'have'} an import_status that is not one the importer writes (${JSON.stringify(example)}): ${one ? 'its' : 'their'} cells may have moved, as when a cell holding a comma, a semicolon or a tab is split in two by a spreadsheet opening the file. ${one ? 'It is' : 'They are'} judged by ${one ? 'its' : 'their'} cells as they stand now, like new rows, and any id ${one ? 'it' : 'they'} had is not kept: check ${one ? 'that row' : 'those rows'} against the file the import wrote.`;
}

/** Rows of a results file fed back that keep their id though Seam's details differ now. */
function differingWarning(rows: RowSample): string {
  const one = rows.count === 1;
  return `${one ? 'One row' : `${rows.count} rows`} of the results file fed back (${rows.list}) keep${one ? 's' : ''} ${one ? 'its' : 'their'} id, but Seam's details of ${one ? 'that person' : 'those people'} differ from the row now (an email or phone changed in the file or in Seam): the importer does not change people in Seam. Update ${one ? 'it' : 'them'} in Seam if the file is right.`;
}

/** People already in Seam are adopted as they are: the access systems their rows ask for are not added. */
function accessWarning(rows: RowSample): string {
  const count = rows.count;
  const which = `${count === 1 ? 'One row' : `${count} rows`} (${rows.list}) ${count === 1 ? 'is' : 'are'}`;
  return `${which} already in Seam and will be adopted as ${count === 1 ? 'it is' : 'they are'}, without adding the access systems ${count === 1 ? 'it asks' : 'they ask'} for: the importer sets access systems only on people it creates. Check in Seam that ${count === 1 ? 'that person has them' : 'those people have them'} (a run that made them, then stopped, gave them theirs); the results file says which rows.`;
}

/**
 * Rows kept as created or existing (a resumed run's record, a results file fed back) whose
 * identity the workspace does not list: deleted since, or made in another workspace. They keep
 * their status, since the record is what this run knows; the person reading must not take them as in Seam.
 */
export function goneWarning(count: number, rows: RowOutcome[], resultsFile: boolean): string {
  const examples = rows.map((r) => `import_row ${r.row}, ${r.userIdentityId}`).join('; ');
  const them = count === 1 ? 'that person' : 'them';
  const how = resultsFile
    ? `clear import_status in ${count === 1 ? 'that row' : 'those rows'} of the file, or import the original spreadsheet`
    : 'import with --restart';
  const named = examples === '' ? '' : ` (${examples}${count > rows.length ? '; …' : ''})`;
  return `${count === 1 ? '1 row is' : `${count} rows are`} kept as ${count === 1 ? 'it was' : 'they were'} (created or existing) with an id the workspace does not list${named}: deleted since, or made in another workspace. To create ${them} again, ${how} (people still in Seam are found, not created twice).`;
}
