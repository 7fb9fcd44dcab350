#!/usr/bin/env node
// Writes examples/building.csv: the residents of one (fictional) building, as a property-management
// export would give them. Deterministic: the same file every time, so tests and the README can
// name its rows. Run: node examples/make-building.mjs [out.csv]   (default: examples/building.csv)
import {writeFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

const OUT = process.argv[2] ?? fileURLToPath(new URL('./building.csv', import.meta.url));
const RESIDENTS = 196;

// mulberry32: a tiny seeded PRNG, so the file never changes between runs.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(20240601);
const pick = (list) => list[Math.floor(random() * list.length)];

const FIRST = [
  'Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Elijah', 'Sophia', 'Mateo', 'Isabella', 'Lucas', 'Mia', 'Levi',
  'Amelia', 'Ezra', 'Harper', 'Asher', 'Evelyn', 'James', 'Luna', 'Leo', 'Camila', 'Aiden', 'Gianna', 'Kai',
  'Aaliyah', 'Hiroshi', 'Priya', 'Chidi', 'Zoë', 'José', 'Siobhán', 'Mei', 'Oluwaseun', 'Anaïs', 'Dmitri',
  'Fatima', 'Rafael', 'Ingrid', 'Kwame', 'Nadia',
];
const LAST = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', "O'Connor", 'Nguyen', 'Kim', 'Patel', 'Okafor', 'Müller',
  'Haddad', 'Kowalski', 'Fernández', 'Yamamoto', 'Ivanova', 'Chen', 'Murphy', 'Rossi', 'Dubois',
];
const DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example.com'];
// New York area codes with the 555-01xx numbers set aside for fiction; libphonenumber-js accepts them.
const AREAS = ['212', '646', '917', '718', '347', '332'];
const NOTES = [
  '', '', '', '', '', '', 'Prefers SMS', 'Has a dog', 'Guarantor on file', 'Parking spot P2-14',
  'Key fob lost 2023, reissued', 'Works nights, "do not buzz before noon"', 'Sublet, ends Aug', 'Bike room access',
];

const ascii = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z]/g, '').toLowerCase();

let phoneSerial = 0;
function nextPhone() {
  // Every resident a different number: 6 area codes × 100 numbers.
  const n = phoneSerial++;
  return {area: AREAS[n % AREAS.length], line: String(100 + Math.floor(n / AREAS.length)).padStart(4, '0')};
}
function formatPhone({area, line}, style) {
  switch (style) {
    case 0: return `(${area}) 555-${line}`;
    case 1: return `${area}-555-${line}`;
    case 2: return `${area}.555.${line}`;
    case 3: return `+1 ${area} 555 ${line}`;
    case 4: return `${area}555${line}`;
    default: return `1 (${area}) 555-${line}`;
  }
}

const usedEmails = new Set();
const rows = [];
for (let i = 0; i < RESIDENTS; i++) {
  const first = pick(FIRST);
  const last = pick(LAST);
  let local = `${ascii(first)}.${ascii(last)}`;
  while (usedEmails.has(local)) local = `${local}${Math.floor(random() * 90 + 10)}`;
  usedEmails.add(local);
  let email = `${local}@${pick(DOMAINS)}`;
  // Some exports keep the case people typed.
  if (random() < 0.15) email = `${first.normalize('NFD').replace(/[\u0300-\u036f]/g, '')}.${last.replace(/[^A-Za-z]/g, '')}@${pick(DOMAINS)}`.replace(/^(.)/, (c) => c.toUpperCase());
  if (usedEmails.has(email.toLowerCase())) email = `${local}@${pick(DOMAINS)}`;
  usedEmails.add(email.toLowerCase());
  const phone = nextPhone();
  const hasEmail = random() > 0.08;
  const hasPhone = !hasEmail || random() > 0.12;
  const floor = 2 + Math.floor(i / 8);
  rows.push({
    id: `R-${1001 + i}`,
    first,
    last,
    email: hasEmail ? email : '',
    phone: hasPhone ? formatPhone(phone, Math.floor(random() * 6)) : '',
    phoneParts: phone,
    unit: `${floor}${'ABCDEFGH'[i % 8]}`,
    moveIn: `20${String(17 + Math.floor(random() * 8)).padStart(2, '0')}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`,
    notes: pick(NOTES),
  });
}

// The rows an operator has to deal with, at fixed places so the README and tests can name them.
// Invalid: each breaks one rule (the other contact, when present, is fine: never dropped silently).
const invalid = [
  {at: 17, change: (r) => ({...r, email: r.email.replace('@', '@@'), notes: 'Typo in the e-mail'})},
  {at: 42, change: (r) => ({...r, phone: '1.21255E+10', email: '', notes: 'Phone column opened in Excel'})},
  {at: 63, change: (r) => ({...r, email: '', phone: '', notes: 'Moved in before we collected contacts'})},
  {at: 88, change: (r) => ({...r, email: r.email.replace('@', ' at '), notes: ''})},
  {at: 121, change: (r) => ({...r, phone: '555-0123', notes: 'Local number, no area code'})},
  {at: 150, change: (r) => ({...r, email: `${r.email.split('@')[0]}@example`, notes: ''})},
];
const invalidRows = new Set();
for (const {at, change} of invalid) {
  rows[at] = change(rows[at]);
  invalidRows.add(rows[at]);
}

// In-file duplicates: a second row for someone already listed (another Resident ID, as happens when
// a person is entered twice), matching on e-mail in other letter case, or on phone in other formatting.
const source = (at) => rows[at];
const duplicates = [
  {after: 30, of: 5, make: (r) => ({...r, id: 'R-9001', email: r.email ? r.email.toUpperCase() : r.email, phone: '', notes: 'Entered twice'})},
  {after: 75, of: 12, make: (r) => ({...r, id: 'R-9002', email: '', phone: formatPhone(r.phoneParts, 3), notes: 'Second lease'})},
  {after: 110, of: 33, make: (r) => ({...r, id: 'R-9003', email: r.email ? r.email.replace(/^./, (c) => c.toUpperCase()) : r.email, phone: formatPhone(r.phoneParts, 4), notes: ''})},
  {after: 160, of: 101, make: (r) => ({...r, id: 'R-9004', email: '', phone: formatPhone(r.phoneParts, 2), notes: 'Roommate listed again'})},
];
const duplicateRows = new Set();
// Insert from the last so the earlier positions stay put.
for (const {after, of, make} of [...duplicates].reverse()) {
  const original = source(of);
  if (!original.email && !original.phone) throw new Error(`duplicate source ${of} has no contact`);
  const copy = make(original);
  duplicateRows.add(copy);
  rows.splice(after, 0, copy);
}

// Where the special rows ended up, as 1-based data row numbers (what the results file says).
const rowOf = (r) => rows.indexOf(r) + 1;
const report = {
  rows: rows.length,
  invalid: rows.filter((r) => invalidRows.has(r)).map(rowOf),
  duplicates: rows.filter((r) => duplicateRows.has(r)).map(rowOf),
};

const HEADER = ['Resident ID', 'First Name', 'Last Name', 'E-mail', 'Mobile', 'Unit', 'Move-in Date', 'Notes'];
const cell = (v) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const lines = [HEADER.join(',')];
for (const r of rows) lines.push([r.id, r.first, r.last, r.email, r.phone, r.unit, r.moveIn, r.notes].map(cell).join(','));
writeFileSync(OUT, `${lines.join('\r\n')}\r\n`);
console.log(`wrote ${OUT}: ${report.rows} rows; invalid rows ${report.invalid.join(', ')}; duplicate rows ${report.duplicates.join(', ')}`);
