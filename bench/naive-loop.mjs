// The script people write by hand: one create after another with ofetch, no retries, no checks.
// argv: endpoint apiKey csvPath rows
import {readFileSync} from 'node:fs';
import {ofetch} from 'ofetch';

const [endpoint, apiKey, csvPath, limit] = process.argv.slice(2);
const lines = readFileSync(csvPath, 'utf8').trim().split('\r\n').slice(1, 1 + Number(limit));
const began = performance.now();
let created = 0;
for (const line of lines) {
  const [key, name, email] = line.split(',');
  const phone = line.slice(line.indexOf('"') + 1, line.lastIndexOf('"'));
  const digits = phone.replace(/\D/g, '');
  await ofetch(`${endpoint}/user_identities/create`, {
    method: 'POST',
    headers: {authorization: `Bearer ${apiKey}`},
    body: {user_identity_key: key, full_name: name, email_address: email.toLowerCase(), phone_number: `+${digits.length === 10 ? `1${digits}` : digits}`},
  });
  created += 1;
}
process.stdout.write(`${JSON.stringify({created, seconds: (performance.now() - began) / 1000})}\n`);
