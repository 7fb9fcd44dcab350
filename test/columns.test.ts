import {describe, expect, it} from 'vitest';
import {contactColumnsByContent, contactElsewhere, extractPerson, headerOf, mapColumns, normalizeHeader} from '../src/engine/columns.js';
import {ImportError} from '../src/engine/errors.js';
import type {Field} from '../src/engine/types.js';

function fieldOf(header: string): Field | 'full_name (parts)' | undefined {
  // The header under test plus a phone column so that the mapping always has a contact.
  const headers = [header, 'Zzz Contact Phone'];
  let mapping;
  try {
    mapping = mapColumns(headers, {phone_number: 'Zzz Contact Phone'});
  } catch {
    return undefined;
  }
  for (const [field, index] of Object.entries(mapping.fields)) {
    if (index === 0) return field as Field;
  }
  return undefined;
}

describe('header normalization', () => {
  it.each([
    ['E-Mail Address', 'emailaddress'],
    ['\uFEFFEmail', 'email'],
    ['user_identity_key', 'useridentitykey'],
    ['Phone.No', 'phoneno'],
    ['  Full\u00A0Name\u200B ', 'fullname'],
  ])('%j → %s', (header, expected) => {
    expect(normalizeHeader(header)).toBe(expected);
  });
});

describe('aliases: whole headers only', () => {
  it.each([
    ['user_identity_key', 'user_identity_key'],
    ['User Identity Key', 'user_identity_key'],
    ['Employee ID', 'user_identity_key'],
    ['employee_number', 'user_identity_key'],
    ['Resident ID', 'user_identity_key'],
    ['Tenant-ID', 'user_identity_key'],
    ['Member ID', 'user_identity_key'],
    ['External ID', 'user_identity_key'],
    ['Badge ID', 'user_identity_key'],
    ['Person ID', 'user_identity_key'],
    ['Unique ID', 'user_identity_key'],
    ['email_address', 'email_address'],
    ['Email', 'email_address'],
    ['E-mail', 'email_address'],
    ['EMAIL', 'email_address'],
    ['Mail', 'email_address'],
    ['Email Addr', 'email_address'],
    ['E-mail Address', 'email_address'],
    ['Work Email', 'email_address'],
    ['Primary Email', 'email_address'],
    ['full_name', 'full_name'],
    ['Name', 'full_name'],
    ['Full Name', 'full_name'],
    ['Display Name', 'full_name'],
    ['Resident Name', 'full_name'],
    ['Tenant Name', 'full_name'],
    ['Employee Name', 'full_name'],
    ['Contact Name', 'full_name'],
    ['acs_system_ids', 'acs_system_ids'],
    ['ACS System IDs', 'acs_system_ids'],
    ['Access Systems', 'acs_system_ids'],
    ['acs system id', 'acs_system_ids'],
    ['First Name', 'full_name'],
    // Import templates' required marks, HR exports' long forms, AppFolio's plurals and role names.
    ['Email *', 'email_address'],
    ['Email:', 'email_address'],
    ['Email (Work)', 'email_address'],
    ['Email ID', 'email_address'],
    ['Work Email Address', 'email_address'],
    ['Primary Email Address', 'email_address'],
    ['Resident Email Address', 'email_address'],
    ['Emails', 'email_address'],
    ['Tenant', undefined],
    ['Legal First Name', 'full_name'],
    // Not the field: substrings, look-alikes and ambiguous names.
    ['Email (optional notes)', undefined],
    ['Phone (Home)', undefined],
    ['Email consent', undefined],
    ['Email verified', undefined],
    ['Secondary email notes', undefined],
    ['Phone type', undefined],
    ['Name of building', undefined],
    ['ID', undefined],
    ['id', undefined],
    ['User ID', undefined],
    ['Username', undefined],
    ['Key', undefined],
    ['user_identity_id', undefined],
    ['import_status', undefined],
    ['', undefined],
  ] as const)('%j → %s', (header, field) => {
    expect(fieldOf(header)).toBe(field);
  });

  it.each([
    ['phone_number'],
    ['Phone'],
    ['Mobile'],
    ['Mobile Phone'],
    ['Mobile Number'],
    ['Cell'],
    ['Cell Phone'],
    ['cellphone'],
    ['Telephone'],
    ['Tel'],
    ['Phone No'],
    ['Phone #'],
    ['SMS'],
    ['Phone (Mobile)'],
    ['Cell Phone #'],
    ['Mobile Phone *'],
    ['Cellular'],
  ])('%j → phone_number', (header) => {
    expect(mapColumns(['Name', header]).fields.phone_number).toBe(1);
  });

  it.each([
    ['Spanish', ['Nombre', 'Apellidos', 'Correo electrónico', 'Celular'], {email_address: 2, phone_number: 3}, {first: 0, last: 1}],
    ['Brazilian', ['Matrícula', 'Nome completo', 'E-mail', 'Celular'], {email_address: 2, phone_number: 3, full_name: 1}, undefined],
    ['French', ['Matricule', 'Prénom', 'Nom', 'Courriel', 'Téléphone portable'], {user_identity_key: 0, email_address: 3, phone_number: 4}, {first: 1, last: 2}],
    ['Italian', ['Matricola', 'Nome', 'Cognome', 'Indirizzo email', 'Cellulare'], {user_identity_key: 0, email_address: 3, phone_number: 4}, {first: 1, last: 2}],
    ['Dutch', ['Personeelsnummer', 'Voornaam', 'Achternaam', 'E-mailadres', 'Mobiel nummer'], {user_identity_key: 0, email_address: 3, phone_number: 4}, {first: 1, last: 2}],
    ['Russian', ['Табельный номер', 'ФИО', 'Email', 'Телефон'], {user_identity_key: 0, full_name: 1, email_address: 2, phone_number: 3}, undefined],
    ['Japanese', ['社員番号', '氏名', 'メールアドレス', '携帯電話'], {user_identity_key: 0, full_name: 1, email_address: 2, phone_number: 3}, undefined],
    ['Chinese', ['工号', '姓名', '邮箱', '手机号码'], {user_identity_key: 0, full_name: 1, email_address: 2, phone_number: 3}, undefined],
    ['Korean', ['사번', '이름', '이메일', '휴대폰'], {user_identity_key: 0, full_name: 1, email_address: 2, phone_number: 3}, undefined],
    // A Greek file's "Κινητό" (mobile) was carried through unread: its people were created without phones.
    ['Greek', ['Όνομα', 'Επώνυμο', 'Email', 'Κινητό'], {email_address: 2, phone_number: 3}, {first: 0, last: 1}],
    ['Greek (one name column)', ['Ονοματεπώνυμο', 'Ηλεκτρονικό ταχυδρομείο', 'Τηλέφωνο'], {full_name: 0, email_address: 1, phone_number: 2}, undefined],
    ['Arabic', ['الاسم الكامل', 'البريد الإلكتروني', 'رقم الجوال'], {full_name: 0, email_address: 1, phone_number: 2}, undefined],
    ['Hebrew', ['שם פרטי', 'שם משפחה', 'אימייל', 'טלפון נייד'], {email_address: 2, phone_number: 3}, {first: 0, last: 1}],
    ['Vietnamese', ['Họ và tên', 'Email', 'Số điện thoại'], {full_name: 0, email_address: 1, phone_number: 2}, undefined],
    ['Indonesian', ['Nama Lengkap', 'Email', 'No. HP'], {full_name: 0, email_address: 1, phone_number: 2}, undefined],
    ['Thai', ['ชื่อ-นามสกุล', 'อีเมล', 'เบอร์โทรศัพท์'], {full_name: 0, email_address: 1, phone_number: 2}, undefined],
    ['Hindi', ['नाम', 'ईमेल', 'मोबाइल नंबर'], {full_name: 0, email_address: 1, phone_number: 2}, undefined],
    ['Turkish', ['Adı', 'Soyadı', 'E-posta', 'Cep Telefonu'], {email_address: 2, phone_number: 3}, {first: 0, last: 1}],
    ['Belgian', ['Naam', 'E-mail', 'GSM'], {email_address: 1, phone_number: 2}, undefined],
  ] as const)('a %s header maps', (_language, headers, fields, nameParts) => {
    const mapping = mapColumns([...headers]);
    expect(mapping.fields).toMatchObject(fields);
    expect(mapping.nameParts).toEqual(nameParts);
  });

  it('a Country column is read as the region of the phones, and said so; not without a phone column', () => {
    const mapping = mapColumns(['Name', 'Email', 'Mobile', 'Work Country']);
    expect(mapping.phoneCountry).toBe(3);
    expect(mapping.describe).toContain('"Work Country" → the region of phone numbers written without + (where it names one; else the default)');
    expect(mapColumns(['Name', 'Email', 'Country']).phoneCountry).toBeUndefined();
    expect(mapColumns(['Name', 'Email', 'Mobile', 'Country of birth']).phoneCountry).toBeUndefined();
  });

  it.each(['Nº Empleado', 'Mitarbeiter-ID', '員工編號'])('%j is the key', (header) => {
    expect(mapColumns([header, 'Email']).fields.user_identity_key).toBe(0);
  });

  it('姓 + 名 (Chinese, Japanese) are joined family name first, as those names are written', () => {
    const mapping = mapColumns(['社員番号', '姓', '名', 'メールアドレス']);
    expect(mapping.nameParts).toEqual({first: 2, last: 1, familyFirst: true});
    expect(mapping.describe).toContain('"姓" + "名" → full_name');
    const person = (cells: string[]) => extractPerson({index: 1, line: 2, cells}, mapping).full_name;
    expect(person(['E1', '山田', '太郎', 'taro@example.jp'])).toBe('山田太郎');
    expect(person(['E2', 'Yamada', 'Taro', 'taro@example.jp'])).toBe('Yamada Taro');
    expect(person(['E3', '', '花子', 'hanako@example.jp'])).toBe('花子');
    expect(headerOf(['社員番号', '姓', '名', 'メールアドレス'], mapping).full_name).toBe('姓 + 名');
  });

  it('성 + 이름 (Korean) are the family and the given name, joined family name first', () => {
    const mapping = mapColumns(['사번', '성', '이름', '이메일']);
    expect(mapping.nameParts).toEqual({first: 2, last: 1, familyFirst: true});
    expect(mapping.fields.full_name).toBeUndefined();
    expect(extractPerson({index: 1, line: 2, cells: ['K1', '김', '민수', 'minsu@example.kr']}, mapping).full_name).toBe('김민수');
    // 이름 alone, or beside 성명, is the whole name.
    expect(mapColumns(['이름', '이메일']).fields.full_name).toBe(0);
    // --map full_name=이름 is obeyed.
    expect(mapColumns(['성', '이름', '이메일'], {full_name: '이름'}).fields.full_name).toBe(1);
  });

  // A review found these built wrong names: the surname alone for "Ad" + "Soyad", the given name
  // alone for "İsim" + "Soyisim", "An Nguyễn" for "Họ" + "Tên đệm" + "Tên".
  it('Turkish Ad + Soyad and İsim + Soyisim, Vietnamese Họ + Tên đệm + Tên make the whole name; either half alone is not read', () => {
    const name = (headers: string[], cells: string[]): string | undefined => extractPerson({index: 1, line: 2, cells}, mapColumns(headers)).full_name;
    expect(name(['Ad', 'Soyad', 'E-posta'], ['Ayşe', 'Yılmaz', 'a@example.com'])).toBe('Ayşe Yılmaz');
    expect(name(['Adı', 'Soyadı', 'E-posta'], ['Ayşe', 'Yılmaz', 'a@example.com'])).toBe('Ayşe Yılmaz');
    expect(name(['İsim', 'Soyisim', 'E-posta'], ['Ayşe', 'Yılmaz', 'a@example.com'])).toBe('Ayşe Yılmaz');
    expect(name(['Họ', 'Tên đệm', 'Tên', 'Email'], ['Nguyễn', 'Văn', 'An', 'an@example.com'])).toBe('Nguyễn Văn An');
    expect(name(['Họ', 'Tên', 'Email'], ['Nguyễn', 'An', 'an@example.com'])).toBe('Nguyễn An');
    expect(mapColumns(['Soyad', 'E-posta']).fields.full_name).toBeUndefined();
    expect(mapColumns(['AD', 'Email']).fields.full_name).toBeUndefined();
    expect(mapColumns(['Tên', 'Email']).fields.full_name).toBeUndefined();
    // İsim alone is the whole name.
    expect(mapColumns(['İsim', 'E-posta']).fields.full_name).toBe(0);
  });

  // Brazil's postcode (CEP) was read as the phone, ahead of "Telefone": every row refused.
  it('a Brazilian CEP (postcode) column is not a phone; Turkish "Cep Telefonu" is', () => {
    expect(mapColumns(['Nome', 'E-mail', 'Telefone', 'CEP']).fields.phone_number).toBe(2);
    expect(mapColumns(['Nome', 'E-mail', 'CEP', 'Celular']).fields.phone_number).toBe(3);
    expect(mapColumns(['Nome', 'E-mail', 'CEP']).fields.phone_number).toBeUndefined();
    expect(mapColumns(['Adı', 'E-posta', 'Cep Telefonu']).fields.phone_number).toBe(2);
  });

  it.each(['Contact No', 'Contact No.', 'Mobile Num', 'Tel. No.', 'Cell No'])('%j is the phone', (header) => {
    expect(mapColumns(['Name', header]).fields.phone_number).toBe(1);
  });

  it("a middle name and a suffix (Outlook's contacts export) go into the name: a father and son are told apart", () => {
    const headers = ['Title', 'First Name', 'Middle Name', 'Last Name', 'Suffix', 'E-mail Address'];
    const mapping = mapColumns(headers);
    expect(mapping.nameParts).toEqual({first: 1, last: 3, middle: 2, suffix: 4});
    expect(mapping.describe).toContain('"First Name" + "Middle Name" + "Last Name" + "Suffix" → full_name');
    expect(headerOf(headers, mapping).full_name).toBe('First Name + Middle Name + Last Name + Suffix');
    const name = (cells: string[]) => extractPerson({index: 1, line: 2, cells}, mapping).full_name;
    expect(name(['Dr.', 'Samuel', 'L.', 'Okafor', 'Jr.', 's@example.com'])).toBe('Samuel L. Okafor Jr.');
    expect(name(['', 'Samuel', '', 'Okafor', 'Sr.', 's@example.com'])).toBe('Samuel Okafor Sr.');
    expect(name(['', 'Ann', 'N/A', 'Lee', '', 'a@example.com'])).toBe('Ann Lee');
    // A suffix alone is no name.
    expect(name(['', '', '', '', 'Jr.', 'x@example.com'])).toBeUndefined();
  });

  it('an English "Portable" column (yes or no) is not taken for a phone', () => {
    expect(mapColumns(['Name', 'Email', 'Portable']).fields.phone_number).toBeUndefined();
  });

  it('"Nombre" or "Nom" alone is the whole name', () => {
    expect(mapColumns(['Nombre', 'Correo']).fields.full_name).toBe(0);
    expect(mapColumns(['Nom', 'Courriel']).fields.full_name).toBe(0);
  });
});

