/**
 * Which column holds which field.
 *
 * Headers match as WHOLE headers after normalization (case, spaces, "-", "_", "." and invisible
 * characters ignored), never as substrings: "Email consent" is not the email and "Phone type" is
 * not the phone. `--map` wins over aliases.
 *
 * Deliberately NOT matched automatically (carried through; `--map` them if meant):
 * - "ID", "User ID", "Username": in a building's export these are often a row number or the old
 *   system's id, and two buildings with IDs 1..500 imported into one workspace would clash on
 *   every key. A key mapped by mistake turns people into conflicts; a key not mapped costs nothing
 *   (dedupe still works on email and phone).
 * - "Key": in property management a "Key" column is as likely a physical key or fob number, which
 *   housemates share: they would become duplicates, i.e. people not created.
 * - "Work phone", "Home phone", "Fax": desk lines, usually not where a person gets a code.
 */
import {cleanHeader, cleanText, isPlaceholder, NOT_ASCII} from './clean.js';
import {ImportError} from './errors.js';
import {isEmailAddress} from './normalize.js';
import {labelledLineNumber, looksLikePhoneNumber, toE164} from './phone.js';
import type {CountryCode} from 'libphonenumber-js';
import {FIELDS, MAP_TARGETS, RESULT_COLUMNS, type ColumnMap, type ColumnMapping, type Field, type RawPerson, type RawRow, type ResultColumn, type MapTarget} from './types.js';

type Target = Field | 'first_name' | 'last_name';

