import {describe, expect, it} from 'vitest';
import {normalizePerson} from '../src/engine/normalize.js';
import type {NormalizeContext, RawPerson} from '../src/engine/types.js';

const ACS_A = '7d1c4f2e-0b5a-4c3e-9f1a-2b3c4d5e6f70';
const ACS_B = '11111111-2222-4333-8444-555555555555';

function ctx(overrides: Partial<NormalizeContext> = {}): NormalizeContext {
  return {
    defaultCountry: 'US',
    headerOf: {email_address: 'E-mail', phone_number: 'Phone', user_identity_key: 'Employee ID', full_name: 'Name', acs_system_ids: 'Access'},
    extraAcsSystemIds: [],
    ...overrides,
  };
}

function ok(raw: RawPerson, c: NormalizeContext = ctx()) {
  const result = normalizePerson(raw, c);
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.message}`);
  return result.person;
}

function bad(raw: RawPerson, c: NormalizeContext = ctx()) {
  const result = normalizePerson(raw, c);
  if (result.ok) throw new Error(`expected a problem, got ${JSON.stringify(result.person)}`);
  return result;
}

describe('email', () => {
  it.each([
    ['john@example.com', 'john@example.com'],
    ['  John.Smith@Example.COM ', 'john.smith@example.com'],
    ['jane+building7@mail.example.co.uk', 'jane+building7@mail.example.co.uk'],
    ['\u200Bjoe@example.org\uFEFF', 'joe@example.org'],
    ['\u00A0ann@example.io\u00A0', 'ann@example.io'],
    ['o\'neil@example.com', "o'neil@example.com"],
    ['first_last-x@sub.dept.example.museum', 'first_last-x@sub.dept.example.museum'],
    // Pasted from a mail program.
    ['Ada Lovelace <Ada@Example.com>', 'ada@example.com'],
    // How Outlook and Gmail show an address whose name is the address itself.
    ['jo@ex.com <jo@ex.com>', 'jo@ex.com'],
    ['Jo@Ex.com <jo@ex.com>', 'jo@ex.com'],
    ['"Hopper, Grace" <grace@example.com>', 'grace@example.com'],
    ['<tim@example.com>', 'tim@example.com'],
    ['mailto:linus@example.com', 'linus@example.com'],
    ['MAILTO:Ken@Example.com?subject=Keys', 'ken@example.com'],
    ['Radia <mailto:radia@example.com>', 'radia@example.com'],
    // Were "has a space inside" and "more than one @".
    ['Ana Ruiz (ana@example.com)', 'ana@example.com'],
    ['ana2@example.com (Ana Ruiz)', 'ana2@example.com'],
    ['ana9@example.com<mailto:ana9@example.com>', 'ana9@example.com'],
    ['Ana9@Example.com <mailto:ana9@example.com>', 'ana9@example.com'],
    // Full-width "＠" and letters (a CJK input method): the same address.
    ['ｊｏｈｎ＠ｅｘａｍｐｌｅ．ｃｏｍ', 'john@example.com'],
    ['john＠example.com', 'john@example.com'],
    // Wrapped in quotes or apostrophes.
    ["'single@example.com'", 'single@example.com'],
    ['"a@b.com"', 'a@b.com'],
    ['“curly@example.com”', 'curly@example.com'],
    ["'mailto:quoted@example.com'", 'quoted@example.com'],
  ])('accepts %j as %s', (input, expected) => {
    expect(ok({email_address: input}).email_address).toBe(expected);
  });

  it.each([
    ['john@', 'nothing after the "@"'],
    ['@example.com', 'nothing before the "@"'],
    ['john.example.com', 'no "@"'],
    ['Aisha Bello', 'which is a name, not an email address (there is no "@"). If the cell shows a name that links to the address, type the address itself in the cell.'],
    ['no email on file', 'space inside'],
    ['See notes', 'space inside'],
    ['emma.white at mail.example.com', 'space inside'],
    ['a@b', 'the part after "@", "b", has no dot'],
    ['d8@x..com', 'two dots in a row'],
    ['john smith@example.com', 'space inside'],
    ['john@@example.com', 'more than one "@"'],
    ['a@b@example.com', 'more than one "@"'],
    ['john..smith@example.com', 'two dots in a row'],
    ['.john@example.com', 'a dot next to the "@" or at the start'],
    ['müller@example.de', 'it has "ü" (U+00FC), a character outside ASCII before the "@"'],
    ['GRÜSSE@example.de', 'it has "Ü" (U+00DC), a character outside ASCII before the "@"'],
    // Was "it has non-ASCII characters", with no way forward: the domain has an ASCII form Seam takes.
    ['ana@bücher.de', 'The same address in ASCII is ana@xn--bcher-kva.de'],
    ['test@example.рф', 'its domain ends in ".xn--p1ai" (the ASCII form of ".рф"), an ending Seam\'s check does not take'],
    ['info@example.xn--p1ai', 'its domain ends in ".xn--p1ai" (a non-Latin ending written in ASCII)'],
    ['o’brien@example.ie', "it has a curly apostrophe (’, U+2019), as autocorrect types it. Write a straight one (') instead."],
    // A Cyrillic "а" among Latin letters is a typo, not an international domain: its "ASCII form" was offered.
    ['ana@gm\u0430il.com', 'it has "\u0430" (U+0430, a Cyrillic letter that looks like a Latin one, typed on another keyboard layout) in its domain. Type it again in Latin letters.'],
    ['\u0430na@gmail.com', 'a Cyrillic letter that looks like a Latin one, typed on another keyboard layout) before the "@"'],
    ['ana@\u043f\u0440\u0438\u043c\u0435\u0440.com', 'The same address in ASCII is ana@xn--e1afmkfd.com'],
    // Said the ending was not taken (".de"), where the "_" is what fails.
    ['ana@bü_cher.de', 'it has "ü" (U+00FC), a character outside ASCII.'],
    ['a@x.com <b@example.com>', 'more than one email address'],
    ['a5@example.com; b5@example.com', 'more than one email address'],
    ['a@x.com ::: b@x.com', 'more than one email address'],
    ['N/A', 'stands for "none"'],
    ['no email', 'stands for "none"'],
    ['-', 'stands for "none"'],
    ['Ada <ada@example>', 'the part after "@", "example", has no dot'],
    ['"john@"', 'nothing after the "@"'],
    ['"john@example.com."', 'ends with a dot'],
    ['Ada <>', 'space inside'],
    ['mailto:', 'no "@"'],
    // Shown as one address, linked to another: not guessed between.
    ['ana@example.com<mailto:bob@example.com>', 'which shows one address (ana@example.com) and links to another (bob@example.com)'],
    ['trailing@example.com.', 'ends with a dot'],
    ['"unclosed@example.com', 'not an email address'],
    ['"a@b.com\'', 'not an email address'],
    ['ｍüller＠example.de', 'a character outside ASCII before the "@"'],
    ['a.b@example.com,', 'which ends with ",", left from a list of addresses. Remove it: a.b@example.com.'],
    ['m.n@example.com;', 'which ends with ";", left from a list of addresses. Remove it: m.n@example.com.'],
    ['first.last@\nexample.com', 'which has a line break inside (Alt+Enter in Excel)'],
    ['k22@exa\u0001mple.com', 'it has a control character inside'],
    ['/o=ExchangeLabs/ou=Exchange/cn=Recipients/cn=ann', 'which is an Exchange internal address'],
  ])('rejects %j', (input, words) => {
    const result = bad({email_address: input, phone_number: '+12015550123'});
    expect(result.code).toBe('invalid_email');
    expect(result.field).toBe('email_address');
    expect(result.message).toContain(`Column "E-mail" has ${JSON.stringify(input)}`);
    expect(result.message).toContain(words);
  });

  it('rejects an address longer than mail servers take: 64 characters before the "@", 254 in all', () => {
    expect(bad({email_address: `${'a'.repeat(65)}@example.com`}).message).toMatch(/which is longer than an email address can be \(65 characters before the "@", at most 64\)\.$/);
    const long = `ann@${'d'.repeat(61)}.${'e'.repeat(61)}.${'f'.repeat(61)}.${'g'.repeat(61)}.com`;
    expect(bad({email_address: long}).message).toMatch(/which is longer than an email address can be \(255 characters, at most 254\)\.$/);
    expect(ok({email_address: `${'a'.repeat(64)}@example.com`}).email_address).toBe(`${'a'.repeat(64)}@example.com`);
  });

  it('says invalid_email (not missing_contact) when the only contact is a broken email', () => {
    expect(bad({email_address: 'john@'}).code).toBe('invalid_email');
  });

  it('names the field itself when the context has no header for it', () => {
    expect(bad({email_address: 'x'}, ctx({headerOf: {}})).message).toContain('Column "email_address" has "x"');
  });

  it('treats a value that is only invisible characters as absent', () => {
    expect(ok({email_address: '\u200B \uFEFF', phone_number: '2015550123'}).email_address).toBeUndefined();
  });
});

describe('phone', () => {
  it.each([
    ['US', '(201) 555-0123', '+12015550123'],
    ['US', '201-555-0123', '+12015550123'],
    ['US', '201.555.0123', '+12015550123'],
    ['US', '2015550123', '+12015550123'],
    ['US', '12015550123', '+12015550123'],
    ['US', '+1 201.555.0123', '+12015550123'],
    ['US', '1 (201) 555-0123', '+12015550123'],
    ['US', '+44 20 7946 0958', '+442079460958'],
    ['US', '00 44 20 7946 0958', '+442079460958'],
    ['US', '011 44 20 7946 0958', '+442079460958'],
    ['US', '\u202A+1 201 555 0123\u202C', '+12015550123'],
    ['GB', '07911 123456', '+447911123456'],
    ['GB', '020 7946 0958', '+442079460958'],
    ['GB', '+44 (0)20 7946 0958', '+442079460958'],
    ['GB', '0044 7911 123456', '+447911123456'],
    ['DE', '0151 12345678', '+4915112345678'],
    ['DE', '030 1234567', '+49301234567'],
    ['DE', '+49 (0)30 1234567', '+49301234567'],
    ['DE', '0049 151 12345678', '+4915112345678'],
    ['DE', '030/1234567', '+49301234567'],
    ['DE', '+1 201 555 0123', '+12015550123'],
    ['IT', '3123456789', '+393123456789'],
    // No trunk zero was lost: numbers written without one at home.
    ['CN', '13800138000', '+8613800138000'],
    ['IN', '9876543210', '+919876543210'],
    ['BR', '11912345678', '+5511912345678'],
    ['MX', '5512345678', '+525512345678'],
    ['IT', '06 1234 5678', '+390612345678'],
    // A tel: link, a label before or after the number, Excel's leading apostrophe.
    ['US', 'tel:+12125550116', '+12125550116'],
    ['US', 'TEL:212-555-0116', '+12125550116'],
    ['US', 'Cell: 212 555 0116', '+12125550116'],
    ['US', 'mobile:2125550116', '+12125550116'],
    ['US', 'Mob: (212) 555-0116', '+12125550116'],
    ['US', 'M: 212.555.0116', '+12125550116'],
    ['US', 'c: 2125550116', '+12125550116'],
    ['US', 'Tel: +1 212 555 0116', '+12125550116'],
    ['US', 'PHONE: 212 555 0116', '+12125550116'],
    ['US', '212-555-0116 (cell)', '+12125550116'],
    ['US', '212-555-0116 (Mobile)', '+12125550116'],
    ['US', '212-555-0116(m)', '+12125550116'],
    ['US', '212-555-0116 (C)', '+12125550116'],
    ['US', "'2125550116", '+12125550116'],
    ['GB', "'07911 123456", '+447911123456'],
    // Full-width digits and punctuation (a Japanese or Chinese input method), Arabic-Indic digits.
    ['JP', '０９０-１２３４-５６７８', '+819012345678'],
    ['US', '＋８１ ９０ １２３４ ５６７８', '+819012345678'],
    ['US', '（２１２）５５５－０１１６', '+12125550116'],
    ['US', '+٩٧١٥٠١٢٣٤٥٦٧', '+971501234567'],
    ['IR', '۰۹۱۲۳۴۵۶۷۸۹', '+989123456789'],
    // Dashes other than "-": were "not a phone number". Word's en dash, the minus sign, Japanese ー.
    ['US', '212–555–0184', '+12125550184'],
    ['US', '212—555—0184', '+12125550184'],
    ['US', '212−555−0184', '+12125550184'],
    ['JP', '090ー1234ー5681', '+819012345681'],
    ['JP', '０９０ー１２３４ー５６８１', '+819012345681'],
    // A "/" inside one German number (area code / number) is not two numbers.
    ['DE', '030/1234567', '+49301234567'],
    ['DE', '0171/1234567', '+491711234567'],
    // The country code in brackets, as much of Europe writes it.
    ['US', '(+44) 7911 123457', '+447911123457'],
    ['GB', '(+44) 7911 123457', '+447911123457'],
    ['DE', '(+33) 6 12 34 56 78', '+33612345678'],
    ['US', '(0044) 20 7946 0039', '+442079460039'],
    // Written without a trunk 0 at home, so not taken for a foreign number: a Chinese mobile, an
    // Indian one, a Brazilian area code in brackets, a Spanish number (Spain has no trunk 0).
    ['CN', '139 1234 5678', '+8613912345678'],
    ['IN', '98765 43210', '+919876543210'],
    ['BR', '(21) 98765-4321', '+5521987654321'],
    ['ES', '612 34 56 78', '+34612345678'],
    ['FR', '06 12 34 56 78', '+33612345678'],
    ['GB', '07911 123457', '+447911123457'],
    ['DE', '030 901820', '+4930901820'],
    // Sent as +8100819012345678 (16 digits, refused by Seam): "00" is read as the international prefix.
    ['JP', '0081 90 1234 5678', '+819012345678'],
    // The "(0)" that is not dialled from abroad, of a country with no trunk 0: was "not a valid phone number".
    ['US', '+48 (0)22 123 45 67', '+48221234567'],
    ['US', '0048 (0)22 123 45 67', '+48221234567'],
    // Was "has 16 digits … Excel kept only 15" (a reviewer's finding).
    ['DE', '0049 (0)151 23456789', '+4915123456789'],
    ['US', '0049 (0)151 23456789', '+4915123456789'],
    ['US', '+44 (0)20 7946 0018', '+442079460018'],
    // Italy's 0 is part of the number.
    ['US', '+39 06 6982 1236', '+390669821236'],
  ] as const)('%s: %j → %s', (country, input, expected) => {
    expect(ok({phone_number: input}, ctx({defaultCountry: country})).phone_number).toBe(expected);
  });

  it.each([
    ['US', '2024-01-15', 'which is a date, not a phone number'],
    ['US', '01/15/2024', 'which is a date, not a phone number'],
    ['US', '1.55512E+10', 'scientific notation'],
    ['US', '2.01555E+09', 'scientific notation'],
    ['DE', '4,91511E+12', 'scientific notation'],
    ['US', '12015550123.0', 'decimal number'],
    ['US', '1234567890123456', 'more than 15'],
    ['US', '+1 201 555 0123 12345 6789', 'more than 15'],
    ['GB', '7911123456', 'looks like a GB number that lost its leading zero (07911123456)'],
    ['GB', '2079460958', 'lost its leading zero'],
    ['DE', '15112345678', 'lost its leading zero'],
    ['DE', '301234567', 'lost its leading zero'],
    ['AU', '412345678', 'looks like an AU number that lost its leading zero (0412345678)'],
    ['CN', '1062345678', 'lost its leading zero (01062345678)'],
    ['IN', '1123456789', 'lost its leading zero (01123456789)'],
    ['DE', '4915112345678', 'lost "+"'],
    ['US', '447911123456', 'the "+" was lost'],
    ['US', '+1 201 555 0123 x123', 'extension (123)'],
    ['US', '201-555-0123 ext. 45', 'extension (45)'],
    ['US', '555-1234', 'not a valid phone number for US'],
    ['US', '(555) 123-4567', 'not a valid phone number for US'],
    ['US', '+999 123', 'not a valid phone number'],
    ['US', 'call me', 'not a phone number'],
    ['US', '44 7911 123456', 'if it is +447911123456, write it with the "+" (+44 7911 123456)'],
    ['US', '49 151 12345678', 'if it is +4915112345678'],
    ['US', '+1 201 555 0123; +1 201 555 0124', 'more than one phone number'],
    ['US', '201-555-0123, 201-555-0124', 'more than one phone number'],
    ['US', '201 555 0123 or 201 555 0124', 'more than one phone number'],
    ['US', '201-555-0123; call after 5', 'not a phone number'],
    ['US', '12', 'too short'],
    // Mexico dropped the "1" of mobiles in 2019; libphonenumber no longer takes it.
    ['US', '+52 1 55 1234 5678', 'the "1" after +52 is no longer used; without it the number is +525512345678'],
    ['MX', '+5215512345678', 'the "1" after +52 is no longer used; without it the number is +525512345678'],
    ['US', '0052 1 33 1234 5678', 'the "1" after +52 is no longer used; without it the number is +523312345678'],
    ['US', '+52 1 00 1234 5678', 'not a valid phone number.'],
    // Only a mobile's labels are let go: a home, work or fax line is said to be one, not taken.
    ['US', 'Home: 212 555 0116', 'labelled as a home line. If it is the person\'s mobile, remove the label'],
    ['US', 'Fax: 212 555 0116', 'labelled as a fax number'],
    ['US', '212 555 0116 (home)', 'labelled as a home line'],
    ['US', 'W: 212 555 0116', 'labelled as a work line ("W")'],
    ['US', 'Home: N/A', 'not a phone number'],
    ['US', '555-1234 / 555-9876', 'more than one phone number'],
    // Several numbers, none or two of them labelled a mobile: not one to pick.
    ['US', 'Home: (217) 555-0102, Work: (217) 555-0103', 'more than one phone number'],
    ['US', 'Mobile: (217) 555-0101, Mobile: (217) 555-0104', 'more than one phone number'],
    ['US', 'Home: (217) 555-0102 Work: (217) 555-0103', 'more than one phone number'],
    ['US', 'H: (217) 555-0102 W: (217) 555-0103', 'more than one phone number'],
    // What an export writes for no number: said to be one, not "not valid for US … pass --default-country".
    ['US', '(000) 000-0000', 'stands for "none", not a number'],
    ['US', '000-000-0000', 'stands for "none", not a number'],
    ['GB', '00000 000000', 'stands for "none", not a number'],
    ['US', 'Cell: Cell: 212 555 0116', 'not a phone number'],
    ['US', 'tel:', 'not a phone number'],
    ['US', '２１２ ５５５ ０１１６ #', 'not a phone number'],
    // A foreign number without its "+" became a German one (+4933612345678) with no word.
    ['DE', '33 6 12 34 56 78', 'could be +33612345678 (a country code without its "+") or +4933612345678 (a DE number missing its leading 0)'],
    ['DE', '44 7911 123457', 'could be +447911123457'],
    ['AT', '33 6 12 34 56 78', 'could be +33612345678'],
    ['DE', '151 23456789', 'or +4915123456789 (a DE number missing its leading 0)'],
    // Numbers no numbering plan has, which the small metadata (length only) let through.
    ['DE', '12345', 'not a valid phone number for DE'],
    ['DE', '43539', 'not a valid phone number for DE'],
    ['DE', '1234567', 'not a valid phone number for DE'],
    ['CN', '99999999', 'not a valid phone number for CN'],
    ['JP', '0000 12345', 'not a valid phone number for JP'],
    ['US', '+49 12345', 'not a valid phone number.'],
    // Mexico's prefixes before 2019: was "not a valid phone number for MX" with no way forward.
    ['MX', '044 55 1234 5678', 'the "044" before it is no longer used; without it the number is +525512345678'],
    ['MX', '01 55 1234 5678', 'the "01" before it is no longer used; without it the number is +525512345678'],
  ] as const)('%s: rejects %j (%s)', (country, input, words) => {
    const result = bad({phone_number: input, email_address: 'ok@example.com'}, ctx({defaultCountry: country}));
    expect(result.code).toBe('invalid_phone');
    expect(result.field).toBe('phone_number');
    expect(result.message).toContain(`Column "Phone" has ${JSON.stringify(input)}`);
    expect(result.message).toContain(words);
  });

  it('of several numbers in a cell, the only one labelled a mobile is taken (AppFolio\'s "Mobile: …, Home: …")', () => {
    expect(ok({phone_number: 'Mobile: (217) 555-0101, Home: (217) 555-0102'}).phone_number).toBe('+12175550101');
    expect(ok({phone_number: 'Home: (217) 555-0102; Cell: (217) 555-0105'}).phone_number).toBe('+12175550105');
    expect(ok({phone_number: '(217) 555-0102 (home) / (217) 555-0106 (mobile)'}).phone_number).toBe('+12175550106');
    // Yardi's: the labels parted by a space only.
    expect(ok({phone_number: 'Mobile: (212) 555-0101 Home: (212) 555-0102'}).phone_number).toBe('+12125550101');
    expect(ok({phone_number: 'Office: (212) 555-0103 Mobile: (212) 555-0104'}).phone_number).toBe('+12125550104');
    expect(ok({phone_number: 'M: (212) 555-0105 H: (212) 555-0106'}).phone_number).toBe('+12125550105');
    expect(ok({phone_number: 'Home: (212) 555-0107  Cell: (212) 555-0108 Work: (212) 555-0109'}).phone_number).toBe('+12125550108');
    // Beside labels with no number (Yardi's empty second line, "n/a").
    expect(ok({phone_number: 'Home: n/a Mobile: (212) 555-0110'}).phone_number).toBe('+12125550110');
    expect(ok({phone_number: 'Mobile: (212) 555-0111 Home:'}).phone_number).toBe('+12125550111');
    expect(ok({phone_number: 'Mobile: (212) 555-0112 W: n/a'}).phone_number).toBe('+12125550112');
  });

  it('a number not valid for the default country says to pass --default-country, unless it was given', () => {
    expect(bad({phone_number: '07700 900123'}).message).toBe('Column "Phone" has "07700 900123" which is not a valid phone number for US. Write it with + and country code, or pass --default-country.');
    expect(bad({phone_number: '0770 090'}, ctx({defaultCountry: 'GB', defaultCountryGiven: true})).message).toBe(
      'Column "Phone" has "0770 090" which is not a valid phone number for GB. Write it with + and country code (--default-country GB was given).',
    );
  });

  it('tells how to fix the column when Excel damaged it', () => {
    const {message} = bad({phone_number: '1.55512E+10'});
    expect(message).toMatch(/Excel/);
    expect(message).toMatch(/Format the column as Text/);
  });

  it('reports a broken phone even when the email is fine (never drops a value)', () => {
    expect(bad({email_address: 'a@example.com', phone_number: '1.55512E+10'}).code).toBe('invalid_phone');
  });
});

describe('key, name, access systems', () => {
  it.each([
    [{user_identity_key: '  E-1001 '}, {user_identity_key: 'E-1001'}],
    [{full_name: '  Jane \t  Q.\nPublic '}, {full_name: 'Jane Q. Public'}],
    [{full_name: 'Zoë Müller-Łukasz'}, {full_name: 'Zoë Müller-Łukasz'}],
    // Decomposed accents (macOS file names, some exports) are sent composed (NFC).
    [{full_name: 'Franc\u0327ois Mu\u0308ller'}, {full_name: 'Fran\u00E7ois M\u00FCller'}],
    [{full_name: 'Jose\u0301'}, {full_name: 'Jos\u00E9'}],
    [{full_name: '\u00A0'}, {}],
    [{user_identity_key: '   '}, {}],
    // One key written two ways made two people: full-width digits (a Japanese input method), and
    // decomposed accents (macOS). A key is sent in ASCII width and composed.
    [{user_identity_key: '１００１'}, {user_identity_key: '1001'}],
    [{user_identity_key: 'ＥＭＰ－０７'}, {user_identity_key: 'EMP-07'}],
    [{user_identity_key: 'E\u0301lodie-17'}, {user_identity_key: '\u00C9lodie-17'}],
    // Invisible characters no one types: a variation selector, the combining grapheme joiner, a Hangul filler.
    [{user_identity_key: 'K35\uFE0F'}, {user_identity_key: 'K35'}],
    [{user_identity_key: 'K\u034F37'}, {user_identity_key: 'K37'}],
    [{user_identity_key: 'K38\u3164'}, {user_identity_key: 'K38'}],
    // In a name, the joiners between letters are spelling (Persian, Devanagari, emoji); at its ends they join nothing.
    [{full_name: 'Ali Hosseini\u200Czadeh'}, {full_name: 'Ali Hosseini\u200Czadeh'}],
    [{full_name: '\u062D\u0633\u06CC\u0646\u200C\u0632\u0627\u062F\u0647'}, {full_name: '\u062D\u0633\u06CC\u0646\u200C\u0632\u0627\u062F\u0647'}],
    [{full_name: 'Dev \u{1F469}\u200D\u{1F4BB} Lee'}, {full_name: 'Dev \u{1F469}\u200D\u{1F4BB} Lee'}],
    [{full_name: '\u200DAnn Lee\u200C'}, {full_name: 'Ann Lee'}],
    [{full_name: 'Ann\u200B Lee\u200E'}, {full_name: 'Ann Lee'}],
  ])('%j', (raw, expected) => {
    expect(ok({email_address: 'a@example.com', ...raw})).toEqual({email_address: 'a@example.com', ...expected});
  });

  it('rejects a key with a line break', () => {
    const result = bad({email_address: 'a@example.com', user_identity_key: 'E-1\n002'});
    expect(result.code).toBe('invalid_key');
    expect(result.message).toContain('Column "Employee ID"');
  });

  it.each([
    // "N/A", "-", "TBD" sent as keys made every row with one a duplicate of the first.
    ['N/A', 'which stands for "none", not a key'],
    ['-', 'which stands for "none", not a key'],
    ['TBD', 'which stands for "none", not a key'],
    // What pandas, Excel's pivot tables and autocorrect put for "none": sent, each made a person keyed "nan" or "–".
    ...['nan', 'NaN', '<NA>', 'NaT', 'undefined', '(blank)', 'n.a.', 'N.A.', 'missing', '\u2013', '\u2014'].map((key) => [key, 'which stands for "none", not a key']),
    // Excel's CSV of a 12-digit badge number: two people's read the same.
    ['1.23457E+11', 'which the spreadsheet (Excel, LibreOffice) turned into scientific notation; the last digits are lost'],
    ['1E+12', 'which the spreadsheet (Excel, LibreOffice) turned into scientific notation'],
    // LibreOffice's CSV of 17-digit badge numbers: sent, they made two people one (duplicate_key).
    ['1E+016', 'which the spreadsheet (Excel, LibreOffice) turned into scientific notation'],
    ['9.87654321098765E+016', 'which the spreadsheet (Excel, LibreOffice) turned into scientific notation'],
    ['1.23457e+11', 'which the spreadsheet (Excel, LibreOffice) turned into scientific notation'],
  ])('rejects the key %j, saying why', (key, why) => {
    const result = bad({email_address: 'a@example.com', user_identity_key: key});
    expect(result.code).toBe('invalid_key');
    expect(result.message).toContain(`Column "Employee ID" has "${key}", ${why}`);
  });

  it.each(['4E2', '3E-11', 'E-1001', 'NA-7', '1.5e+11x', 'Err:50', 'Err:5021', 'ERR:502'])('keeps the key %j, which only looks a little like a placeholder or a number', (key) => {
    expect(ok({email_address: 'a@example.com', user_identity_key: key})).toEqual({email_address: 'a@example.com', user_identity_key: key});
  });

  it('rejects a key with a C1 control character (NEL, a line break to some programs), showing it', () => {
    const result = bad({email_address: 'a@example.com', user_identity_key: 'K42\u0085'});
    expect(result.code).toBe('invalid_key');
    expect(result.message).toContain('has "K42\\u0085", which contains a line break or another control character');
  });

  // A Brazilian mobile "(31) 91234-5678" read as US was offered as "+31…" (the Netherlands).
  it('an area code in brackets is not offered as a country code', () => {
    expect(bad({email_address: 'a@example.com', phone_number: '(31) 91234-5678'}).message).not.toContain('+31');
  });

  it('an email cell holding pandas\' NaT says it stands for none', () => {
    expect(bad({email_address: 'NaT', phone_number: '+16172000001'}).message).toContain('which stands for "none", not an address');
  });

  it.each(['Nan', 'Nat', 'NAN-4'])('keeps the key %j: not how pandas writes a missing value', (key) => {
    expect(ok({email_address: 'a@example.com', user_identity_key: key}).user_identity_key).toBe(key);
  });

  it('rejects a name with a control character', () => {
    expect(bad({email_address: 'a@example.com', full_name: 'Bell\u0007'}).code).toBe('invalid_name');
  });

  it.each([
    [`${ACS_A}`, [ACS_A]],
    [`${ACS_A.toUpperCase()}`, [ACS_A]],
    [`${ACS_A};${ACS_B}`, [ACS_A, ACS_B]],
    [`${ACS_A} | ${ACS_B}`, [ACS_A, ACS_B]],
    [`${ACS_A}, ${ACS_B}`, [ACS_A, ACS_B]],
    [`${ACS_A}\n${ACS_B} ${ACS_A.toUpperCase()}`, [ACS_A, ACS_B]],
    [' ; ', undefined],
  ])('access systems %j', (cell, expected) => {
    expect(ok({email_address: 'a@example.com', acs_system_ids: cell}).acs_system_ids).toEqual(expected);
  });

  it('rejects an id that is not a UUID, naming it', () => {
    const result = bad({email_address: 'a@example.com', acs_system_ids: `${ACS_A}; front-door`});
    expect(result.code).toBe('invalid_acs_system_id');
    expect(result.message).toContain('Column "Access" has "front-door"');
  });

  it('rejects an id not in the workspace when the systems are known', () => {
    const result = bad({email_address: 'a@example.com', acs_system_ids: ACS_B}, ctx({knownAcsSystems: new Set([ACS_A])}));
    expect(result.code).toBe('unknown_acs_system');
    expect(result.message).toContain(ACS_B);
  });

  it('adds --acs-system-id to every row, without doubling', () => {
    const c = ctx({extraAcsSystemIds: [ACS_A.toUpperCase()]});
    expect(ok({email_address: 'a@example.com'}, c).acs_system_ids).toEqual([ACS_A]);
    expect(ok({email_address: 'a@example.com', acs_system_ids: `${ACS_B};${ACS_A}`}, c).acs_system_ids).toEqual([ACS_B, ACS_A]);
  });
});

describe('contact and order of problems', () => {
  it('needs an email or a phone', () => {
    const result = bad({full_name: 'Nobody', user_identity_key: 'k1'});
    expect(result.code).toBe('missing_contact');
    expect(result.message).toContain('"E-mail" and "Phone" are empty');
  });

  it('accepts a phone alone', () => {
    expect(ok({phone_number: '201 555 0123'})).toEqual({phone_number: '+12015550123'});
  });

  it('reports the email first, then the phone, then the key', () => {
    expect(bad({email_address: 'x@', phone_number: '1E+10', user_identity_key: 'a\tb'}).code).toBe('invalid_email');
    expect(bad({phone_number: '1E+10', user_identity_key: 'a\tb'}).code).toBe('invalid_phone');
    expect(bad({phone_number: '2015550123', user_identity_key: 'a\tb', acs_system_ids: 'nope'}).code).toBe('invalid_key');
  });

  it('returns the whole person', () => {
    expect(
      ok({
        user_identity_key: 'E-7',
        email_address: 'Jane@Example.com',
        phone_number: '(201) 555-0123',
        full_name: 'Jane Doe',
        acs_system_ids: ACS_A,
        previous: {status: 'created', userIdentityId: 'x'},
      }),
    ).toEqual({
      user_identity_key: 'E-7',
      email_address: 'jane@example.com',
      phone_number: '+12015550123',
      full_name: 'Jane Doe',
      acs_system_ids: [ACS_A],
    });
  });
});

describe('what spreadsheets put in cells', () => {
  it('="00123" (how exports keep leading zeros in Excel) is the text inside, in every field', () => {
    expect(ok({user_identity_key: '="00123"', email_address: '="a@example.com"', phone_number: '="2015550123"', full_name: '="Ann ""Nan"" Lee"'})).toEqual({
      user_identity_key: '00123',
      email_address: 'a@example.com',
      phone_number: '+12015550123',
      full_name: 'Ann "Nan" Lee',
    });
    // Not the form: kept as written.
    expect(ok({email_address: 'a@example.com', user_identity_key: '=A1'}).user_identity_key).toBe('=A1');
  });

  it.each([
    ['user_identity_key', 'Employee ID', '#N/A'],
    ['full_name', 'Name', '#REF!'],
    ['email_address', 'E-mail', '#VALUE!'],
    ['phone_number', 'Phone', '#DIV/0!'],
    // LibreOffice's CSV: a key and a name "Err:502" were created as such, and a second row's failed key made it a duplicate.
    ['user_identity_key', 'Employee ID', 'Err:502'],
    ['full_name', 'Name', 'Err:522'],
  ] as const)('a %s cell showing a formula error (%s) is invalid, never sent as a value', (field, header, text) => {
    const result = bad({email_address: 'a@example.com', phone_number: '+12015550123', [field]: text});
    expect(result.code).toBe('formula_error');
    expect(result.field).toBe(field);
    expect(result.message).toBe(`Column "${header}" shows ${text}, the error of a formula in the spreadsheet, not a value. Fix the formula (or type the value) in the spreadsheet, then export again.`);
  });

  it.each(['N/A', 'n/a', 'none', 'TBD', '-', '--', '?', 'no phone', 'x'])('phone %j: a placeholder for none, said so', (text) => {
    const result = bad({email_address: 'a@example.com', phone_number: text});
    expect(result.code).toBe('invalid_phone');
    expect(result.message).toContain(
      `has ${JSON.stringify(text)} which stands for "none", not a number. Type the person's number, or empty the cell if they have none (the row then needs an email address).`,
    );
  });

  // "Empty the cell… (an email address is enough)" was false on a row with no email.
  it('a placeholder phone on a row with no email: the message does not say an email is enough', () => {
    const {message} = bad({phone_number: 'N/A'});
    expect(message).not.toContain('is enough');
    expect(message).toContain('the row then needs an email address');
  });

  it('a placeholder email on a row with no phone: the message does not say a phone is enough', () => {
    const {message} = bad({email_address: 'N/A'});
    expect(message).toBe(
      `Column "E-mail" has "N/A" which stands for "none", not an address. Type the person's address, or empty the cell if they have none (the row then needs a phone number).`,
    );
  });

  it('a number column with thousands separators (2,125,550,104) has all its digits', () => {
    expect(ok({phone_number: '2,125,550,104'}).phone_number).toBe('+12125550104');
    expect(bad({phone_number: '447,911,123,456'}).message).toContain('if it is +447911123456, the "+" was lost');
  });

  it.each([
    '(212) 555-0100 / (212) 555-0199',
    '2125550100/2125550199',
    '212-555-0100 and 212-555-0199',
    '212-555-0100 & 212-555-0199',
    '+1 212-555-0100 ::: +1 212-555-0199',
    '2125550100\n2125550199',
    '212-555-0100\r\n212-555-0199',
    '555-0100\n555-0199',
  ])('phone %j: two numbers (joined by a word, Google Contacts\' ":::" or a line break in the cell), not one Excel cut', (text) => {
    const result = bad({email_address: 'a@example.com', phone_number: text});
    expect(result.message).toContain('more than one phone number');
    expect(result.message).not.toContain('15 digits');
  });
});

