import {describe, expect, it} from 'vitest';
import {isoDate, readDate} from '../src/engine/dates.js';
import {leaverColumns, Leavers} from '../src/engine/leavers.js';

/** "Today" for the dates that read two ways around it: the tests do not depend on the real date. */
const now = new Date(2026, 10, 29);
const consequence = 'people who have left are imported like the others, and would be given access.';

describe('leavers (people the file says have left)', () => {
  it.each([
    [['Name', 'Email', 'Employment Status'], 'Terminated - Voluntary', true],
    [['Name', 'Email', 'Status'], 'Moved Out', true],
    [['Name', 'Email', 'Status'], 'Active', false],
    [['Name', 'Email', 'Status'], 'Notice', false],
    [['Name', 'Email', 'Lease Status'], 'Past', true],
    [['Name', 'Email', 'Active'], 'No', true],
    [['Name', 'Email', 'Active'], 'Yes', false],
    [['Name', 'Email', 'Active Status'], 'No', true],
    // Google Workspace's user export: "Status [READ ONLY]" Active / Suspended.
    [['Name', 'Email', 'Status [READ ONLY]'], 'Suspended', true],
    [['Name', 'Email', 'Status [READ ONLY]'], 'Active', false],
    [['Name', 'Email', 'accountEnabled'], 'False', true],
    [['Name', 'Email', 'accountEnabled'], 'True', false],
    [['Name', 'Email', 'Account Enabled'], 'FALSE', true],
    [['Name', 'Email', 'Termination Date'], '2024-03-01', true],
    [['Name', 'Email', 'Termination Date'], '', false],
    [['Name', 'Email', 'Status'], 'Past Due', false],
    [['Name', 'Email', 'Membership Status'], 'Retired', false],
    [['Name', 'Email', 'Status'], 'Inactive (leave)', true],
    [['Name', 'Email', 'Move-out Date'], '2099-01-31', false],
    [['Name', 'Email', 'Move-out Date'], '12/31/2099', false],
    [['Name', 'Email', 'Move-out Date'], '01/31/2020', true],
    [['Name', 'Email', 'Status'], 'Past-Due', false],
    [['Name', 'Email', 'Status'], 'Past: 30 days', false],
    [['Name', 'Email', 'Status'], 'Left - voicemail', false],
    [['Name', 'Email', 'Move Out'], 'N/A', false],
    [['Name', 'Email', 'Move Out'], 'TBD', false],
    [['Name', 'Email', 'Move Out'], 'Dec 31, 2099', false],
    [['Name', 'Email', 'Move Out'], 'Jan 15, 2020', true],
    [['Name', 'Email', 'Move Out'], '1/15/69', false],
    [['Name', 'Email', 'Move Out'], '1/15/99', true],
    [['Name', 'Email', 'Move Out'], '1/15/20', true],
    [['Name', 'Email', 'Move Out'], '01/31/2099 (notice given)', false],
    // Okta, and exports in other languages: all were given access without a word.
    [['Name', 'Email', 'Status'], 'DEPROVISIONED', true],
    [['Name', 'Email', 'Status'], 'Inaktiv', true],
    [['Nombre', 'Email', 'Estado'], 'Baja', true],
    [['Nombre', 'Email', 'Estado'], 'Alta', false],
    [['Nome', 'Email', 'Stato'], 'Cessato', true],
    [['Nom', 'Email', 'Statut'], 'Sorti', true],
    [['Naam', 'Email', 'Status'], 'Uit dienst', true],
    [['氏名', 'Email', '在籍区分'], '退職', true],
    [['氏名', 'Email', '在籍区分'], '在籍', false],
    [['성명', 'Email', '재직상태'], '퇴사', true],
    // Payroll codes (Paylocity, ADP, UKG), Openpath's, HiBob's, Gusto's, JumpCloud's: all gave no warning.
    [['Name', 'Email', 'Employee Status'], 'T', true],
    [['Name', 'Email', 'Employee Status'], 'Term', true],
    [['Name', 'Email', 'Employee Status'], 'A', false],
    [['Name', 'Email', 'Employee Status'], 'L', false],
    [['First Name', 'Last Name', 'Status'], 'S', true],
    [['First Name', 'Last Name', 'Status'], 'I', true],
    [['Name', 'Email', 'Lifecycle status'], 'Terminated', true],
    [['Name', 'Email', 'Lifecycle status'], 'Employed', false],
    [['Name', 'Email', 'Status'], 'Dismissed', true],
    [['Name', 'Email', 'Dismissal Date'], '2025-03-01', true],
    [['Name', 'Email', 'state'], 'SUSPENDED', true],
    [['Name', 'Email', 'state'], 'ACTIVATED', false],
    [['Name', 'Email', 'State'], 'CA', false],
    [['Name', 'Email', 'State'], 'Baja California', false],
    // A yes/no column whose yes says the person left (JumpCloud, Brivo).
    [['username', 'email', 'suspended'], 'true', true],
    [['username', 'email', 'suspended'], 'false', false],
    [['First Name', 'Last Name', 'Suspended'], 'Yes', true],
    [['Name', 'Email', 'Is Terminated'], 'Y', true],
    [['Name', 'Email', 'Deleted'], '1', true],
    [['Name', 'Email', 'Archived'], 'No', false],
    [['First Name', 'Last Name', 'Expiration Date'], '2025-01-31', true],
    [['First Name', 'Last Name', 'Access Expiration'], '01/31/2099', false],
    // Leaving dates in other languages (Personio's "Austrittsdatum"), with no status column.
    [['Vorname', 'Nachname', 'Austrittsdatum'], '31.03.2025', true],
    [['Vorname', 'Nachname', 'Austrittsdatum'], '31.03.2099', false],
    [['Prénom', 'Nom', 'Date de sortie'], '31/03/2025', true],
    [['Nombre', 'Email', 'Fecha de baja'], '31/03/2025', true],
    [['Naam', 'Email', 'Datum uitdiensttreding'], '31-03-2025', true],
    [['Naam', 'Email', 'Uitdiensttreding'], '31-03-2025', true],
    [['Nome', 'Email', 'Data cessazione'], '31/03/2025', true],
    [['氏名', 'Email', '退職日'], '2025/03/31', true],
  ] as const)('%j with %j: left = %s', (headers, cell, left) => {
    const column = leaverColumns(headers)[0];
    expect(column?.index).toBe(2);
    expect(column!.left(cell)).toBe(left);
  });

  it('a status column beats a date column (a rehire keeps an old Termination Date), and every status column counts (BambooHR has two)', () => {
    const rehire = new Leavers(leaverColumns(['Name', 'Termination Date', 'Employee Status']));
    rehire.see(1, ['Ann', '2019-06-30', 'Active'], true);
    expect(rehire.warning()).toBeUndefined();
    // A blank status leaves it to the date.
    rehire.see(2, ['Ben', '2025-06-30', ''], true);
    expect(rehire.warning()).toMatch(/^Column "Termination Date" has a date that has come in one row \(import_row 2\)/);
    const bamboo = new Leavers(leaverColumns(['Name', 'Employment Status', 'Status']));
    bamboo.see(1, ['Ann', 'Full-Time', 'Active'], true);
    bamboo.see(2, ['Ben', 'Full-Time', 'Inactive'], true);
    expect(bamboo.warning()).toMatch(/^Column "Status" says "Inactive" in one row \(import_row 2\)/);
  });

  it('a status not understood no longer turns the dates off: a past Termination Date counts unless a status says the person is there (was: "Employee Status: X" hid it)', () => {
    const leavers = new Leavers(leaverColumns(['Name', 'Employee Status', 'Termination Date', 'Active']));
    leavers.see(1, ['Ann', 'X', '10/31/2025', ''], true);
    leavers.see(2, ['Ben', 'Full-Time', '2025-10-31', ''], true);
    leavers.see(3, ['Cy', 'L', '10/31/2025', ''], true);
    // Rehires: a status, or a yes/no column, that says the person is there.
    leavers.see(4, ['Di', 'A', '10/31/2025', ''], true);
    leavers.see(5, ['Ed', 'Active - Leave', '10/31/2025', ''], true);
    leavers.see(6, ['Flo', 'Employed', '10/31/2025', ''], true);
    leavers.see(7, ['Gus', '', '10/31/2025', 'Yes'], true);
    expect(leavers.warning()).toBe(`Column "Termination Date" has a date that has come in 3 rows (import_row 1, 2, 3): ${consequence} To leave them out, delete those rows from the file.`);
  });

  it('JumpCloud\'s "suspended: true" and Brivo\'s "Suspended: Yes" name the row; "Suspended: No" leaves a past "Expiration Date" to speak; a "Lease End" passed is no leaver (was: no warning for any of them)', () => {
    const jumpcloud = new Leavers(leaverColumns(['username', 'email', 'firstname', 'lastname', 'state', 'suspended']));
    jumpcloud.see(1, ['ann', 'ann@x.com', 'Ann', 'Lee', 'ACTIVATED', 'false'], true);
    jumpcloud.see(2, ['cy', 'cy@x.com', 'Cy', 'Dee', '', 'true'], true);
    expect(jumpcloud.warning()).toBe(`Column "suspended" says "true" in one row (import_row 2): ${consequence} To leave that person out, delete the row from the file.`);
    const brivo = new Leavers(leaverColumns(['First Name', 'Last Name', 'Email', 'Suspended', 'Expiration Date', 'Lease End']));
    brivo.see(1, ['Ann', 'Lee', 'ann@x.com', 'No', '', '2024-06-30'], true);
    brivo.see(2, ['Bo', 'Chan', 'bo@x.com', 'Yes', '', ''], true);
    brivo.see(3, ['Cy', 'Dee', 'cy@x.com', 'No', '2025-01-31', ''], true);
    expect(brivo.warning()).toBe(
      `2 rows (import_row 2, 3) say the person has left (column "Suspended" says "Yes" in one, column "Expiration Date" has a date that has come in one): ${consequence} To leave them out, delete those rows from the file.`,
    );
  });

  it('a name Workday marks "(Terminated)" names the row, saying the mark (was: no warning); a Manager column marked so is someone else', () => {
    const leavers = new Leavers(leaverColumns(['Worker', 'Email', 'Manager'], {names: [0]}));
    leavers.see(1, ['Ann Lee', 'ann@x.com', 'Kim Park (Terminated)'], true);
    leavers.see(2, ['Yuki Tanaka (Terminated)', 'yuki@x.com', 'Kim Park (Terminated)'], true);
    leavers.see(3, ['Bo Chan (On Leave)', 'bo@x.com', ''], true);
    expect(leavers.warning()).toBe(`Column "Worker" writes "(Terminated)" after the name in one row (import_row 2): ${consequence} To leave that person out, delete the row from the file.`);
    expect(leaverColumns(['Worker', 'Email', 'Manager'])).toEqual([]);
  });

  it('names each column that said it: a row flagged by its move-out date is not put down to a status', () => {
    const leavers = new Leavers(leaverColumns(['Name', 'Active Status', 'Worker Status', 'Move-Out Date']));
    leavers.see(1, ['A', 'No', '', ''], true);
    leavers.see(3, ['C', '', 'Terminated', ''], true);
    leavers.see(5, ['E', '', '', '2024-02-15'], true);
    leavers.see(6, ['F', '', 'Terminated', ''], true);
    expect(leavers.warning()).toBe(
      '4 rows (import_row 1, 3, 5, 6) say the person has left (column "Active Status" says "No" in one, column "Worker Status" says "Terminated" in 2, column "Move-Out Date" has a date that has come in one): people who have left are imported like the others, and would be given access. To leave them out, delete those rows from the file.',
    );
  });

  it('finds no column in a file without one ("Current" in a rent roll is an amount); a "State" that is a place says nothing, and leaves a past date to speak', () => {
    expect(leaverColumns(['Name', 'Email', 'Status notes', 'Current'])[0]).toBeUndefined();
    // In an HR or EEO export, "Disabled" is a person's disability, not an account's state.
    expect(leaverColumns(['Name', 'Email', 'Disabled'])[0]).toBeUndefined();
    const leavers = new Leavers(leaverColumns(['Name', 'Email', 'State', 'Status notes', 'Current', 'Move-out Date']));
    leavers.see(1, ['Ann', 'ann@x.com', 'CA', 'Terminated lease?', '0', ''], true);
    leavers.see(2, ['Ben', 'ben@x.com', 'NY', '', '0', '2024-01-31'], true);
    expect(leavers.warning()).toBe(`Column "Move-out Date" has a date that has come in one row (import_row 2): ${consequence} To leave that person out, delete the row from the file.`);
  });

  it('a payroll export\'s "Employee Status: T" with its past "Termination Date" 10/31/2025 is named by its status (was: no warning at all)', () => {
    const leavers = new Leavers(leaverColumns(['Name', 'Email', 'Employee Status', 'Termination Date']));
    leavers.see(1, ['Ann', 'ann@x.com', 'A', ''], true);
    leavers.see(2, ['Bo', 'bo@x.com', 'T', '10/31/2025'], true);
    leavers.see(3, ['Cy', 'cy@x.com', 'L', ''], true);
    expect(leavers.warning()).toBe(`Column "Employee Status" says "T" in one row (import_row 2): ${consequence} To leave that person out, delete the row from the file.`);
  });

  it('warns with the values and the first rows, counting only rows that will be created or adopted', () => {
    const leavers = new Leavers(leaverColumns(['Name', 'Status']));
    leavers.see(1, ['Ann', 'Active'], true);
    leavers.see(2, ['Ben', 'Terminated'], true);
    leavers.see(3, ['Cy', 'Terminated'], false);
    leavers.see(4, ['Di', 'Inactive'], true);
    expect(leavers.warning()).toBe(
      'Column "Status" says "Terminated", "Inactive" in 2 rows (import_row 2, 4): people who have left are imported like the others, and would be given access. To leave them out, delete those rows from the file.',
    );
    const dates = new Leavers(leaverColumns(['Name', 'Move-out Date']));
    dates.see(7, ['Ed', '03/31/2024'], true);
    expect(dates.warning()).toBe(
      'Column "Move-out Date" has a date that has come in one row (import_row 7): people who have left are imported like the others, and would be given access. To leave that person out, delete the row from the file.',
    );
    expect(new Leavers(leaverColumns(['Status'])).warning()).toBeUndefined();
    // A resume must read the file as it was: no advice to delete rows, which would stop it.
    expect(dates.warning(true)).toBe(
      'Column "Move-out Date" has a date that has come in one row (import_row 7): people who have left are imported like the others, and would be given access. This run continues as recorded; if that person should not have access, remove that person in Seam afterwards.',
    );
  });

  it.each([
    ['2026-12-31', '2026-12-31', '2026-12-31', undefined],
    ['2026/12/31', '2026-12-31', '2026-12-31', undefined],
    ['12/31/2026', '2026-12-31', '2026-12-31', 'month'],
    ['31/12/2026', '2026-12-31', '2026-12-31', 'day'],
    ['05/12/2026', '2026-05-12', '2026-12-05', undefined],
    ['05/12/26', '2026-05-12', '2026-12-05', undefined],
    ['31.12.2026', '2026-12-31', '2026-12-31', 'day'],
    // Dots are day first wherever they are written.
    ['05.12.2026', '2026-12-05', '2026-12-05', undefined],
    ['31-12-2026', '2026-12-31', '2026-12-31', 'day'],
    ['05-12-2026', '2026-05-12', '2026-12-05', undefined],
    ['31 Dec 2026', '2026-12-31', '2026-12-31', undefined],
    ['31-Dec-26', '2026-12-31', '2026-12-31', undefined],
    ['Dec 31, 2026', '2026-12-31', '2026-12-31', undefined],
    ['12/31/2026 0:00', '2026-12-31', '2026-12-31', 'month'],
  ] as const)('reads %j as %s month first and %s day first (shows: %s)', (cell, monthFirst, dayFirst, shows) => {
    const date = readDate(cell);
    expect(date && {monthFirst: isoDate(date.monthFirst), dayFirst: isoDate(date.dayFirst), shows: date.shows}).toEqual({monthFirst, dayFirst, shows});
  });

  it('a long cell is no date, and costs no time ("(" twenty thousand times took half a second)', () => {
    expect(readDate(`${'('.repeat(20_000)}2025-01-31`)).toBeUndefined();
    expect(readDate('2025-01-31 (notice given)')).toBeDefined();
  });

  // Was: JavaScript's Date rolled them over, 13/11/2026 into 11 January 2027.
  it.each(['13/13/2026', '31/04/2026', '02/30/2026', '2026-02-30', '29.02.2026', '00/12/2026', 'Feb 30, 2026', '31 Foo 2026'])('reads the impossible %j as no date (never rolled over into the next month)', (cell) => {
    expect(readDate(cell)).toBeUndefined();
  });

  it('reads a column with a day over 12 (30/09/2025) day first: those who have left are named, and 05/12/2026 is not taken for 12 May (was: rows 3 and 4 named, 30/09 and 13/11 rolled over into 2027)', () => {
    const leavers = new Leavers(leaverColumns(['Employee ID', 'Name', 'Email', 'Mobile', 'Termination Date', 'Country'], {now}));
    const uk = (phone: string) => ({country: 'United Kingdom', phone});
    leavers.see(1, ['U1', 'Tom Hughes', 'tom.hughes@example.co.uk', '07911 123457', '30/09/2025', 'United Kingdom'], true, uk('+447911123457'));
    leavers.see(2, ['U2', 'Amy Clarke', 'amy.clarke@example.co.uk', '07911 123458', '13/11/2026', 'United Kingdom'], true, uk('+447911123458'));
    leavers.see(3, ['U3', 'Ben Ward', 'ben.ward@example.co.uk', '07911 123459', '05/12/2026', 'United Kingdom'], true, uk('+447911123459'));
    leavers.see(4, ['U4', 'Cal Ng', 'cal.ng@example.co.uk', '07911 123450', '2025-09-30', 'United Kingdom'], true, uk('+447911123450'));
    // The column shows it is day first: no guess to speak of.
    expect(leavers.warning()).toBe(`Column "Termination Date" has a date that has come in 3 rows (import_row 1, 2, 4): ${consequence} To leave them out, delete those rows from the file.`);
  });

  it('a day over 12 anywhere in the column (even in a row not sent) makes its dates day first, and a second part over 12 (11/28/2026) month first', () => {
    const leavers = new Leavers(leaverColumns(['Name', 'Move-out Date'], {now}));
    leavers.see(1, ['Ann', '30/11/2026'], false);
    leavers.see(2, ['Ben', '05/12/2026'], true);
    expect(leavers.warning()).toBeUndefined();
    const months = new Leavers(leaverColumns(['Name', 'Move-out Date'], {now}));
    months.see(1, ['Ann', '11/28/2026'], true);
    months.see(2, ['Ben', '05/12/2026'], true);
    expect(months.warning()).toBe(`Column "Move-out Date" has a date that has come in 2 rows (import_row 1, 2): ${consequence} To leave them out, delete those rows from the file.`);
  });

  it('a column whose dates all read two ways is read as where the people are suggests, and the warning says so when it decided a row', () => {
    const file = (place: {country?: string; phone?: string}, defaultCountry?: string) => {
      const leavers = new Leavers(leaverColumns(['Name', 'Termination Date'], {now}), defaultCountry === undefined ? {} : {defaultCountry});
      leavers.see(1, ['Ann', '03/04/2025'], true, place);
      leavers.see(2, ['Ben', '05/12/2026'], true, place);
      return leavers.warning();
    };
    // Only the guess decided anything: said alone.
    const alone = new Leavers(leaverColumns(['Name', 'Termination Date'], {now}));
    alone.see(2, ['Ben', '05/12/2026'], true, {country: 'Deutschland'});
    expect(alone.warning()).toBe(
      'Column "Termination Date" has dates that read two ways, such as "05/12/2026": they were read day first (2026-12-05), as the people are outside the US (by their country or phone number). Read month first (2026-05-12), whether the person has left would change in one row (import_row 2).',
    );
    const ann = `Column "Termination Date" has a date that has come in one row (import_row 1): ${consequence} To leave that person out, delete the row from the file.`;
    // A country column, or phone numbers outside the US: day first, so Ben (5 December) has not left yet.
    expect(file({country: 'UK'})).toBe(
      `${ann} Column "Termination Date" has dates that read two ways, such as "05/12/2026": they were read day first (2026-12-05), as the people are outside the US (by their country or phone number). Read month first (2026-05-12), whether the person has left would change in one row (import_row 2).`,
    );
    expect(file({phone: '+447911123457'})).toBe(file({country: 'UK'}));
    expect(file({}, 'DE')).toBe(
      `${ann} Column "Termination Date" has dates that read two ways, such as "05/12/2026": they were read day first (2026-12-05), as --default-country DE puts the people outside the US. Read month first (2026-05-12), whether the person has left would change in one row (import_row 2).`,
    );
    // Nothing to go by: month first, as US exports write them, and said.
    const both = `Column "Termination Date" has a date that has come in 2 rows (import_row 1, 2): ${consequence} To leave them out, delete those rows from the file.`;
    expect(file({})).toBe(
      `${both} Column "Termination Date" has dates that read two ways, such as "05/12/2026": they were read month first (2026-05-12), as US files write them. Read day first (2026-12-05), whether the person has left would change in one row (import_row 2).`,
    );
    // Plainly a US file: month first without a word about it.
    expect(file({phone: '+14155550100'})).toBe(both);
    expect(file({country: 'United States'}, 'GB')).toBe(file({phone: '+14155550100'}));
  });
});