/** Normalized header → target. Keys are written already normalized (lowercase, no separators). */
const ALIASES: ReadonlyMap<string, Target> = new Map<string, Target>([
  ...pairs('user_identity_key', [
    'useridentitykey', 'identitykey', 'userkey', 'personkey',
    'employeeid', 'employeenumber', 'employeeno', 'employee#', 'empid', 'emp#', 'empno', 'staffid', 'staffnumber', 'personnelnumber',
    'residentid', 'tenantid', 'memberid', 'externalid', 'badgeid', 'badgenumber', 'badgeno', 'badge#', 'personid', 'uniqueid',
    'personalnummer', 'mitarbeiternummer',
    // ADP's person number.
    'associateid',
    // Other languages' employee numbers (French, Spanish, Italian, Dutch, Russian, Japanese, Chinese, Korean).
    'matricule', 'numéroemployé', 'numeroemploye', 'númerodeempleado', 'numerodeempleado', 'legajo', 'matricola',
    'personeelsnummer', 'табельныйномер', '社員番号', '従業員番号', '员工编号', '工号', '사번', '사원번호',
    'nºempleado', 'noempleado', 'numempleado', 'mitarbeiterid', '員工編號', '员工号',
  ]),
  ...pairs('email_address', [
    'emailaddress', 'email', 'mail', 'emailaddr', 'mailaddress', 'workemail', 'primaryemail', 'businessemail',
    'contactemail', 'residentemail', 'tenantemail', 'employeeemail', 'memberemail', 'useremail', 'personalemail',
    // BambooHR's "Home Email", a vCard converter's "Email (Home)", "Private Email": taken only where no other is.
    'homeemail', 'emailhome', 'homeemailaddress', 'privateemail', 'emailprivate', 'privateemailaddress', 'emailpersonaladdress',
    'emailadresse', 'mailadresse',
    // "Email ID" (India), "Email (Work)", plurals (AppFolio's "Emails"), "… Email Address" forms.
    'emailid', 'emails', 'emailaddresses', 'emailwork', 'emailprimary', 'emailbusiness', 'emailpersonal',
    'workemailaddress', 'primaryemailaddress', 'businessemailaddress', 'contactemailaddress', 'residentemailaddress',
    'tenantemailaddress', 'employeeemailaddress', 'memberemailaddress', 'useremailaddress', 'personalemailaddress',
    // Workday: "Email - Primary Work", "Primary Work Email".
    'emailprimarywork', 'primaryworkemail', 'primaryworkemailaddress',
    // Other languages: Spanish, French, Italian, Dutch, Nordic, Turkish, Russian, Japanese, Chinese, Korean.
    'correo', 'correoelectrónico', 'correoelectronico', 'courriel', 'adressecourriel', 'adresseemail', 'adressemail',
    'adresseélectronique', 'indirizzoemail', 'postaelettronica', 'emailadres', 'epost', 'eposta', 'sähköposti', 'почта',
    'электроннаяпочта', 'メールアドレス', 'メール', '電子メール', 'eメール', '邮箱', '电子邮件', '电子邮箱', '邮箱地址', '電子郵件',
    '이메일', '이메일주소', '전자메일',
    // Greek, Arabic, Hebrew, Vietnamese, Indonesian/Malay, Thai, Hindi, Turkish, Polish, Czech, Hungarian, Ukrainian.
    'ηλεκτρονικόταχυδρομείο', 'διεύθυνσηemail', 'البريدالإلكتروني', 'البريدالالكتروني', 'بريدإلكتروني', 'الإيميل',
    'الايميل', 'אימייל', 'דואראלקטרוני', 'כתובתמייל', 'מייל', 'thưđiệntử', 'địachỉemail', 'surel', 'alamatemail',
    'อีเมล', 'อีเมล์', 'ईमेल', 'ईमेलपता', 'epostaadresi', 'adresemail', 'emailováadresa', 'emailcím',
    'електроннапошта', 'електроннаадреса',
  ]),
  ...pairs('phone_number', [
    'phonenumber', 'phone', 'phoneno', 'phone#', 'mobile', 'mobilephone', 'mobilenumber', 'mobileno', 'mobile#',
    'cell', 'cellphone', 'cellnumber', 'cell#', 'telephone', 'telephonenumber', 'tel', 'telno', 'sms', 'smsnumber',
    'primaryphone', 'contactphone', 'contactnumber', 'mobilephonenumber', 'cellphonenumber', 'residentphone',
    'tenantphone', 'residentmobile', 'tenantmobile', 'telefon', 'telefonnummer', 'handy', 'handynummer', 'mobil',
    'mobilnummer', 'mobiltelefon',
    // "Phone (Mobile)", "Cell Phone #", "… Phone Number" forms.
    // Not the plurals ("Phone Numbers"): such a column holds several, labelled ("Mobile: …, Home: …").
    'phonemobile', 'phonecell', 'cellphone#', 'mobilephone#',
    // "Contact No.", "Mobile Num", "Tel. No." (the "." goes with the separators).
    'contactno', 'contactnum', 'cellno', 'telephoneno', 'phonenum', 'mobilenum', 'cellnum', 'telnum',
    'cellular', 'cellularphone', 'cellularnumber', 'mobiletelephone', 'mobiletel', 'primaryphonenumber',
    'contactphonenumber', 'residentphonenumber', 'tenantphonenumber', 'residentcellphone', 'tenantcellphone',
    'residentmobilephone', 'tenantmobilephone', 'personalmobile', 'workmobile', 'businessmobile', 'mobilepersonal',
    'cellpersonal', 'personalcell',
    // Workday: "Primary Work Mobile Phone", "Phone - Primary Mobile".
    'primaryworkmobilephone', 'primaryworkmobile', 'primarymobilephone', 'primarymobile', 'phoneprimarymobile', 'mobileprimary',
    // Other languages: Spanish, French, Portuguese, Italian, Dutch, Finnish, Russian, Japanese, Chinese, Korean.
    'celular', 'númerodecelular', 'numerodecelular', 'teléfono', 'telefono', 'teléfonomóvil', 'telefonomovil', 'móvil', 'movil',
    'téléphone', 'téléphoneportable', 'numérodetéléphone', 'numerodetelephone', 'telefone', 'telemóvel', 'telemovel',
    'cellulare', 'numeroditelefono', 'telefoon', 'telefoonnummer', 'mobiel', 'mobielnummer', 'puhelin', 'matkapuhelin',
    'телефон', 'мобильный', 'мобильныйтелефон', 'номертелефона', '電話番号', '電話', '携帯電話', '携帯', '携帯番号', '携帯電話番号',
    '手机', '手机号', '手机号码', '电话', '电话号码', '联系电话', '手機', '電話號碼', '휴대폰', '휴대전화', '전화번호', '핸드폰', '휴대폰번호',
    // Greek, Arabic, Hebrew, Vietnamese (SĐT), Indonesian/Malay (HP: handphone), Thai, Hindi, Turkish (Cep), Belgian and Turkish GSM, Polish, Czech, Hungarian, Romanian, Ukrainian, "Nr." forms.
    'κινητό', 'κινητότηλέφωνο', 'τηλέφωνο', 'αριθμόςτηλεφώνου', 'τηλ', 'الجوال', 'جوال', 'رقمالجوال', 'الهاتف', 'هاتف',
    'رقمالهاتف', 'الموبايل', 'موبايل', 'رقمالموبايل', 'الهاتفالمحمول', 'هاتفمحمول', 'محمول', 'טלפון', 'טלפוןנייד',
    'נייד', 'מספרטלפון', 'פלאפון', 'sốđiệnthoại', 'điệnthoại', 'diđộng', 'sốdiđộng', 'sđt', 'sdt', 'nomorhp', 'nohp',
    'nomortelepon', 'notelepon', 'telepon', 'ponsel', 'nomorponsel', 'notel', 'nombortelefon', 'telefonbimbit',
    'เบอร์โทรศัพท์', 'โทรศัพท์', 'เบอร์โทร', 'มือถือ', 'เบอร์มือถือ', 'หมายเลขโทรศัพท์', 'मोबाइल', 'मोबाइलनंबर',
    'फ़ोन', 'फोन', 'फ़ोननंबर', 'फोननंबर', 'दूरभाष', 'ceptelefonu', 'ceptel', 'cepno', 'telefonnumarası', 'gsm', 'gsmnummer',
    'komórka', 'numertelefonu', 'telefonkomórkowy', 'telefonníčíslo', 'číslotelefonu', 'telefonszám', 'mobilszám',
    'numărdetelefon', 'мобільний', 'номертелефону', 'мобільнийтелефон', 'telefonnr', 'handynr', 'mobilnr', 'telnr',
    'numerodicellulare', 'númerodetelefone',
  ]),
  ...pairs('full_name', [
    'fullname', 'name', 'displayname', 'residentname', 'tenantname', 'employeename', 'person', 'personname',
    'contactname', 'membername', 'occupantname',
    // Not "Tenant" or "Resident" alone: in an office building's list that is the company.
    'legalname',
    // Other languages: Spanish, French, Portuguese, Dutch, Finnish, Russian, Japanese, Chinese, Korean.
    'nombrecompleto', 'nomcomplet', 'nomecompleto', 'volledigenaam', 'nimi', 'фио', 'полноеимя', '氏名', '名前', '姓名', '이름', '성명',
    // Workday's "Worker"; Polish "Imię i nazwisko".
    'worker', 'imięinazwisko', 'imieinazwisko',
    // Greek, Arabic, Hebrew, Vietnamese, Indonesian/Malay, Thai, Hindi, Turkish.
    'ονοματεπώνυμο', 'الاسم', 'الاسمالكامل', 'שםמלא', 'họvàtên', 'họtên', 'nama', 'namalengkap', 'ชื่อนามสกุล',
    'पूरानाम', 'नाम', 'adsoyad', 'adısoyadı', 'i̇sim', 'isim',
  ]),
  // "Nombre", "Nome", "Nom" alone are the whole name in many files: a first or last name column alone
  // is taken as the full name, so they work both ways. 姓 + 名 (Chinese, Japanese) are joined family
  // name first, as those names are written (FAMILY_FIRST).
  ...pairs('first_name', ['firstname', 'givenname', 'forename', 'first', 'vorname', 'legalfirstname', 'prénom', 'prenom', 'nombre', 'nome', 'voornaam', 'имя', 'etunimi', '名',
    // Workday's "Legal Name - First Name"; Polish.
    'legalnamefirstname', 'imię', 'imie',
    // Greek, Hebrew, Vietnamese, Thai, Turkish.
    'όνομα', 'שםפרטי', 'tên', 'ชื่อ', 'adı', 'ad']),
  ...pairs('last_name', ['lastname', 'surname', 'familyname', 'last', 'nachname', 'familienname', 'legallastname', 'apellido', 'apellidos', 'nom', 'cognome', 'sobrenome', 'achternaam', 'фамилия', 'sukunimi', '姓', '苗字', '성',
    // Workday; Polish; Portugal's "Apelido"; Spanish payroll's first surname (the second is joined after it, NAME_SUFFIX).
    'legalnamelastname', 'nazwisko', 'apelido', 'primerapellido', 'apellidopaterno',
    // Greek, Hebrew, Vietnamese, Thai, Turkish.
    'επώνυμο', 'שםמשפחה', 'họ', 'นามสกุล', 'soyadı', 'soyad', 'soyisim']),
  ...pairs('acs_system_ids', [
    'acssystemids', 'acssystemid', 'acssystems', 'acssystem', 'accesssystems', 'accesssystemids', 'accesssystemid',
  ]),
]);