describe("a row's country column gives its phone's region", () => {
  const withCountry = ctx({defaultCountry: 'FR', countryHeader: 'Country'});
  it.each([
    ['0412 345 678', 'Australia', '+61412345678'],
    ['0412 345 678', 'AU', '+61412345678'],
    ['0412 345 678', '+61', '+61412345678'],
    ['07911 123456', 'UK', '+447911123456'],
    ['07911 123456', 'United Kingdom', '+447911123456'],
    ['0151 12345678', 'Deutschland', '+4915112345678'],
    ['0151 12345678', 'Allemagne', '+4915112345678'],
    ['(617) 555-0101', 'U.S.', '+16175550101'],
    ['(617) 555-0101', 'USA', '+16175550101'],
    // Written with "+": the country column does not matter.
    ['+44 7911 123457', 'France', '+447911123457'],
    // An empty country cell: the default country.
    ['06 12 34 56 78', undefined, '+33612345678'],
  ])('%j with country %j → %s', (phone, country, e164) => {
    expect(ok({email_address: 'a@example.com', phone_number: phone, ...(country === undefined ? {} : {phone_country: country})}, withCountry).phone_number).toBe(e164);
  });

  it('a number invalid in the region the column gives says which column gave it', () => {
    const result = bad({phone_number: '06 12 34 56 78', phone_country: 'Australia'}, withCountry);
    expect(result.code).toBe('invalid_phone');
    expect(result.message).toBe('Column "Phone" has "06 12 34 56 78" which is not a valid phone number for AU (the region column "Country" gives). Write it with + and country code, or fix that column.');
  });

  it("a country cell that names no country known here: a number without + is not guessed at (the default would make it another country's)", () => {
    const result = bad({phone_number: '55 1234 5616', phone_country: 'Narnia'}, withCountry);
    expect(result.code).toBe('invalid_phone');
    expect(result.message).toBe(
      'Column "Phone" has "55 1234 5616", written without + and country code, and column "Country" has "Narnia", which names no country the importer knows, so the number\'s country cannot be told. Write the number with + and country code, or the country as a name or two-letter code (such as MX).',
    );
    expect(ok({email_address: 'a@example.com', phone_number: '+52 55 1234 5616', phone_country: 'Narnia'}, withCountry).phone_number).toBe('+525512345616');
  });

  it('a row whose email and phone are both wrong says both (fixing one should not meet the other)', () => {
    const result = bad({email_address: 'kwame@example.com; k.mensah@example.com', phone_number: '+233 24 123 4567 / +233 20 765 4321'});
    expect(result.code).toBe('invalid_email');
    expect(result.message).toBe(
      'Column "E-mail" has "kwame@example.com; k.mensah@example.com" which holds more than one email address; Seam keeps one per person. Leave one address in this column. Also, column "Phone" has "+233 24 123 4567 / +233 20 765 4321" which holds more than one phone number; Seam keeps one per person. Leave the mobile number (the one that gets codes) in this column.',
    );
    // A good phone beside a broken email: only the email is said.
    expect(bad({email_address: 'kwame@@example.com', phone_number: '+233 24 123 4567'}).message).not.toContain('Also');
  });

  it("Excel's text apostrophe before a key or an email is not part of it ('00123); a name keeps its own ('t Hooft)", () => {
    const person = ok({user_identity_key: "'00123", email_address: "'amy@example.com", full_name: "'t Hooft", phone_number: "'+1 217 555 0201"});
    expect(person).toMatchObject({user_identity_key: '00123', email_address: 'amy@example.com', full_name: "'t Hooft", phone_number: '+12175550201'});
    expect(ok({user_identity_key: "'", email_address: 'a@example.com'}).user_identity_key).toBe("'");
  });

  it('an empty country cell takes the default, and a number that then fails says so', () => {
    const result = bad({phone_number: '0412 345'}, withCountry);
    expect(result.message).toContain('Column "Country" is empty in this row, so FR was taken: give its country there.');
    // A number written with + and country code took no region from anywhere: not said of it.
    const international = bad({phone_number: '+1 217 555 0177 ext. 12 or 14'}, withCountry);
    expect(international.code).toBe('invalid_phone');
    expect(international.message).not.toContain('is empty in this row');
    // Nor of a cell that is no number whatever the country: an extension, two numbers, a date.
    for (const phone of ['020 7946 0958 ext. 12', '0412 345 678 / 0413 999 888', '2024-01-15']) {
      expect(bad({phone_number: phone}, withCountry).message).not.toContain('is empty in this row');
    }
  });

  it.each([
    ['Россия', '8 912 345-67-89', '+79123456789'],
    ['中国', '138 0013 8000', '+8613800138000'],
    ['日本', '090-1234-5678', '+819012345678'],
    ['대한민국', '010-1234-5678', '+821012345678'],
    ['Korea, Republic of', '010-1234-5678', '+821012345678'],
    ['Estados Unidos Mexicanos', '55 1234 5616', '+525512345616'],
    ['SWE', '070-123 45 67', '+46701234567'],
  ])('country %j', (country, phone, e164) => {
    expect(ok({email_address: 'a@example.com', phone_number: phone, phone_country: country}, withCountry).phone_number).toBe(e164);
  });
});