describe('mapColumns', () => {
  it('maps a typical HR export and carries every input column through', () => {
    const m = mapColumns(['Employee ID', 'First Name', 'Last Name', 'E-mail', 'Mobile', 'Department', '']);
    expect(m.fields).toEqual({user_identity_key: 0, email_address: 3, phone_number: 4});
    expect(m.nameParts).toEqual({first: 1, last: 2});
    expect(m.passthrough).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(m.results).toEqual({});
    expect(m.describe).toEqual([
      '"Employee ID" → user_identity_key',
      '"E-mail" → email_address',
      '"Mobile" → phone_number',
      '"First Name" + "Last Name" → full_name',
    ]);
  });

  it('prefers a whole-name column over first + last, and falls back to them where it is empty', () => {
    const m = mapColumns(['First Name', 'Last Name', 'Display Name', 'Email']);
    expect(m.fields.full_name).toBe(2);
    expect(m.nameParts).toEqual({first: 0, last: 1});
    expect(m.describe).toContain('"Display Name" → full_name ("First Name" + "Last Name" where it is empty)');
    const person = (cells: string[]) => extractPerson({index: 1, line: 2, cells}, m);
    expect(person(['Ann', 'Lee', 'Annie Lee', 'a@x.com']).full_name).toBe('Annie Lee');
    expect(person(['Ann', 'Lee', '', 'a@x.com']).full_name).toBe('Ann Lee');
    expect(person(['Ann', 'Lee', ' \u00A0', 'a@x.com']).full_name).toBe('Ann Lee');
  });

  it('a row with no contact in the columns used is told of another cell that holds one', () => {
    const headers = ['Name', 'Contact Info', 'Email', 'Notes', 'Cell'];
    const m = mapColumns(headers);
    expect(m.fields).toMatchObject({email_address: 2, phone_number: 4});
    const row = (cells: string[]) => ({index: 1, line: 2, cells});
    expect(contactElsewhere(row(['Bob', 'Bob@Example.com', '', '212 555 0101', '']), m, headers, 'US')).toBe(
      ' But column "Contact Info" has "Bob@Example.com": to import from it, pass --map email_address="Contact Info"; column "Notes" has "212 555 0101": to import from it, pass --map phone_number="Notes".',
    );
    expect(contactElsewhere(row(['Bob', '', '', 'moved out', '']), m, headers, 'US')).toBe('');
    // A date has phone characters and eight digits; it is not a number to map.
    expect(contactElsewhere(row(['Bob', '', '', '2017-10-05', '']), m, headers, 'US')).toBe('');
    expect(contactElsewhere(row(['Bob', '', '', '10/05/2017', '']), m, headers, 'US')).toBe('');
    // Two "Phone" columns: --map phone_number="Phone" would take the first (empty) one again.
    const twice = ['Name', 'Email', 'Phone', 'Phone'];
    expect(contactElsewhere(row(['Bob', '', '', '(217) 555-0133']), mapColumns(twice), twice, 'US')).toBe(
      ' But column 4 ("Phone", a header another column has too) has "(217) 555-0133": to import from it, rename it in the header row and pass --map phone_number= with its new name.',
    );
  });

  it('says which second email or phone column it leaves out, and how to take it instead', () => {
    const m = mapColumns(['Emp #', 'Primary Email', 'Email Address', 'Mobile Number', 'Phone Number']);
    expect(m.fields).toMatchObject({user_identity_key: 0, email_address: 2, phone_number: 3});
    expect(m.describe).toEqual([
      '"Emp #" → user_identity_key',
      '"Email Address" → email_address',
      '"Mobile Number" → phone_number',
      '"Primary Email" is not used: email_address comes from "Email Address" (pass --map email_address="Primary Email" to use it instead)',
      '"Phone Number" is not used: phone_number comes from "Mobile Number" (pass --map phone_number="Phone Number" to use it instead)',
      'No name column: people are created without a name (pass --map full_name="…", or --map first_name="…" --map last_name="…")',
    ]);
  });

  it.each([
    ['Salesforce', ['First Name', 'Last Name', 'Title', 'Phone', 'Mobile', 'Email'], 4],
    ['Microsoft 365', ['Display name', 'User principal name', 'Phone number', 'Mobile Phone', 'Office'], 3],
    ['Workday', ['Worker', 'Primary Work Phone', 'Primary Work Mobile Phone', 'Email - Primary Work'], 2],
    ['Workday (its other form)', ['Worker', 'Phone - Primary Mobile', 'Email - Primary Work'], 1],
    ['German', ['Name', 'Telefon', 'Handynummer', 'E-Mail'], 2],
    ['Spanish', ['Nombre', 'Teléfono', 'Celular', 'Correo'], 2],
  ])('%s: a mobile column is the phone, not a desk line or switchboard beside it', (_name, headers, phone) => {
    expect(mapColumns(headers).fields.phone_number).toBe(phone);
  });

  it('a header that is the field\'s own name ("phone_number") still wins over a mobile', () => {
    expect(mapColumns(['email_address', 'Mobile', 'phone_number']).fields.phone_number).toBe(2);
  });

  it('Microsoft 365 and Outlook "Country/Region" columns give the phone\'s region', () => {
    expect(mapColumns(['Display name', 'Mobile Phone', 'Country/Region']).phoneCountry).toBe(2);
    expect(mapColumns(['Name', 'Mobile Phone', 'Country / Region']).phoneCountry).toBe(2);
    expect(mapColumns(['First Name', 'Mobile Phone', 'Business Country/Region']).phoneCountry).toBe(2);
  });

  it('Google Workspace\'s bracketed notes ("Email Address [Required]") do not hide a column', () => {
    const m = mapColumns(['First Name [Required]', 'Last Name [Required]', 'Email Address [Required]', 'Password [Required]', 'Mobile Phone', 'Last Sign In [READ ONLY]']);
    expect(m.fields).toMatchObject({email_address: 2, phone_number: 4});
    expect(m.nameParts).toEqual({first: 0, last: 1});
    // A bracket that says which phone stays part of the header: the mobile is still taken.
    expect(mapColumns(['Name', 'Email', 'Phone [Home]', 'Phone [Mobile]']).fields.phone_number).toBe(3);
    expect(() => mapColumns(['Name', 'Phone [Home]'])).toThrow('No column holds an email address or a phone number');
  });

  it('two columns with one header: says the second is not used and that --map cannot pick it (a rename can)', () => {
    const m = mapColumns(['Name', 'Email', 'Email', 'Phone']);
    expect(m.fields).toMatchObject({email_address: 1, full_name: 0});
    expect(m.describe).toContain(
      'A second "Email" column (column 3) is not used: email_address comes from the first "Email" column (column 2). To use the second, rename one of them in the header row and pass --map email_address= with its new name',
    );
    expect(m.describe.join('\n')).not.toContain('No name column');
  });

  it('a work email before a personal or home one, wherever they stand; a home email alone is taken', () => {
    // Gusto lists "Personal Email" before "Work Email": every employee's access went to a private mailbox.
    const gusto = mapColumns(['Name', 'Personal Email', 'Work Email', 'Mobile Phone']);
    expect(gusto.fields.email_address).toBe(2);
    expect(gusto.describe).toContain('"Personal Email" is not used: email_address comes from "Work Email" (pass --map email_address="Personal Email" to use it instead)');
    expect(mapColumns(['Name', 'Home Email', 'Email', 'Mobile']).fields.email_address).toBe(2);
    expect(mapColumns(['Name', 'Email (Home)', 'Email (Work)']).fields.email_address).toBe(2);
    // BambooHR's "Home Email" where there is no other: the person's address, and not left out silently.
    expect(mapColumns(['Name', 'Home Email', 'Mobile Phone']).fields.email_address).toBe(1);
    const both = mapColumns(['Name', 'Home Email', 'Work Email', 'Mobile Phone']);
    expect(both.fields.email_address).toBe(2);
    expect(both.describe).toContain('"Home Email" is not used: email_address comes from "Work Email" (pass --map email_address="Home Email" to use it instead)');
  });

  it('ADP Workforce Now\'s headers: "Work Contact: Work Email" before "Personal Contact: Personal Email", the personal mobile, the Associate ID', () => {
    const adp = mapColumns(['Associate ID', 'Legal First Name', 'Legal Last Name', 'Personal Contact: Personal Email', 'Work Contact: Work Email', 'Personal Contact: Personal Mobile', 'Personal Contact: Home Phone']);
    expect(adp.fields).toEqual({user_identity_key: 0, email_address: 4, phone_number: 5});
    expect(adp.nameParts).toEqual({first: 1, last: 2});
    expect(adp.describe).toContain('"Personal Contact: Personal Email" is not used: email_address comes from "Work Contact: Work Email" (pass --map email_address="Personal Contact: Personal Email" to use it instead)');
    // A home line is not taken, but watched: a row without a mobile whose home phone has one is warned of.
    expect(adp.unusedByContent).toEqual({phone_number: [6]});
    // Only a group before the words: "Contact: Email" or "Emergency Contact: Phone" is not ADP's.
    expect(normalizeHeader('Emergency Contact: Phone')).toBe('emergencycontactphone');
  });

  it('--map <field>=none reads a field from no column: a switchboard "Phone" everyone shares is not the phone', () => {
    const report = ['First Name', 'Last Name', 'Account Name', 'Phone', 'Email'];
    expect(mapColumns(report).fields.phone_number).toBe(3);
    const m = mapColumns(report, {phone_number: 'none'});
    expect(m.fields).toEqual({email_address: 4});
    expect(m.describe).toContain('phone_number: read from no column (--map phone_number=none)');
    // Not said as a column left out, with a --map that would take it back.
    expect(m.describe.join('\n')).not.toContain('"Phone" is not used');
    // A lesser phone column is not taken in its place either.
    expect(mapColumns(['Name', 'Mobile', 'Work Phone', 'Email'], {phone_number: 'None'}).fields.phone_number).toBeUndefined();
    expect(() => mapColumns(report, {phone_number: 'none', email_address: 'none'})).toThrow(/leave no column for an email address or a phone number/);
    expect(() => mapColumns(['Employee ID', 'None', 'Email'], {full_name: 'None'})).toThrow('--map full_name=None: "none" reads full_name from no column, but the file has a column "None".');
    // No name: nor First + Last joined, unless those are --map'd themselves.
    const parts = mapColumns(['Employee ID', 'First Name', 'Last Name', 'Email'], {full_name: 'none'});
    expect(parts.nameParts).toBeUndefined();
    expect(parts.fields.full_name).toBeUndefined();
    expect(parts.describe.join('\n')).not.toContain('→ full_name');
    expect(mapColumns(['Employee ID', 'First Name', 'Last Name', 'Email'], {full_name: 'none', first_name: 'First Name', last_name: 'Last Name'}).nameParts).toEqual({first: 1, last: 2});
    // A key column taken by its header ("Badge Number") can be left out too.
    expect(mapColumns(['Badge Number', 'Name', 'Email'], {user_identity_key: 'none'}).fields.user_identity_key).toBeUndefined();
  });

  it('--map country=<header> names the phones\' region column; other countries\' headers are found; an empty first country falls back to a second', () => {
    const m = mapColumns(['Name', 'Mobile', 'CC'], {country: 'CC'});
    expect(m.phoneCountry).toBe(2);
    expect(extractPerson({index: 1, line: 2, cells: ['Sven', '070-123 45 67', 'SE']}, m).phone_country).toBe('SE');
    expect(mapColumns(['Name', 'Mobile', 'Mailing Country']).phoneCountry).toBe(2);
    expect(mapColumns(['Name', 'Phone 1 - Value', 'Address 1 - Country'], {phone_number: 'Phone 1 - Value'}).phoneCountry).toBe(2);
    expect(mapColumns(['displayName', 'mobilePhone', 'usageLocation']).phoneCountry).toBe(2);
    expect(mapColumns(['Name', 'Mobile', 'Country'], {country: 'none'}).phoneCountry).toBeUndefined();
    // Outlook: the Business country, and the Home one where that is empty.
    const outlook = mapColumns(['First Name', 'Last Name', 'Mobile Phone', 'Business Country/Region', 'Home Country/Region']);
    expect(outlook.describe).toContain('"Business Country/Region", else "Home Country/Region" → the region of phone numbers written without + (where it names one; else the default)');
    expect(extractPerson({index: 1, line: 2, cells: ['Ann', 'Lee', '07911 123456', '', 'United Kingdom']}, outlook).phone_country).toBe('United Kingdom');
    expect(extractPerson({index: 2, line: 3, cells: ['Bo', 'Ek', '070-123 45 67', 'Sweden', 'United Kingdom']}, outlook).phone_country).toBe('Sweden');
  });

  it('headers saved decomposed (a Mac\'s "e" + combining accent) are read, and --map finds them typed either way', () => {
    const nfd = ['Pre\u0301nom', 'Nom', 'Te\u0301le\u0301phone portable', 'Courriel'];
    const m = mapColumns(nfd);
    expect(m.fields.phone_number).toBe(2);
    expect(m.nameParts).toEqual({first: 0, last: 1});
    expect(mapColumns(nfd, {phone_number: 'Téléphone portable'}).fields.phone_number).toBe(2);
    expect(mapColumns(['Téléphone portable', 'Courriel'], {phone_number: 'Te\u0301le\u0301phone portable'}).fields.phone_number).toBe(0);
  });

  it('two unused columns sharing a header beside a --map\'d one: said once, with a rename, not a --map that cannot reach them', () => {
    const m = mapColumns(['Name', 'Work Email', 'Email', 'Email'], {email_address: 'Work Email'});
    expect(m.fields.email_address).toBe(1);
    const said = m.describe.filter((line) => line.startsWith('"Email"'));
    expect(said).toEqual(['"Email" (columns 3 and 4) is not used: email_address comes from "Work Email". To use one of them instead, rename it in the header row and pass --map email_address= with its new name']);
  });

  it('takes the first column when two match, and the canonical name over an alias', () => {
    expect(mapColumns(['Email', 'Work Email']).fields.email_address).toBe(0);
    expect(mapColumns(['Work Email', 'email_address', 'Email']).fields.email_address).toBe(1);
    // A plain name over a qualified one, wherever it stands.
    expect(mapColumns(['Name', 'Email', 'Work Mobile', 'Mobile']).fields.phone_number).toBe(3);
    expect(mapColumns(['Name', 'Email (Work)', 'Email', 'Phone']).fields.email_address).toBe(2);
    expect(mapColumns(['Name', 'Email', 'Phone Numbers']).fields.phone_number).toBeUndefined();
  });

  it('never picks a blank header, and keeps duplicates', () => {
    const m = mapColumns(['', 'Email', 'Email', ' ']);
    expect(m.fields).toEqual({email_address: 1});
    expect(m.passthrough).toEqual([0, 1, 2, 3]);
  });

  it('--map wins over aliases, and the alias column stays a plain column', () => {
    const m = mapColumns(['Email', 'Personal Mail', 'ID'], {email_address: 'Personal Mail', user_identity_key: 'ID'});
    expect(m.fields).toEqual({email_address: 1, user_identity_key: 2});
    expect(m.passthrough).toEqual([0, 1, 2]);
  });

  it('--map finds a header case- and space-insensitively', () => {
    expect(mapColumns(['Kontakt Tel.'], {phone_number: 'kontakt tel'}).fields.phone_number).toBe(0);
  });

  // Genea/Brivo exports list "Badge Number" first: badge 4512 at two sites made two people one.
  it.each([
    [['Badge Number', 'Facility Code', 'First Name', 'Last Name', 'Email', 'Employee ID'], 'Employee ID', 'Badge Number'],
    [['Person ID', 'Email', 'Employee ID'], 'Employee ID', 'Person ID'],
    [['External ID', 'Unique ID', 'Email', 'Resident ID'], 'Resident ID', 'External ID'],
    [['Badge ID', 'Email', 'Unique ID'], 'Unique ID', 'Badge ID'],
    [['Badge #', 'Email', 'Employee ID'], 'Employee ID', 'Badge #'],
  ])('the key is a person\'s number before a system\'s id, and both before a badge: %j', (headers, key, other) => {
    const m = mapColumns(headers);
    expect(headers[m.fields.user_identity_key!]).toBe(key);
    expect(m.describe).toContain(`"${other}" is not used: user_identity_key comes from "${key}" (pass --map user_identity_key="${other}" to use it instead)`);
  });

  // A header of just "Badge #" or "Badge No." was neither the key nor named under Columns: people went without a key, unsaid.
  it.each([['Badge #'], ['Badge No.']])('a lone %j column is the key', (header) => {
    const m = mapColumns([header, 'Name', 'Email']);
    expect(m.fields.user_identity_key).toBe(0);
  });

  // Review: a "Badge" column holding Yes/No (has a badge?) became the key, and people were dropped as duplicates.
  it('a column named just "Badge" is not taken for the key, but is said, with the --map that takes it', () => {
    const m = mapColumns(['Name', 'Email', 'Badge']);
    expect(m.fields.user_identity_key).toBeUndefined();
    expect(m.describe).toContain('"Badge" is not used: no column is read as user_identity_key (if it numbers people, pass --map user_identity_key="Badge")');
    expect(mapColumns(['Name', 'Email', 'Badge', 'Employee ID']).describe.join('\n')).not.toContain('no column is read as user_identity_key');
  });

  // Exports whose name parts were dropped or not found: the name sent was a part, or none.
  it.each([
    [['Nombre', 'Primer Apellido', 'Segundo Apellido', 'Email'], ['María José', 'García', 'López', 'm@x.es'], 'María José García López'],
    [['Nombre', 'Apellido Paterno', 'Apellido Materno', 'Email'], ['Juan', 'Pérez', 'Soto', 'j@x.mx'], 'Juan Pérez Soto'],
    [['Nome', 'Apelido', 'Email'], ['Maria', 'Silva', 'm@x.pt'], 'Maria Silva'],
    [['Voornaam', 'Tussenvoegsel', 'Achternaam', 'Email'], ['Johanna', 'van der', 'Berg', 'j@x.nl'], 'Johanna van der Berg'],
    [['Imię', 'Nazwisko', 'Email'], ['Łukasz', 'Żółć', 'l@x.pl'], 'Łukasz Żółć'],
    [['Imię i nazwisko', 'Email'], ['Łukasz Żółć', 'l@x.pl'], 'Łukasz Żółć'],
    [['Legal Name - First Name', 'Legal Name - Last Name', 'Email - Primary Work'], ['Ada', 'Lovelace', 'a@x.com'], 'Ada Lovelace'],
    [['Worker', 'Email - Primary Work'], ['Ada Lovelace', 'a@x.com'], 'Ada Lovelace'],
  ])('names from %j', (headers, cells, name) => {
    expect(extractPerson({index: 1, line: 2, cells}, mapColumns(headers)).full_name).toBe(name);
  });

  it('--map accepts first_name / last_name', () => {
    const m = mapColumns(['Given', 'Family', 'Email'], {first_name: 'Given', last_name: 'Family'} as Record<string, string>);
    expect(m.nameParts).toEqual({first: 0, last: 1});
  });

  // The name-order warning's advice (split the column, --map first_name and last_name) did nothing
  // while the "Name" column stayed: the name found by its header won over the one asked for.
  it('--map first_name and last_name win over a name column found by its header, which is kept for rows where both are empty; --map full_name still wins', () => {
    const headers = ['Name', 'Given', 'Family', 'Email'];
    const cells = ['Lovelace, Ada', 'Ada', 'Lovelace', 'ada@x.com'];
    const asked = mapColumns(headers, {first_name: 'Given', last_name: 'Family'} as Record<string, string>);
    expect(asked.describe).toContain('"Given" + "Family" → full_name ("Name" where they are empty)');
    expect(extractPerson({index: 1, line: 2, cells}, asked).full_name).toBe('Ada Lovelace');
    expect(extractPerson({index: 1, line: 2, cells: ['Grace Hopper', '', '', 'g@x.com']}, asked).full_name).toBe('Grace Hopper');
    const both = mapColumns(headers, {full_name: 'Name', first_name: 'Given', last_name: 'Family'} as Record<string, string>);
    expect(extractPerson({index: 1, line: 2, cells}, both).full_name).toBe('Lovelace, Ada');
    const found = mapColumns(headers);
    expect(extractPerson({index: 1, line: 2, cells}, found).full_name).toBe('Lovelace, Ada');
  });

  // "Name" holding first names, --map last_name=Surname: the surname alone was sent as the name.
  it('one part mapped beside a plain "Name" column: "Name" is the other part; beside "Full Name", the full name stays', () => {
    const surname = mapColumns(['Name', 'Surname', 'Email'], {last_name: 'Surname'} as Record<string, string>);
    expect(surname.describe).toContain('"Name" + "Surname" → full_name');
    expect(extractPerson({index: 1, line: 2, cells: ['Ada', 'Lovelace', 'ada@x.com']}, surname).full_name).toBe('Ada Lovelace');
    // German: "Vorname" (first name) and "Name" (the family name).
    const vorname = mapColumns(['Vorname', 'Name', 'E-Mail'], {first_name: 'Vorname'} as Record<string, string>);
    expect(extractPerson({index: 1, line: 2, cells: ['Jürgen', 'Müller', 'j@x.de']}, vorname).full_name).toBe('Jürgen Müller');
    // And found by their headers alone: "Name" beside "Vorname" is the family name.
    const german = mapColumns(['Vorname', 'Name', 'E-Mail']);
    expect(german.describe).toContain('"Vorname" + "Name" → full_name');
    expect(extractPerson({index: 1, line: 2, cells: ['Jürgen', 'Müller', 'j@x.de']}, german).full_name).toBe('Jürgen Müller');
    const full = mapColumns(['Full Name', 'Given', 'Email'], {first_name: 'Given'} as Record<string, string>);
    expect(extractPerson({index: 1, line: 2, cells: ['Ada Lovelace', 'Ada', 'ada@x.com']}, full).full_name).toBe('Ada Lovelace');
  });

  it('--map to a missing header lists the headers found', () => {
    const error = catchError(() => mapColumns(['Name', 'Email'], {phone_number: 'Handy Nr'}));
    expect(error.code).toBe('unknown_column');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('"Handy Nr"');
    expect(error.message).toContain('"Name", "Email"');
  });

  it('--map with an unknown field is a usage error', () => {
    expect(catchError(() => mapColumns(['Email'], {emial: 'Email'} as Record<string, string>)).code).toBe('usage');
  });

  it('stops when there is no email and no phone column, showing the --map to use', () => {
    const error = catchError(() => mapColumns(['Name', 'Email consent', 'Kontakt']));
    expect(error.code).toBe('no_contact_column');
    expect(error.message).toContain('"Name", "Email consent", "Kontakt"');
    expect(error.hint).toContain('--map email_address="');
  });

  it('recognises the columns of a results file fed back in', () => {
    const m = mapColumns(['Name', 'Email', 'import_row', 'import_status', 'user_identity_id', 'import_error_code', 'import_error_message', 'import_email_address']);
    expect(m.fields).toEqual({full_name: 0, email_address: 1});
    expect(m.passthrough).toEqual([0, 1]);
    expect(m.results).toEqual({
      import_row: 2,
      import_status: 3,
      user_identity_id: 4,
      import_error_code: 5,
      import_error_message: 6,
      import_email_address: 7,
    });
    expect(m.describe.at(-1)).toContain('earlier results file');
  });

  it('explains why an "ID" column is not the key', () => {
    expect(mapColumns(['ID', 'Email']).describe).toContain('"ID" is not used as user_identity_key (pass --map user_identity_key="ID" to use it)');
  });
});