/** Headers of a country column (normalized), read as the region of the row's phone number. */
const COUNTRY_HEADERS: ReadonlySet<string> = new Set([
  'country', 'countrycode', 'countryregion', 'countryorregion', 'isocountry', 'countryiso', 'phonecountry', 'mobilecountry',
  'workcountry', 'homecountry', 'residencecountry', 'countryofresidence', 'locationcountry', 'addresscountry',
  // Outlook's contacts export: "Business Country/Region", "Home Country/Region".
  'businesscountryregion', 'homecountryregion', 'businesscountry', 'officecountry',
  // Salesforce's contacts ("Mailing Country"), Google Contacts' "Address 1 - Country", Entra's "usageLocation".
  'mailingcountry', 'othercountry', 'address1country', 'usagelocation', 'countryname',
  'país', 'pais', 'pays', 'paese', 'land', 'страна', '国', '国家', '국가',
]);

/** A middle name's and a name suffix's headers, joined into the name with first + last. */
/** Also the Dutch "Tussenvoegsel" ("van der"), which goes between the first and the family name. */
const MIDDLE_NAME: ReadonlySet<string> = new Set(['middlename', 'middle', 'middleinitial', 'middlenames', 'secondname', 'tussenvoegsel']);
/** Also a Spanish second surname ("Segundo Apellido", "Apellido Materno"), which follows the first. */
const NAME_SUFFIX: ReadonlySet<string> = new Set(['suffix', 'namesuffix', 'generationalsuffix', 'segundoapellido', 'apellidomaterno']);

/** Whether the header names a column of countries ("Country", "País"). */
export function isCountryHeader(header: string): boolean {
  return COUNTRY_HEADERS.has(normalizeHeader(header));
}

/** The name's columns in the order the name is written. */
export function namePartColumns(parts: NonNullable<ColumnMapping['nameParts']>): number[] {
  if (parts.familyFirst) return [parts.last, parts.middle, parts.first].filter((i): i is number => i !== undefined);
  return [parts.first, parts.middle, parts.last, parts.suffix].filter((i): i is number => i !== undefined);
}

/** Family-name headers of languages that write the family name first: 山田 + 太郎 is 山田太郎. */
const FAMILY_FIRST: ReadonlySet<string> = new Set(['姓', '苗字', '성', 'họ']);
/** The middle name of a name written family name first (Vietnamese "Tên đệm", "Tên lót"). */
const FAMILY_FIRST_MIDDLE: ReadonlySet<string> = new Set(['tênđệm', 'tênlót', 'tendem', 'tenlot']);

/**
 * Name parts that name a person only beside their partner: Turkish "Ad" + "Soyad", Vietnamese
 * "Họ" + "Tên". Alone, a first or last name column is taken as the whole name ("Nombre"), but
 * these alone are half of it (the surname "Yılmaz" for "Ayşe Yılmaz"), and "AD" alone is as
 * likely a directory account: not read.
 */
const PAIRED_ONLY: ReadonlySet<string> = new Set(['ad', 'adı', 'soyad', 'soyadı', 'soyisim', 'tên', 'họ']);

/** A whole-name header that, beside this family-name header, is the given name: 김 + 민수, İsim + Soyisim. */
const TURKISH_SURNAME: ReadonlySet<string> = new Set(['soyisim', 'soyad', 'soyadı']);
const GIVEN_BESIDE: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['이름', new Set(['성'])],
  // "İsim" lowercases to "i̇sim" (a dot above kept): both spellings.
  ['isim', TURKISH_SURNAME],
  ['i̇sim', TURKISH_SURNAME],
]);

/** The plain names of a field, preferred to a qualified one ("Mobile" to "Work Mobile"). */
const PLAIN: ReadonlySet<string> = new Set([
  'email', 'mail', 'emailaddress', 'phone', 'phonenumber', 'mobile', 'mobilephone', 'mobilenumber', 'cell', 'cellphone', 'telephone',
  'name', 'fullname', 'firstname', 'lastname',
]);

/**
 * A mobile's headers, in every language the aliases cover. The phone Seam keeps is for texts and
 * mobile keys: where a file has a "Phone" beside a "Mobile", the "Phone" is most often a desk line
 * or a company's switchboard (Salesforce, Microsoft 365 and Workday exports), which people share,
 * so it would make them duplicates of one another.
 */
const MOBILE =
  /mobil|mobiel|cell|celular|matkapuhelin|handy|sms|móvil|movil|portable|telemóvel|telemovel|мобильн|мобільн|携帯|手机|手機|휴대|핸드폰|κινητ|جوال|موبايل|محمول|נייד|פלאפון|diđộng|^(?:nomor|no)?hp$|ponsel|bimbit|มือถือ|मोबाइल|^cep(?:telefon|tel|no)|gsm|komórk/;

