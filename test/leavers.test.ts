import {describe, expect, it} from 'vitest';
import {leaverColumns, Leavers} from '../src/engine/leavers.js';

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

  it('finds no column in a file without one ("State" is a place, not a status; "Current" in a rent roll is an amount)', () => {
    expect(leaverColumns(['Name', 'Email', 'State', 'Status notes', 'Current'])[0]).toBeUndefined();
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
});