describe('extractPerson and headerOf', () => {
  const headers = ['Resident ID', 'First Name', 'Last Name', 'E-mail', 'Phone', 'Access', 'import_status', 'user_identity_id'];
  const mapping = mapColumns(headers, {acs_system_ids: 'Access'});

  it('picks the cells and joins first + last', () => {
    const row = {index: 1, line: 2, cells: ['R1', ' Jane ', 'Doe', 'JANE@x.com', '201 555 0123', 'a;b', 'created', 'uid-1']};
    expect(extractPerson(row, mapping)).toEqual({
      user_identity_key: 'R1',
      full_name: 'Jane Doe',
      email_address: 'JANE@x.com',
      phone_number: '201 555 0123',
      acs_system_ids: 'a;b',
      previous: {status: 'created', userIdentityId: 'uid-1'},
    });
  });

  it.each([
    [['', 'Jane', '', 'j@x.com', '', '', '', ''], {full_name: 'Jane', email_address: 'j@x.com'}],
    [['', '', 'Doe', 'j@x.com', '', '', 'invalid', ''], {full_name: 'Doe', email_address: 'j@x.com', previous: {status: 'invalid'}}],
    [['', '', '', '', '', '', '', ''], {}],
  ])('%j', (cells, expected) => {
    expect(extractPerson({index: 1, line: 2, cells}, mapping)).toEqual(expected);
  });

  it('names headers for messages', () => {
    expect(headerOf(headers, mapping)).toEqual({
      user_identity_key: 'Resident ID',
      email_address: 'E-mail',
      phone_number: 'Phone',
      acs_system_ids: 'Access',
      full_name: 'First Name + Last Name',
    });
  });
});

