/**
 * One row's text → the body of its create request, or the one problem to report.
 *
 * Hot path (a million rows in the benchmark): every pattern and schema is built once here at
 * module load; a row allocates only its result. Never throws for bad data: a broken row is a
 * result (`ok: false`) with a sentence naming the column and the value.
 */
import {domainToASCII} from 'node:url';
import {z} from 'zod';
import {cleanName, cleanText, foldFullWidth, isPlaceholder, keyForm, NOT_ASCII, quotedShowing} from './clean.js';
import {toE164} from './phone.js';
import {regionOf} from './country.js';
import type {Field, NormalizeContext, NormalizeResult, Person, RawPerson, RowErrorCode} from './types.js';

/** zod's own email pattern (what `z.email()` checks), used directly so a row costs one regex test. */
const EMAIL = z.regexes.email;
/** A capital letter in ASCII text: the only characters toLowerCase changes there. */
const ASCII_UPPER = /[A-Z]/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACS_SEPARATORS = /[;|,\s]+/;
/** Between the items of an access-system cell, without the spaces a system's name may hold. */
const ACS_LIST = /[;|,\r\n]+/;

/** An access system's name as it is looked up: any case, spaces as one. */
export function nameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}
const WHITESPACE_RUN = /\s+/g;
const HAS_SPACE_RUN = /\s\s|[\t\n\r\v\f]/;
/** C0 and C1 controls (NEL, U+0085, is a line break to some programs). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1F\x7F-\x9F]/;
/** A number written with its country code ("+61 …", "0061 …"): a country column does not matter to it. */
const INTERNATIONAL = /^\s*(?:\+|00[1-9])/;
/** Longer than any display of a value in a message. */
const SHOW_MAX = 80;

/** C1 controls (NEL), which JSON leaves as they are. */
const C1 = /[\x7F-\x9F]/g;

/** A value in quotes, cut to SHOW_MAX; C1 controls written as \uXXXX. */
function show(value: string): string {
  return quotedShowing(value.length > SHOW_MAX ? `${value.slice(0, SHOW_MAX)}…` : value, C1);
}

function column(ctx: NormalizeContext, field: Field): string {
  return `Column "${ctx.headerOf[field] ?? field}"`;
}

function fail(code: RowErrorCode, field: Field | undefined, message: string): NormalizeResult {
  return field === undefined ? {ok: false, code, message} : {ok: false, code, message, field};
}

/**
 * `="00123"`: how exports (and people) make Excel keep a value as text, leading zeros and all.
 * Excel shows 00123; the value is what is inside.
 */
const EXCEL_TEXT = /^="((?:[^"]|"")*)"$/;

/** `clean`: cleanName for a name (its joiners kept), else cleanText. */
function present(value: string | undefined, clean: (text: string) => string = cleanText): string | undefined {
  if (value === undefined || value === '') return undefined;
  let cleaned = clean(value);
  const text = cleaned.length > 2 && cleaned.charCodeAt(0) === 61 ? EXCEL_TEXT.exec(cleaned) : null;
  if (text) cleaned = clean(text[1]!.replace(/""/g, '"'));
  return cleaned === '' ? undefined : cleaned;
}

/**
 * Without the apostrophe Excel takes as "keep this cell as text" ('00123), which some exports
 * write out. Only for a key and an email: a name may start with one (Gerard 't Hooft).
 */
function withoutTextMark(text: string | undefined): string | undefined {
  // 'ada@example.com' in quotes is unwrapped with the other ways an address is pasted.
  if (text === undefined || text.charCodeAt(0) !== 39 || text.endsWith("'")) return text;
  const rest = text.slice(1).trimStart();
  return rest === '' ? text : rest;
}

/** What Excel shows in a cell whose formula failed (and what a CSV export of it holds). */
const EXCEL_ERROR = /^#(?:N\/A|DIV\/0!|REF!|VALUE!|NAME\?|NUM!|NULL!|SPILL!|CALC!|FIELD!|BLOCKED!|CONNECT!|BUSY!|UNKNOWN!|GETTING_DATA|ERROR)$/i;
/** LibreOffice's and OpenOffice's form of it: Err:502 (invalid argument), Err:522 (circular reference)… */
const CALC_ERROR = /^Err:\d{3}$/;