/** Lower is preferred among a field's columns: its own name, then (phones) mobiles, then plain names. */
function rankOfHeader(target: Target, header: string, n: string): number {
  // Only the field's name as written ("phone_number"): "Phone Number" is also Microsoft 365's desk line.
  if (header.toLowerCase() === target) return 0;
  if (target === 'phone_number') {
    if (MOBILE.test(n)) return PLAIN.has(n) ? 1 : 2;
    return PLAIN.has(n) ? 3 : 4;
  }
  // A person's number (employee, resident, member) before a system's (a person id, an external id),
  // and both before a card's: a badge number is unique only within its facility code, and badge
  // 4512 of two sites made two people one (Genea and Brivo exports list "Badge Number" first).
  if (target === 'user_identity_key') return n === normalizeHeader(target) ? 0 : BADGE_KEY.has(n) ? 3 : SYSTEM_KEY.has(n) ? 2 : 1;
  // A work address before a home one, wherever they stand: Gusto and BambooHR list "Personal
  // Email" first, and every employee's building access went to their private mailbox.
  if (target === 'email_address' && PERSONAL_EMAIL.test(n)) return 3;
  return n === normalizeHeader(target) ? 0 : PLAIN.has(n) ? 1 : 2;
}

/** An email header that says the address is a private one. */
const PERSONAL_EMAIL = /personal|home|private|privat/;

/** Key headers that number a card, not a person. */
const BADGE_KEY: ReadonlySet<string> = new Set(['badgeid', 'badgenumber', 'badgeno', 'badge#']);
/** Key headers a system gives every record, whoever it is: a person's own number comes first. */
const SYSTEM_KEY: ReadonlySet<string> = new Set(['personid', 'uniqueid', 'externalid']);

/** Headers we leave alone on purpose, with the field a user probably meant. */
const AMBIGUOUS: ReadonlyMap<string, Field> = new Map([
  ['id', 'user_identity_key'],
  ['userid', 'user_identity_key'],
  ['username', 'user_identity_key'],
  ['key', 'user_identity_key'],
]);

function pairs(target: Target, names: string[]): Array<[string, Target]> {
  return names.map((name) => [name, target]);
}

const SEPARATORS = /[\s\-_./\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]+/g;
/** Marks around a header's words that say nothing of its field: "Email *" (required), "Phone:", "Email (Work)". */
const MARKS = /[*:()[\]]+/g;
/**
 * A bracketed note after the header's words, as Google Workspace's user export writes them:
 * "Email Address [Required]", "Last Sign In [READ ONLY]", "Recovery Phone [MUST BE IN THE E.164 FORMAT]".
 * Only these: "Phone [Mobile]" and "Phone [Home]" say which phone.
 */
const NOTE = /\s*\[(?:required|read only|upload only|optional|must be [^\]]*)\]\s*$/i;

/** ADP Workforce Now's group before a contact header: "Work Contact: Work Email", "Personal Contact: Personal Mobile". */
const CONTACT_GROUP = /^(?:work|personal)\s+contact\s*:\s*(?=\S)/i;

/**
 * "E-Mail Address" → "emailaddress"; "Email *" → "email"; "Phone (Mobile)" → "phonemobile";
 * "Country/Region" → "countryregion"; "First Name [Required]" → "firstname"; "Work Contact: Work Email" → "workemail".
 */
export function normalizeHeader(header: string): string {
  // A Mac writes "é" as e and a combining accent (NFD): composed, "Téléphone portable" is one
  // header however it was saved (the results file keeps it as it was).
  const composed = NOT_ASCII.test(header) ? header.normalize('NFC') : header;
  const noted = NOTE.test(composed) ? composed.replace(NOTE, '') : composed;
  const words = CONTACT_GROUP.test(noted) ? noted.replace(CONTACT_GROUP, '') : noted;
  return (words === '' ? header : words).toLowerCase().replace(SEPARATORS, '').replace(MARKS, '');
}

const RESULT_SET: ReadonlySet<string> = new Set(RESULT_COLUMNS);
const FIELD_SET: ReadonlySet<string> = new Set(FIELDS);

function isTarget(name: string): name is Target {
  return FIELD_SET.has(name) || name === 'first_name' || name === 'last_name';
}

/** A header as one line, for messages: Excel's wrapped headers ("E-mail⏎Address") hold line breaks. */
function oneLine(header: string): string {
  return /[\r\n\t]/.test(header) ? header.replace(/\s*[\r\n\t]+\s*/g, ' ') : header;
}

function quoteList(headers: readonly string[]): string {
  const shown = headers.map((h) => `"${oneLine(h)}"`);
  return shown.length === 0 ? '(none)' : shown.join(', ');
}

/**
 * @param headers the header row as read (display text)
 * @param map `--map field=Header`: wins over aliases; also accepts `first_name` / `last_name`
 */