function catchError(fn: () => unknown): ImportError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error('expected an ImportError');
}

describe('contactColumnsByContent (the hint when no header names a contact column)', () => {
  it('names the columns whose cells read as emails and as phones', () => {
    const headers = ['Name', 'E-mail 1 - Type', 'E-mail 1 - Value', 'Phone 1 - Type', 'Phone 1 - Value', 'Notes'];
    const rows = [
      ['Ada', '* Home', 'ada@example.com', 'Mobile', '+1 617-555-0101', 'call 617 555 0199 after 5'],
      ['Grace', '* Work', 'grace@example.com', 'Mobile', '(617) 555-0102', ''],
      ['Linus', '', '', '', '', ''],
    ];
    expect(contactColumnsByContent(headers, rows)).toEqual({email: 'E-mail 1 - Value', phone: 'Phone 1 - Value'});
  });

  it('offers a mobile column before a desk line, whichever comes first', () => {
    const headers = ['Worker', 'Desk Line', 'Work Cell Number'];
    const rows = [
      ['Ann', '+1 512 757 6000', '+1 512 555 0101'],
      ['Ben', '+1 512 757 6000', '+1 512 555 0102'],
    ];
    expect(contactColumnsByContent(headers, rows)).toEqual({phone: 'Work Cell Number'});
    // Not a mobile column with one number against a column of many.
    const few = ['Worker', 'Desk Line', 'Cell Number'];
    const mostly = Array.from({length: 6}, (_, i) => [`P${i}`, `+1 512 757 60${10 + i}`, i === 0 ? '+1 512 555 0101' : '']);
    expect(contactColumnsByContent(few, mostly)).toEqual({phone: 'Desk Line'});
  });

  it('never offers a column about someone else (a manager, an emergency contact), nor a column already used', () => {
    const headers = ['Name', 'Manager Email', 'Emergency Contact Phone', 'Own Mail', 'Cell Number'];
    const rows = [
      ['Ann', 'boss@example.com', '+1 212 555 0900', 'ann@example.com', '+1 212 555 0101'],
      ['Ben', 'boss@example.com', '+1 212 555 0901', 'ben@example.com', '+1 212 555 0102'],
    ];
    expect(contactColumnsByContent(headers, rows)).toEqual({email: 'Own Mail', phone: 'Cell Number'});
    expect(contactColumnsByContent(headers, rows, new Set([3, 4]))).toEqual({});
    const m = mapColumns(['Name', 'Work Email', 'Manager Email', 'Emergency Contact Phone']);
    expect(contactElsewhere({index: 1, line: 2, cells: ['Ben', '', 'boss@example.com', '+1 212 555 0901']}, m, ['Name', 'Work Email', 'Manager Email', 'Emergency Contact Phone'], 'US')).toBe('');
  });

  it('a fax, a card or an account number is never offered as the phone, whatever its digits', () => {
    const rows = [['Ann', '+1 212 555 0101', '3105550116'], ['Ben', '+1 212 555 0102', '3105550117']];
    expect(contactColumnsByContent(['Name', 'Fax', 'Card Number'], rows)).toEqual({});
  });

  it('with a country, a column of numbers that are not phones there (badge numbers) is not offered as phones', () => {
    const rows = [['Ann', '4410023'], ['Ben', '4410024']];
    expect(contactColumnsByContent(['Name', 'Number'], rows)).toEqual({phone: 'Number'});
    expect(contactColumnsByContent(['Name', 'Number'], rows, new Set(), 'US')).toEqual({});
  });

  it('names nothing where no column reads as either, or where most cells of a column do not', () => {
    expect(contactColumnsByContent(['A', 'B'], [['x', '1'], ['y', '2']])).toEqual({});
    expect(contactColumnsByContent(['A'], [['a@example.com'], ['no'], ['nope'], ['never']])).toEqual({});
    expect(contactColumnsByContent(['A'], [])).toEqual({});
    // A column without a header cannot be --mapped: not named.
    expect(contactColumnsByContent(['Name', ''], [['Ada', 'ada@example.com']])).toEqual({});
  });
});

describe('wrapped headers (a line break inside the header cell, as Excel wraps them)', () => {
  it('map as usual and are shown on one line in messages; the header itself is kept as written', () => {
    const headers = ['Full\nName', 'E-mail\r\nAddress', 'Mobile\tPhone'];
    const mapping = mapColumns(headers);
    expect(mapping.fields).toEqual({full_name: 0, email_address: 1, phone_number: 2});
    expect(mapping.describe).toEqual(['"E-mail Address" → email_address', '"Mobile Phone" → phone_number', '"Full Name" → full_name']);
    expect(headerOf(headers, mapping)).toEqual({full_name: 'Full Name', email_address: 'E-mail Address', phone_number: 'Mobile Phone'});
    expect(headers[1]).toBe('E-mail\r\nAddress');
  });
});
