// Deterministic people for the benchmarks: key, name, email, phone; every row valid and unique.
import {createWriteStream} from 'node:fs';
import {once} from 'node:events';
import {createRequire} from 'node:module';

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Tim', 'Margaret', 'Linus'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Perlman', 'Lee', 'Hamilton'];

/**
 * One row per person. Phones alternate between E.164 and US national format, so normalization
 * does real work; emails carry some upper case, which the importer lowercases.
 *
 * `spread`: each phone in another exchange (area code and the next three digits) than the rows
 * near it, over all 287,100 valid US exchanges in turn, instead of 617-200-0001 onwards
 * (10,000 rows an exchange: 101 exchanges in 1,000,000 rows). The importer keeps which exchanges it found valid (the phone
 * library is its costliest step), so this is the file that gains least from that.
 */
export function personRow(i, prefix = 'E', spread = false) {
  const first = FIRST[i % FIRST.length];
  const last = LAST[Math.floor(i / FIRST.length) % LAST.length];
  // 617-200-0000 … 617-399-9999: valid, distinct for up to 2,000,000 rows.
  const [area, local] = spread ? spreadPhone(i) : ['617', String(2_000_000 + i).padStart(7, '0')];
  const phone = i % 2 === 0 ? `+1${area}${local}` : `(${area}) ${local.slice(0, 3)}-${local.slice(3)}`;
  const email = `${i % 3 === 0 ? first : first.toLowerCase()}.${last.toLowerCase()}.${prefix.toLowerCase()}${i}@example.com`;
  return `${prefix}-${String(i).padStart(7, '0')},${first} ${last},${email},"${phone}"\r\n`;
}

let exchanges;
/** Row i's area code and local number: exchange i × 7,919 of all valid US ones (a stride prime to their count), line i ÷ their count. */
function spreadPhone(i) {
  if (exchanges === undefined) {
    // The US's geographic numbers as libphonenumber-js's metadata has them (its fixed-line type).
    const us = createRequire(import.meta.url)('libphonenumber-js/metadata.min.json').countries.US;
    const geographic = new RegExp(`^(?:${us[11][0][0]})$`);
    exchanges = [];
    for (let exchange = 200_000; exchange < 1_000_000; exchange += 1) if (geographic.test(`${exchange}0000`)) exchanges.push(String(exchange));
  }
  const exchange = exchanges[(i * 7919) % exchanges.length];
  return [exchange.slice(0, 3), `${exchange.slice(3)}${String(Math.floor(i / exchanges.length)).padStart(4, '0')}`];
}

export async function generateCsv(path, rows, prefix = 'E', {spread = false} = {}) {
  const out = createWriteStream(path);
  out.write('Employee ID,Full Name,Email,Phone\r\n');
  let chunk = '';
  for (let i = 1; i <= rows; i += 1) {
    chunk += personRow(i, prefix, spread);
    if (chunk.length > 256 * 1024) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return path;
}