/**
 * A cell that is not a value: a formula's error (a key "#N/A" would be created as such), or text
 * the file's encoding could not read (U+FFFD).
 */
function cellError(ctx: NormalizeContext, field: Field, text: string): NormalizeResult | undefined {
  if (text.includes('\uFFFD')) {
    return fail(
      'unreadable_text',
      field,
      `${column(ctx, field)} has ${show(text)}: the file's bytes there are not text in its encoding (shown as \uFFFD), so the value cannot be read. Retype it in the spreadsheet (or save the file again as CSV UTF-8), then import again.`,
    );
  }
  const first = text.charCodeAt(0);
  if (!(first === 35 && EXCEL_ERROR.test(text)) && !(first === 69 && CALC_ERROR.test(text))) return undefined;
  return fail(
    'formula_error',
    field,
    `${column(ctx, field)} shows ${text}, the error of a formula in the spreadsheet, not a value. Fix the formula (or type the value) in the spreadsheet, then export again.`,
  );
}

/** Whether `text` is an email address as the import takes it (case aside). */
export function isEmailAddress(text: string): boolean {
  return EMAIL.test(text.toLowerCase());
}

/** "Name <address>", "\"Last, First\" <address>", "<address>": the name holds no "@". */
const NAME_AND_ADDRESS = /^(?:"[^"]*"|[^"<>@]*?)\s*<([^<>\s]+)>$/;
const MAILTO = /^mailto:([^?\s]+)(?:\?.*)?$/;

/** '"a@b.com"', "'a@b.com'", and the curly quotes a word processor puts instead. */
const QUOTED = /^(?:"(.+)"|'(.+)'|\u201C(.+)\u201D|\u2018(.+)\u2019)$/;