export function mapColumns(headers: string[], map?: ColumnMap): ColumnMapping {
  const clean = headers.map((h) => cleanHeader(h));
  const norm = clean.map((h) => normalizeHeader(h));
  const results: Partial<Record<ResultColumn, number>> = {};
  const passthrough: number[] = [];
  clean.forEach((h, i) => {
    if (RESULT_SET.has(h)) {
      const col = h as ResultColumn;
      if (results[col] === undefined) results[col] = i;
    } else {
      passthrough.push(i);
    }
  });

  const chosen = new Map<Target, number>();
  const claimed = new Set<number>();
  /** `--map phone_number=none`: the field is read from no column, whatever the headers say (a switchboard "Phone" everyone shares). */
  const off = new Set<MapTarget>();
  /** `--map country=<header>`: the column giving the region of phones written without "+". */
  let countryMapped: number | undefined;

  for (const [target, wanted] of Object.entries(map ?? {}) as Array<[string, string | undefined]>) {
    if (wanted === undefined) continue;
    if (!isTarget(target) && target !== 'country') {
      throw new ImportError('usage', `--map ${target}=… names no field. Fields: ${MAP_TARGETS.join(', ')}.`);
    }
    if (wanted.trim().toLowerCase() === 'none') {
      // A column headed "None" would be taken for the word: said, not guessed.
      const named = findHeader(clean, norm, wanted);
      if (named !== undefined) {
        throw new ImportError('usage', `--map ${target}=${wanted}: "none" reads ${target} from no column, but the file has a column "${clean[named]}". To read ${target} from it, rename that column in the header row and pass --map ${target}= with its new name.`);
      }
      off.add(target);
      continue;
    }
    const index = findHeader(clean, norm, wanted);
    if (index === undefined) {
      throw new ImportError(
        'unknown_column',
        `--map ${target}="${wanted}": the file has no column "${wanted}". Columns found: ${quoteList(clean)}.`,
        {hint: 'Use a header exactly as it appears in the header row (one of the columns found).'},
      );
    }
    claimed.add(index);
    if (target === 'country') countryMapped = index;
    else chosen.set(target, index);
  }

  // Aliases: the field's own name wins, then a plain name ("Email", "Mobile"), then any other alias
  // ("Work Mobile", "Email (Work)"); among equals, the first column. For the phone, a mobile comes
  // before any other phone (rankOfHeader).
  const matches = new Map<Target, number[]>();
  const rankOf = new Map<Target, number>();
  for (let i = 0; i < norm.length; i++) {
    const n = norm[i] ?? '';
    if (n === '' || claimed.has(i) || RESULT_SET.has(clean[i] ?? '')) continue;
    const target = ALIASES.get(n);
    // No name (--map full_name=none): nor one joined from First + Last, unless they are --map'd.
    if (target === undefined || off.has(target) || (off.has('full_name') && (target === 'first_name' || target === 'last_name'))) continue;
    matches.set(target, [...(matches.get(target) ?? []), i]);
    if (mappedByUser(map, target)) continue;
    const rank = rankOfHeader(target, clean[i] ?? '', n);
    if (!chosen.has(target) || rank < (rankOf.get(target) ?? 9)) {
      chosen.set(target, i);
      rankOf.set(target, rank);
    }
  }

  const fields: Partial<Record<Field, number>> = {};
  for (const field of FIELDS) {
    const index = chosen.get(field);
    if (index !== undefined) fields[field] = index;
  }
  let first = chosen.get('first_name');
  let last = chosen.get('last_name');
  // --map first_name / last_name is what the person asked for: a name column found by its header
  // does not override it (only --map full_name does). A plain "Name" beside one part is the other
  // part: beside one mapped ("Name" + --map last_name=Surname), or beside German "Vorname" (whose
  // "Name" is the family name; "Name" alone was sent). Beside both parts mapped, it is used where
  // they are empty; beside one, a "Full Name" column is the name, as the Columns line says.
  let namePartsFirst = false;
  const partMapped = mappedByUser(map, 'first_name') || mappedByUser(map, 'last_name');
  const found = mappedByUser(map, 'full_name') ? undefined : fields.full_name;
  if (found !== undefined && (first === undefined) !== (last === undefined) && norm[found] === 'name' && (partMapped || norm[first ?? -1] === 'vorname')) {
    if (first === undefined) first = found;
    else last = found;
    delete fields.full_name;
  } else if (found !== undefined && partMapped && first !== undefined && last !== undefined) namePartsFirst = true;
  // Korean files pair 성 (family name) with 이름, which alone means "name" but beside 성 is the
  // given name: 김 + 민수 is 김민수, not a person named 민수.
  // Turkish "İsim" beside "Soyisim" likewise.
  if (first === undefined && last !== undefined && fields.full_name !== undefined && GIVEN_BESIDE.get(norm[fields.full_name] ?? '')?.has(norm[last] ?? '') === true && !mappedByUser(map, 'full_name')) {
    first = fields.full_name;
    delete fields.full_name;
  }
  /** The first column headed by one of `names` that no field took (a middle name, a suffix, a country). */
  const free = (names: ReadonlySet<string>): number => norm.findIndex((n, i) => names.has(n) && !claimed.has(i) && !RESULT_SET.has(clean[i] ?? ''));
  let nameParts: ColumnMapping['nameParts'];
  if (first !== undefined && last !== undefined) {
    nameParts = FAMILY_FIRST.has(norm[last] ?? '') ? {first, last, familyFirst: true} : {first, last};
    if (nameParts.familyFirst) {
      // Vietnamese: Họ + Tên đệm + Tên, "Nguyễn Văn An".
      const middle = free(FAMILY_FIRST_MIDDLE);
      if (middle !== -1) nameParts.middle = middle;
    } else {
      // Outlook's and Google's contacts exports: "Samuel" + "L." + "Okafor" + "Jr." — a father and
      // son in one unit are told apart by it.
      const middle = free(MIDDLE_NAME);
      const suffix = free(NAME_SUFFIX);
      if (middle !== -1) nameParts.middle = middle;
      if (suffix !== -1) nameParts.suffix = suffix;
    }
  }
  else if (fields.full_name === undefined) {
    if (first !== undefined && !PAIRED_ONLY.has(norm[first] ?? '')) fields.full_name = first;
    else if (last !== undefined && !PAIRED_ONLY.has(norm[last] ?? '')) fields.full_name = last;
  }

  if (fields.email_address === undefined && fields.phone_number === undefined) {
    if (off.has('email_address') && off.has('phone_number')) {
      throw new ImportError('usage', '--map email_address=none and --map phone_number=none leave no column for an email address or a phone number: a person needs one of them.');
    }
    const candidate = clean.find((h, i) => h !== '' && !RESULT_SET.has(h) && !claimed.has(i)) ?? 'Header';
    throw new ImportError(
      'no_contact_column',
      `No column holds an email address or a phone number. Columns found: ${quoteList(clean)}.`,
      {hint: `Name the column to use, e.g. --map email_address="${candidate}" or --map phone_number="${candidate}".`},
    );
  }

  const describe: string[] = [];
  const parts = nameParts && namePartColumns(nameParts).map((i) => `"${oneLine(clean[i] ?? '')}"`).join(' + ');
  for (const field of FIELDS) {
    const index = fields[field];
    if (index !== undefined) {
      if (field === 'full_name' && parts && namePartsFirst) describe.push(`${parts} → full_name ("${oneLine(clean[index] ?? '')}" where they are empty)`);
      else describe.push(`"${oneLine(clean[index] ?? '')}" → ${field}${field === 'full_name' && parts ? ` (${parts} where it is empty)` : ''}`);
    } else if (field === 'full_name' && parts) {
      describe.push(`${parts} → full_name`);
    }
  }
  // A second key column is said too: which of them the person's key is, only the person knows.
  for (const i of matches.get('user_identity_key') ?? []) {
    if (i === fields.user_identity_key || fields.user_identity_key === undefined || mappedByUser(map, 'user_identity_key')) continue;
    describe.push(`"${oneLine(clean[i] ?? '')}" is not used: user_identity_key comes from "${oneLine(clean[fields.user_identity_key] ?? '')}" (pass --map user_identity_key="${oneLine(clean[i] ?? '')}" to use it instead)`);
  }
  // A "Badge" column where no key column is read: it may number people, or say whether they have a
  // badge (Yes/No), so it is not taken; but it is said, with the --map that takes it.
  if (fields.user_identity_key === undefined && !mappedByUser(map, 'user_identity_key')) {
    const badge = clean.findIndex((header) => normalizeHeader(header) === 'badge');
    if (badge >= 0) describe.push(`"${oneLine(clean[badge] ?? '')}" is not used: no column is read as user_identity_key (if it numbers people, pass --map user_identity_key="${oneLine(clean[badge] ?? '')}")`);
  }
  // A second email or phone column is said, not silently left out.
  const unused: NonNullable<ColumnMapping['unused']> = {};
  for (const field of ['email_address', 'phone_number'] as const) {
    for (const i of matches.get(field) ?? []) {
      if (i === fields[field]) continue;
      (unused[field] ??= []).push(i);
      const header = oneLine(clean[i] ?? '');
      const used = oneLine(clean[fields[field] ?? i] ?? '');
      const alike = (matches.get(field) ?? []).filter((j) => clean[j] === clean[i]);
      if (header !== used && alike.length > 1) {
        // Two unused columns with one header (beside a --map'd one): --map cannot reach either; said once.
        if (alike[0] === i) {
          describe.push(`"${header}" (columns ${alike.map((j) => j + 1).join(' and ')}) is not used: ${field} comes from "${used}". To use one of them instead, rename it in the header row and pass --map ${field}= with its new name`);
        }
      } else if (header === used) {
        // Two columns with one header: --map cannot tell them apart.
        describe.push(`A second "${header}" column (column ${i + 1}) is not used: ${field} comes from the first "${used}" column (column ${(fields[field] ?? i) + 1}). To use the second, rename one of them in the header row and pass --map ${field}= with its new name`);
      } else {
        describe.push(`"${header}" is not used: ${field} comes from "${used}" (pass --map ${field}="${header}" to use it instead)`);
      }
    }
  }
  for (const target of off) describe.push(`${target === 'country' ? 'The phone region' : target}: read from no column (--map ${target}=none)`);
  if (fields.full_name === undefined && !nameParts && !off.has('full_name')) {
    describe.push('No name column: people are created without a name (pass --map full_name="…", or --map first_name="…" --map last_name="…")');
  }
  if (fields.user_identity_key === undefined) {
    const ambiguous = norm.findIndex((n, i) => AMBIGUOUS.has(n) && !claimed.has(i));
    if (ambiguous !== -1) {
      describe.push(`"${clean[ambiguous] ?? ''}" is not used as user_identity_key (pass --map user_identity_key="${clean[ambiguous] ?? ''}" to use it)`);
    }
  }
  // A country column (an HR export's "Country", "Work Country"): the region of the row's phone
  // when it is written without "+". A file of several countries otherwise reads every national
  // number as the default country's, and an Australian 0412 345 678 becomes a valid French number.
  const phoneCountry = fields.phone_number === undefined || off.has('country') ? -1 : (countryMapped ?? free(COUNTRY_HEADERS));
  // A second one where the first is empty: Outlook's "Business Country/Region", then "Home Country/Region".
  const otherCountry = phoneCountry === -1 || countryMapped !== undefined ? -1 : norm.findIndex((n, i) => i !== phoneCountry && COUNTRY_HEADERS.has(n) && !claimed.has(i) && !RESULT_SET.has(clean[i] ?? ''));
  if (phoneCountry !== -1) {
    const other = otherCountry === -1 ? '' : `, else "${oneLine(clean[otherCountry] ?? '')}"`;
    describe.push(`"${oneLine(clean[phoneCountry] ?? '')}"${other} → the region of phone numbers written without + (where it names one; else the default)`);
  }
  const resultHeaders = Object.keys(results) as ResultColumn[];
  // Without import_status the file is not a results file: a Seam export's user_identity_id (from
  // the workspace people are moved from) is the person's old id, kept under another header.
  const copiedAs: Record<number, string> = {};
  if (resultHeaders.length > 0 && results.import_status === undefined) {
    for (const col of resultHeaders) copiedAs[results[col]!] = `${col} (input)`;
    passthrough.push(...resultHeaders.map((col) => results[col]!));
    passthrough.sort((a, b) => a - b);
    describe.push(
      `${quoteList(resultHeaders)} copied to the results as ${quoteList(Object.values(copiedAs))}: the file is not a results file (no import_status column), and the results file has its own ${quoteList(resultHeaders)}`,
    );
  } else if (resultHeaders.length > 0) {
    describe.push(`${quoteList(resultHeaders)} from an earlier results file: replaced, not copied`);
  }

  const copied = Object.keys(copiedAs).length > 0;
  const mapping: ColumnMapping = {fields, results: copied ? {} : results, passthrough, describe};
  if (copied) mapping.copiedAs = copiedAs;
  if (nameParts) mapping.nameParts = nameParts;
  if (namePartsFirst) mapping.namePartsFirst = true;
  if (phoneCountry !== -1) mapping.phoneCountry = phoneCountry;
  if (otherCountry !== -1) mapping.phoneCountryElse = otherCountry;
  if (off.size > 0) mapping.off = [...off];
  if (unused.email_address || unused.phone_number) mapping.unused = unused;
  // Headers no alias names that still say email or phone ("Home Phone" beside "Mobile", "Alternate
  // Email"): not read (a desk line people share would make them duplicates), but a row imported
  // without that field whose such cell holds one is named in a warning (unused-contacts.ts).
  const byContent: NonNullable<ColumnMapping['unusedByContent']> = {};
  for (const field of ['email_address', 'phone_number'] as const) {
    if (fields[field] === undefined) continue;
    const words = field === 'email_address' ? EMAIL_WORDS : PHONE_WORDS;
    clean.forEach((header, i) => {
      if (i === fields[field] || claimed.has(i) || RESULT_SET.has(header) || ALIASES.has(norm[i] ?? '') || !words.test(header) || !OWN_OTHER.test(header) || aboutSomeoneElse(header)) return;
      if (field === 'phone_number' && notAPhoneColumn(header)) return;
      (byContent[field] ??= []).push(i);
    });
  }
  if (byContent.email_address || byContent.phone_number) mapping.unusedByContent = byContent;
  return mapping;
}

