// The CPU baseline: csv-parse's async iterator over the file, counting records, nothing else.
import {createReadStream} from 'node:fs';
import {parse} from 'csv-parse';

const parser = createReadStream(process.argv[2]).pipe(parse({bom: true}));
let records = 0;
for await (const _record of parser) records += 1;
process.stdout.write(`${JSON.stringify({records: records - 1})}\n`);