/** "Ana Ruiz (ana@x.com)" and Outlook's "ana@x.com (Ana Ruiz)": the name in brackets holds no "@". */
const NAME_IN_BRACKETS = /^[^"<>@()]*?\s*\(([^()\s]+@[^()\s]+)\)$|^([^()\s]+@[^()\s]+)\s*\([^()@]*\)$/;
/** "ana@x.com<mailto:ana@x.com>": an address pasted from Word or Outlook, with its link. */
const WITH_LINK = /^([^<>\s]+@[^<>\s]+)\s*<mailto:([^<>\s?]+)(?:\?[^<>]*)?>$/;
/** "ana@x.com <ana@x.com>": how Outlook and Gmail show an address whose name is the address itself. */
const SELF_NAMED = /^([^<>\s"]+@[^<>\s"]+)\s*<([^<>\s]+@[^<>\s]+)>$/;

/** The address inside quotes or a mail program's form of it, or undefined when `email` is in none of these forms. */
function unwrapEmail(email: string): string | undefined {
  const quoted = QUOTED.exec(email);
  const inside = quoted ? (quoted[1] ?? quoted[2] ?? quoted[3] ?? quoted[4]!).trim() : email;
  const bracketed = NAME_IN_BRACKETS.exec(inside);
  if (bracketed) return bracketed[1] ?? bracketed[2];
  const linked = WITH_LINK.exec(inside);
  // The text and its link the same address; two different ones are not guessed between.
  if (linked) return linked[1]!.toLowerCase() === linked[2]!.toLowerCase() ? linked[1] : undefined;
  const self = SELF_NAMED.exec(inside);
  if (self && self[1]!.toLowerCase() === self[2]!.toLowerCase()) return self[2];
  const named = NAME_AND_ADDRESS.exec(inside);
  const address = named ? named[1]! : inside;
  const mailto = MAILTO.exec(address);
  if (mailto) return mailto[1];
  return named || quoted ? address : undefined;
}

/**
 * A number as a spreadsheet's General format shows it when it is too long for the cell, as a CSV
 * then saves it: Excel's 1.23457E+11, LibreOffice's 9.87654321098765E+016 and 1E+016.
 */
const EXCEL_SCIENTIFIC = /^\d(?:[.,]\d{1,14})?[Ee]\+\d{2,3}$/;

/** Why `email` (cleaned, lowercased) is not an address, as the end of a sentence. */
function emailProblem(email: string, asWritten = email): string {
  if (isPlaceholder(email) || isPlaceholder(asWritten)) {
    return `which stands for "none", not an address. Type the person's address, or empty the cell if they have none (the row then needs a phone number).`;
  }
  const linked = WITH_LINK.exec(email);
  if (linked && linked[1] !== linked[2]) {
    return `which shows one address (${linked[1]}) and links to another (${linked[2]}), as a cell pasted from Word or Outlook can. Type the person's address alone in the cell.`;
  }
  if (email.split(/[;,|/]|\s+/).filter((part) => part.includes('@')).length >= 2) {
    return 'which holds more than one email address; Seam keeps one per person. Leave one address in this column.';
  }
  const at = email.split('@').length - 1;
  // Two or three words, each capitalised, as a name is written ("Aisha Bello"; not "no email on file").
  if (at === 0 && /^\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*){1,2}$/u.test(asWritten.trim())) {
    // "Aisha Bello": a name, perhaps shown by a cell that links to the address (mailto:); the link is not read.
    return 'which is a name, not an email address (there is no "@"). If the cell shows a name that links to the address, type the address itself in the cell.';
  }
  if (/[\r\n]/.test(email.trim())) return 'which has a line break inside (Alt+Enter in Excel); an email address has none. Put the address on one line.';
  // Outlook's contacts export writes an Exchange user's internal address ("EX" type) here.
  if (/^\/o=/i.test(email.trim())) return 'which is an Exchange internal address (Outlook exports it for a colleague in the same organisation), not an email address. Use a column with their SMTP address (Outlook: often "E-mail 2 Address"), or type it here.';
  const around = /^([,;:]+)|([,;:]+)$/.exec(email.trim());
  if (around) {
    const mark = around[1] ?? around[2] ?? '';
    const bare = email.trim().replace(/^[,;:]+|[,;:]+$/g, '');
    if (EMAIL.test(bare)) return `which ${around[1] ? 'starts' : 'ends'} with "${mark}", left from a list of addresses. Remove it: ${bare}.`;
  }
  if (/\s/.test(email)) return 'which has a space inside; an email address has none.';
  if (at === 0) return 'which is not an email address (there is no "@").';
  if (at > 1) return 'which is not an email address (it has more than one "@").';
  if (email.endsWith('.')) return 'which ends with a dot; an email address does not. Remove the dot at the end.';
  const [local = '', domain = ''] = email.split('@');
  if (local === '') return 'which is not an email address (nothing before the "@").';
  if (domain === '') return 'which is not an email address (nothing after the "@").';
  if (email.includes('..')) return 'which is not an email address (it has two dots in a row).';
  if (!domain.includes('.')) return `which is not an email address (the part after "@", "${domain}", has no dot: a domain such as example.com).`;
  if (local.startsWith('.') || local.endsWith('.') || domain.startsWith('.')) return 'which is not an email address (a dot next to the "@" or at the start).';
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1F\x7F]/.test(email)) return 'which is not an email address (it has a control character inside, which does not show).';
  if (/[^\x20-\x7E]/.test(email)) {
    // "ana@bücher.de": the same address has an ASCII form (the domain's international one), which Seam takes.
    // A Cyrillic or Greek letter among Latin ones ("gmаil.com", a Russian keyboard's "а") is a
    // look-alike typed by mistake, not an international domain: named below, not put into ASCII.
    if (!/[^\x20-\x7E]/.test(local) && !domain.split('.').some(lookAlikeLabel)) {
      const ascii = domainToASCII(domain);
      const ending = ascii.split('.').pop() ?? '';
      if (ascii !== '' && EMAIL.test(`${local}@${ascii}`)) {
        return `which Seam does not accept as written: its domain has letters outside ASCII. The same address in ASCII is ${local}@${ascii} (the domain's international form): write that.`;
      }
      if (ending.startsWith('xn--') && EMAIL.test(`${local}@${ascii.slice(0, -ending.length)}com`)) {
        return `which Seam does not accept: its domain ends in ".${ending}" (the ASCII form of ".${domain.split('.').pop() ?? ''}"), ${ENDING_NOT_TAKEN}`;
      }
    }
    const judged = [...email].find((c) => /[^\x20-\x7E]/.test(c)) ?? '';
    const script = /\p{Script=Cyrillic}/u.test(judged) ? 'a Cyrillic letter' : /\p{Script=Greek}/u.test(judged) ? 'a Greek letter' : undefined;
    // As the cell has it ("Ü", not the "ü" of the lowercased address).
    const odd = [...asWritten].find((c) => c.toLowerCase() === judged) ?? judged;
    const code = `U+${odd.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0') ?? ''}`;
    return /[\u2018\u2019]/.test(odd)
      ? `which is not an email address Seam accepts: it has a curly apostrophe (${odd}, ${code}), as autocorrect types it. Write a straight one (') instead.`
      : script !== undefined && /[a-z]/.test(email)
        ? `which is not an email address Seam accepts: it has "${odd}" (${code}, ${script} that looks like a Latin one, typed on another keyboard layout)${local.includes(judged) ? ' before the "@"' : ' in its domain'}. Type it again in Latin letters.`
        : `which is not an email address Seam accepts: it has "${odd}" (${code}), a character outside ASCII${local.includes(judged) ? ' before the "@"' : ''}.`;
  }
  // "info@example.xn--p1ai": a real address, but its ending is not one Seam's check takes.
  if (/\.xn--[a-z0-9-]+$/i.test(domain)) {
    return `which Seam does not accept: its domain ends in ".${domain.split('.').pop() ?? ''}" (a non-Latin ending written in ASCII), ${ENDING_NOT_TAKEN}`;
  }
  return 'which is not an email address.';
}