/** Words of a header about an email address or a phone number that no alias names ("Alternate Email", "Home Phone"). */
const EMAIL_WORDS = /e-?mail|correo|courriel/i;
const PHONE_WORDS = /phone|mobile|cell|t[eé]l[eé]f|handy|m[oó]vil|celular/i;
/**
 * Words that make such a column another of the person's own ("Home Phone", "Alternate Email",
 * "Phone 2"), not someone else's or a shared one ("Property Phone", "Roommate Phone", "Company
 * Email"), which a --map would give to everyone or to the wrong person.
 */
const OWN_OTHER = /\b(?:home|alternate|alt|secondary|second|other|additional|backup|private|personal|2)\b|\d\s*$/i;

/**
 * A column about someone else than the row's person ("Manager Email", "Emergency Contact Phone"):
 * never offered as where the person's email or phone is.
 */
const SOMEONE_ELSE = /\b(manager|supervisor|boss|emergency|spouse|partner|guardian|parent|mother|father|kin|assistant|approver|landlord|agent|reference|referrer|guarantor|co-?signer)/i;

export function aboutSomeoneElse(header: string): boolean {
  return SOMEONE_ELSE.test(header);
}

/** Numbers that are not a phone, whatever their digits look like: a fax, a card, an account, an id. */
const NOT_A_PHONE = /\b(fax|card|account|acct|badge|ssn|sin|zip|postal|postcode|iban|routing|licen[cs]e|serial|order|invoice|pin|id|key|fob)\b/i;

