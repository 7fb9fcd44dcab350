// tsc does not set the executable bit; npm's bin link and `./dist/cli.js` both want it.
import {chmodSync, existsSync} from 'node:fs';

if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