/** After a domain ending (".рф", ".xn--p1ai") that Seam's email check refuses, though the address is real. */
const ENDING_NOT_TAKEN = "an ending Seam's check does not take. Empty this cell and give the person a phone number, or give another address.";

/** A domain label mixing Latin letters with Cyrillic or Greek ones ("gmаil"): a look-alike, not an international name. */
function lookAlikeLabel(label: string): boolean {
  return /[a-z]/i.test(label) && /[\p{Script=Cyrillic}\p{Script=Greek}]/u.test(label);
}

/**
 * `row`: the data row's number, for the phone answers the check pass hands to the import pass.
 * A row whose email is broken also says what is wrong with its phone, if anything: fixing one
 * and importing again should not meet the other.
 */
export function normalizePerson(raw: RawPerson, ctx: NormalizeContext, row = -1): NormalizeResult {
  const result = normalizeOnce(raw, ctx, row);
  if (result.ok || result.field !== 'email_address' || raw.phone_number === undefined) return result;
  const phone = normalizeOnce({phone_number: raw.phone_number, phone_country: raw.phone_country}, ctx, row);
  if (phone.ok || phone.field !== 'phone_number') return result;
  return {...result, message: `${result.message} Also, ${phone.message.charAt(0).toLowerCase()}${phone.message.slice(1)}`};
}