export function notAPhoneColumn(header: string): boolean {
  return NOT_A_PHONE.test(header);
}

/**
 * The columns whose cells read as email addresses, and as phone numbers (most of their non-empty
 * cells), by header: for the hint of a file whose headers name neither. Never mapped by itself.
 * `skip`: columns already used.
 */
export function contactColumnsByContent(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  skip: ReadonlySet<number> = new Set(),
  defaultCountry?: CountryCode,
): {email?: string; phone?: string} {
  const pick = (looks: (cell: string) => boolean, not?: number, refuse?: (header: string) => boolean, prefer?: (header: string) => boolean): number | undefined => {
    let best: number | undefined;
    let bestCount = 0;
    let bestPreferred = false;
    headers.forEach((header, i) => {
      // A column without a header cannot be named in --map.
      if (i === not || skip.has(i) || header.trim() === '' || aboutSomeoneElse(header) || refuse?.(header)) return;
      let filled = 0;
      let matching = 0;
      for (const row of rows) {
        const cell = (row[i] ?? '').trim();
        if (cell === '') continue;
        filled += 1;
        if (looks(cell)) matching += 1;
      }
      if (matching === 0 || matching * 2 < filled) return;
      // A mobile column wins over another that holds up to twice its phones: a "Mobile" column
      // with one number in it does not win over a column of five hundred.
      const preferred = prefer?.(header) === true;
      const wins = preferred === bestPreferred ? matching > bestCount : preferred ? matching * 2 >= bestCount : matching > bestCount * 2;
      if (wins) {
        best = i;
        bestCount = matching;
        bestPreferred = preferred;
      }
    });
    return best;
  };
  const email = pick(isEmailAddress);
  // With a country, a number must also be a valid phone there (a badge number has 7+ digits too).
  const oneLike = defaultCountry === undefined ? looksLikePhoneNumber : (cell: string) => looksLikePhoneNumber(cell) && toE164(cell, defaultCountry).ok;
  // AppFolio's "Phone Numbers": "Mobile: …" in some rows, "Work: …" or "Home: …, Work: …" in others. All phones.
  const phoneLike = (cell: string): boolean => {
    if (oneLike(cell)) return true;
    const line = cell.includes(':') || cell.includes('(') ? labelledLineNumber(cell) : undefined;
    return line !== undefined && oneLike(line);
  };
  // A mobile before a desk line ("Primary Work Mobile Phone" before "Primary Work Phone").
  const phone = pick(phoneLike, email, notAPhoneColumn, (header) => MOBILE.test(normalizeHeader(header)));
  const found: {email?: string; phone?: string} = {};
  if (email !== undefined) found.email = headers[email];
  if (phone !== undefined) found.phone = headers[phone];
  return found;
}

/**
 * For a row with no email and no phone in the columns used: another of its cells that holds one
 * ("Primary Email" beside an empty "Email Address"), as a sentence to add to the row's message.
 */
