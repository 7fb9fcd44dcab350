// Deterministic people for the benchmarks: key, name, email, phone; every row valid and unique.
import {createWriteStream} from 'node:fs';
import {once} from 'node:events';

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Tim', 'Margaret', 'Linus'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Perlman', 'Lee', 'Hamilton'];

/**
 * One row per person. Phones alternate between E.164 and US national format, so normalization
 * does real work; emails carry some upper case, which the importer lowercases.
 */
export function personRow(i, prefix = 'E') {
  const first = FIRST[i % FIRST.length];
  const last = LAST[Math.floor(i / FIRST.length) % LAST.length];
  // 617-200-0000 … 617-399-9999: valid, distinct for up to 2,000,000 rows.
  const local = String(2_000_000 + i).padStart(7, '0');
  const phone = i % 2 === 0 ? `+1617${local}` : `(617) ${local.slice(0, 3)}-${local.slice(3)}`;
  const email = `${i % 3 === 0 ? first : first.toLowerCase()}.${last.toLowerCase()}.${prefix.toLowerCase()}${i}@example.com`;
  return `${prefix}-${String(i).padStart(7, '0')},${first} ${last},${email},"${phone}"\r\n`;
}

export async function generateCsv(path, rows, prefix = 'E') {
  const out = createWriteStream(path);
  out.write('Employee ID,Full Name,Email,Phone\r\n');
  let chunk = '';
  for (let i = 1; i <= rows; i += 1) {
    chunk += personRow(i, prefix);
    if (chunk.length > 256 * 1024) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return path;
}