function normalizeOnce(raw: RawPerson, ctx: NormalizeContext, row: number): NormalizeResult {
  const person: Person = {};

  const emailText = withoutTextMark(present(raw.email_address));
  if (emailText !== undefined) {
    const error = cellError(ctx, 'email_address', emailText);
    if (error) return error;
    // Full-width "＠" and letters from a CJK input method are the same address.
    // toLowerCase only where it changes something (it costs a new string: 90 ns on an address).
    let email = NOT_ASCII.test(emailText) ? foldFullWidth(emailText).toLowerCase() : ASCII_UPPER.test(emailText) ? emailText.toLowerCase() : emailText;
    if (!EMAIL.test(email)) {
      // Pasted from a mail program: "Ada Lovelace <ada@example.com>", "mailto:ada@example.com".
      const address = unwrapEmail(email);
      if (address === undefined || !EMAIL.test(address)) {
        // What is wrong with the address itself, once out of its quotes or "Name <…>".
        return fail('invalid_email', 'email_address', `${column(ctx, 'email_address')} has ${show(emailText)} ${emailProblem(address ?? email, address ?? emailText)}`);
      }
      email = address;
    }
    // At most 64 characters before the "@" and 254 in all (RFC 5321): no mail server takes longer.
    const at = email.indexOf('@');
    if (at > 64 || email.length > 254) {
      const said = at > 64 ? `${at} characters before the "@", at most 64` : `${email.length} characters, at most 254`;
      return fail('invalid_email', 'email_address', `${column(ctx, 'email_address')} has ${show(emailText)} which is longer than an email address can be (${said}).`);
    }
    person.email_address = email;
  }

  const phoneText = present(raw.phone_number);
  if (phoneText !== undefined) {
    const error = cellError(ctx, 'phone_number', phoneText);
    if (error) return error;
    const known = ctx.phones?.recall(row, phoneText);
    if (known !== undefined) {
      person.phone_number = known;
    } else {
      // The row's own country column, where it names a region, over the default.
      const countryText = raw.phone_country?.trim() ?? '';
      const region = countryText === '' ? undefined : regionOf(countryText);
      if (countryText !== '' && region === undefined && !INTERNATIONAL.test(phoneText)) {
        // The row names a country, but not one known here: the default would make the number
        // another country's (a Mexican 55 1234 5616 a valid US one), so it is not guessed.
        return fail(
          'invalid_phone',
          'phone_number',
          `${column(ctx, 'phone_number')} has ${show(phoneText)}, written without + and country code, and column "${ctx.countryHeader ?? 'Country'}" has ${show(countryText)}, which names no country the importer knows, so the number's country cannot be told. Write the number with + and country code, or the country as a name or two-letter code (such as MX).`,
        );
      }
      const phone = region === undefined ? toE164(phoneText, ctx.defaultCountry) : toE164(phoneText, region, ctx.countryHeader);
      if (!phone.ok) {
        const empty = phone.byCountry === true && ctx.countryHeader !== undefined && countryText === '' && !INTERNATIONAL.test(phoneText) ? ` Column "${ctx.countryHeader}" is empty in this row, so ${ctx.defaultCountry} was taken: give its country there.` : '';
        // --default-country was given: not told to pass it again.
        const reason = ctx.defaultCountryGiven === true ? phone.reason.replace(/, or pass --default-country\.$/, ` (--default-country ${ctx.defaultCountry} was given).`) : phone.reason;
        return fail('invalid_phone', 'phone_number', `${column(ctx, 'phone_number')} has ${show(phoneText)} ${reason}${empty}`);
      }
      person.phone_number = phone.e164;
      ctx.phones?.remember(row, phoneText, phone.e164);
    }
  }

  const written = withoutTextMark(present(raw.user_identity_key));
  const key = written === undefined ? undefined : keyForm(written);
  if (key !== undefined) {
    const error = cellError(ctx, 'user_identity_key', key);
    if (error) return error;
    if (CONTROL.test(key)) {
      return fail('invalid_key', 'user_identity_key', `${column(ctx, 'user_identity_key')} has ${show(key)}, which contains a line break or another control character; a key must be one line of text.`);
    }
    // Sent as written, "N/A" made every row that has it one person (duplicates of the first),
    // and Excel's 1.23457E+11 made two badge numbers one.
    if (isPlaceholder(key)) {
      return fail('invalid_key', 'user_identity_key', `${column(ctx, 'user_identity_key')} has ${show(key)}, which stands for "none", not a key. Type the person's key, or empty the cell if they have none (the row is then matched by email and phone).`);
    }
    if (EXCEL_SCIENTIFIC.test(key)) {
      return fail(
        'invalid_key',
        'user_identity_key',
        `${column(ctx, 'user_identity_key')} has ${show(key)}, which the spreadsheet (Excel, LibreOffice) turned into scientific notation; the last digits are lost, so two people's keys can read the same. Format the column as Text in the spreadsheet, type the keys again and export again.`,
      );
    }
    person.user_identity_key = key;
  }

  const nameText = present(raw.full_name, cleanName);
  if (nameText !== undefined) {
    const error = cellError(ctx, 'full_name', nameText);
    if (error) return error;
    const name = HAS_SPACE_RUN.test(nameText) ? nameText.replace(WHITESPACE_RUN, ' ') : nameText;
    if (CONTROL.test(name)) {
      return fail('invalid_name', 'full_name', `${column(ctx, 'full_name')} has ${show(name)}, which contains a control character; remove it.`);
    }
    // "Jose\u0301" and "José" look the same but are different strings: send the composed form.
    person.full_name = NOT_ASCII.test(name) ? name.normalize('NFC') : name;
  }

  const acsText = present(raw.acs_system_ids);
  let acs: string[] | undefined;
  if (acsText !== undefined) {
    acs = [];
    // A system's name where its id belongs ("Main Entrance"): taken when one system has it. Names
    // may hold spaces (and, rarely, commas: the whole cell is tried first), so items are split on
    // ";", "|" and "," first, then ids on spaces too.
    const names = ctx.acsSystemNames;
    const whole = names?.get(nameKey(acsText));
    for (const item of whole ? [acsText] : acsText.split(ACS_LIST)) {
      const name = item.trim();
      const named = whole ?? (names && name !== '' && !UUID.test(name) ? names.get(nameKey(name)) : undefined);
      if (named && named.length > 1) {
        return fail('invalid_acs_system_id', 'acs_system_ids', `${column(ctx, 'acs_system_ids')} has ${show(name)}, the name of ${named.length} access systems of this workspace (${named.join(', ')}). Put the id of the one meant in the cell.`);
      }
      for (const part of named ? named : item.split(ACS_SEPARATORS)) {
        if (part === '') continue;
        if (!UUID.test(part)) {
          // The whole item is what was not found ("Front Door", not "Front").
          return fail(
            'invalid_acs_system_id',
            'acs_system_ids',
            `${column(ctx, 'acs_system_ids')} has ${show(name)}, which is not an access system id (a UUID such as 7d1c4f2e-0b5a-4c3e-9f1a-2b3c4d5e6f70)${
              names ? " nor the name of one of this workspace's" : "; a system's name is read as its id only when the workspace is looked up (with credentials)"
            }. Separate several with ";".`,
          );
        }
        const id = part.toLowerCase();
        if (ctx.knownAcsSystems !== undefined && !ctx.knownAcsSystems.has(id)) {
          return fail('unknown_acs_system', 'acs_system_ids', `${column(ctx, 'acs_system_ids')} has ${show(part)}, which is not an access system of this workspace. Check the id in Seam (acs/systems/list).`);
        }
        if (!acs.includes(id)) acs.push(id);
      }
    }
  }
  if (ctx.extraAcsSystemIds.length > 0) {
    acs ??= [];
    for (const extra of ctx.extraAcsSystemIds) {
      const id = extra.toLowerCase();
      if (!acs.includes(id)) acs.push(id);
    }
  }
  if (acs !== undefined && acs.length > 0) person.acs_system_ids = acs;

  if (person.email_address === undefined && person.phone_number === undefined) {
    const where = [ctx.headerOf.email_address, ctx.headerOf.phone_number]
      .filter((h): h is string => h !== undefined)
      .map((h) => `"${h}"`)
      .join(' and ');
    return fail(
      'missing_contact',
      undefined,
      `This row has no email address and no phone number${where === '' ? '' : ` (${where} ${where.includes(' and ') ? 'are' : 'is'} empty)`}; Seam needs one of them to reach the person.`,
    );
  }
  return {ok: true, person};
}