export function contactElsewhere(row: RawRow, mapping: ColumnMapping, headers: readonly string[], defaultCountry: CountryCode): string {
  const used = new Set<number>(Object.values(mapping.fields));
  for (const index of Object.values(mapping.results)) used.add(index);
  const found: string[] = [];
  let email = false;
  let phone = false;
  for (let i = 0; i < row.cells.length && !(email && phone); i++) {
    const header = oneLine(cleanHeader(headers[i] ?? ''));
    if (used.has(i) || header === '' || aboutSomeoneElse(header)) continue;
    const value = cleanText(row.cells[i] ?? '');
    if (value === '') continue;
    let field: Field | undefined;
    if (!email && isEmailAddress(value)) {
      email = true;
      field = 'email_address';
    } else if (!phone && looksLikePhoneNumber(value) && toE164(value, defaultCountry).ok) {
      phone = true;
      field = 'phone_number';
    }
    if (!field) continue;
    // Two columns with one header: --map would take the first again.
    const shared = headers.some((other, j) => j !== i && oneLine(cleanHeader(other)) === header);
    found.push(
      shared
        ? `column ${i + 1} ("${header}", a header another column has too) has ${JSON.stringify(value)}: to import from it, rename it in the header row and pass --map ${field}= with its new name`
        : `column "${header}" has ${JSON.stringify(value)}: to import from it, pass --map ${field}="${header}"`,
    );
  }
  return found.length === 0 ? '' : ` But ${found.join('; ')}.`;
}

/** Whether a row's cells are a header this import can use (an email or phone column; every --map column there). */
export function canMap(headers: string[], map?: ColumnMap): boolean {
  try {
    mapColumns(headers, map);
    return true;
  } catch (error) {
    if (error instanceof ImportError) return false;
    throw error;
  }
}

function mappedByUser(map: ColumnMap | undefined, target: Target): boolean {
  return map !== undefined && (map as Record<string, string | undefined>)[target] !== undefined;
}

function findHeader(clean: readonly string[], norm: readonly string[], wanted: string): number | undefined {
  const exact = clean.indexOf(wanted);
  if (exact !== -1) return exact;
  const trimmed = cleanHeader(wanted);
  const cleanMatch = clean.indexOf(trimmed);
  if (cleanMatch !== -1) return cleanMatch;
  // Typed composed, saved decomposed (a Mac's "é"), or the other way.
  const composed = trimmed.normalize('NFC');
  const composedMatch = clean.findIndex((h) => h.normalize('NFC') === composed);
  if (composedMatch !== -1) return composedMatch;
  const lower = trimmed.toLowerCase();
  const caseMatch = clean.findIndex((h) => h.toLowerCase() === lower);
  if (caseMatch !== -1) return caseMatch;
  const n = normalizeHeader(trimmed);
  if (n === '') return undefined;
  const normMatch = norm.indexOf(n);
  return normMatch === -1 ? undefined : normMatch;
}

/**
 * Header text per field for messages (`NormalizeContext.headerOf`); a name built from two
 * columns is named `First Name + Last Name`.
 */
export function headerOf(headers: readonly string[], mapping: ColumnMapping): Partial<Record<Field, string>> {
  const out: Partial<Record<Field, string>> = {};
  for (const field of FIELDS) {
    const index = mapping.fields[field];
    if (index !== undefined) out[field] = oneLine(cleanHeader(headers[index] ?? ''));
  }
  if (out.full_name === undefined && mapping.nameParts) {
    out.full_name = namePartColumns(mapping.nameParts).map((i) => oneLine(cleanHeader(headers[i] ?? ''))).join(' + ');
  }
  return out;
}

/** 山田 + 太郎 → 山田太郎 (no space between names in these scripts); a romanized pair keeps one: "Yamada Taro". */
function familyFirst(family: string, given: string): string {
  return CJK_ONLY.test(family) && CJK_ONLY.test(given) ? `${family}${given}` : `${family} ${given}`;
}

const CJK_ONLY = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー々]+$/u;

function cell(row: RawRow, index: number | undefined): string | undefined {
  if (index === undefined) return undefined;
  const value = row.cells[index];
  return value === undefined || value === '' ? undefined : value;
}

/** The row's text per field, uncleaned (normalization cleans). */
export function extractPerson(row: RawRow, mapping: ColumnMapping): RawPerson {
  const person: RawPerson = {};
  const {fields} = mapping;
  const key = cell(row, fields.user_identity_key);
  if (key !== undefined) person.user_identity_key = key;
  const email = cell(row, fields.email_address);
  if (email !== undefined) person.email_address = email;
  const phone = cell(row, fields.phone_number);
  if (phone !== undefined) {
    person.phone_number = phone;
    const country = cell(row, mapping.phoneCountry);
    const other = mapping.phoneCountryElse === undefined || (country !== undefined && country.trim() !== '') ? undefined : cell(row, mapping.phoneCountryElse);
    if (other !== undefined && other.trim() !== '') person.phone_country = other;
    else if (country !== undefined) person.phone_country = country;
  }
  const acs = cell(row, fields.acs_system_ids);
  if (acs !== undefined) person.acs_system_ids = acs;

  const fullName = cell(row, fields.full_name);
  const named = fullName !== undefined && cleanText(fullName) !== '';
  if (named && !mapping.namePartsFirst) {
    person.full_name = fullName;
  } else if (mapping.nameParts) {
    // No name column, or its cell is empty: First + Last (+ a middle name and a suffix, when the file has them).
    const parts = mapping.nameParts;
    const first = (cell(row, parts.first) ?? '').trim();
    const last = (cell(row, parts.last) ?? '').trim();
    let joined: string;
    if (parts.familyFirst) {
      const given = [(cell(row, parts.middle) ?? '').trim(), first].filter((part) => part !== '').join(' ');
      joined = given === '' ? last : last === '' ? given : familyFirst(last, given);
    }
    else {
      // "N/A" in a middle-name column says there is none.
      const extra = (index: number | undefined) => {
        const text = (cell(row, index) ?? '').trim();
        return isPlaceholder(text) ? '' : text;
      };
      joined = [first, extra(parts.middle), last].filter((part) => part !== '').join(' ');
      const suffix = extra(parts.suffix);
      if (suffix !== '' && joined !== '') joined = `${joined} ${suffix}`;
    }
    if (joined !== '') person.full_name = joined;
    // --map first_name and last_name beside a "Name" column: that column where both parts are empty.
    else if (named) person.full_name = fullName;
  }

  const status = cell(row, mapping.results.import_status)?.trim();
  if (status) {
    const id = cell(row, mapping.results.user_identity_id)?.trim();
    person.previous = id ? {status, userIdentityId: id} : {status};
  }
  return person;
}
