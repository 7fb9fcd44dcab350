// The floor the sandbox allows: the least a client can do, N creates at a fixed concurrency over
// node:http keep-alive, no journal, no checks, no results file, timed from the first request.
// What is left between this and the ideal is the test server and the machine, not the importer.
// argv: endpoint apiKey rows concurrency
import http from 'node:http';

const [endpoint, apiKey, rowsText, concurrencyText] = process.argv.slice(2);
const rows = Number(rowsText);
const url = new URL('/user_identities/create', endpoint);
const agent = new http.Agent({keepAlive: true, maxSockets: 256});

function create(i) {
  return new Promise((resolve, reject) => {
    // The same fields as the importer sends for a row of bench/generate.mjs, so the sandbox does the same work.
    const body = JSON.stringify({
      user_identity_key: `F-${String(i).padStart(7, '0')}`,
      email_address: `floor.${i}@example.com`,
      phone_number: `+1617${2_000_000 + i}`,
      full_name: `Floor ${i}`,
    });
    const request = http.request(
      {
        hostname: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent,
        headers: {authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body)},
      },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          if (response.statusCode !== 200) reject(new Error(`create ${i}: ${response.statusCode}`));
          else resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

let next = 1;
const began = performance.now();
await Promise.all(
  Array.from({length: Number(concurrencyText)}, async () => {
    while (next <= rows) await create(next++);
  }),
);
process.stdout.write(`${JSON.stringify({created: rows, seconds: (performance.now() - began) / 1000})}\n`);
agent.destroy();
