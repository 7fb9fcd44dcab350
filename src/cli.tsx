#!/usr/bin/env node
import {main} from './cli/main.js';
import {guardOutsideSignals} from './cli/outside-signals.js';
import {surviveInputClose, survivePipeClose} from './cli/pipes.js';

// Thin on purpose: flags, flow and reporters live in src/cli/; this only runs them and exits
// with the code they chose (process.exit, so that nothing left open can hold the process).
survivePipeClose(process.stdout);
survivePipeClose(process.stderr);
surviveInputClose(process.stdin);

const signals = guardOutsideSignals(process, (text) => process.stderr.write(text));
const code = await main(
  {
    args: process.argv.slice(2),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    cwd: process.cwd(),
    script: process.argv[1],
  },
  // A second Ctrl-C quits through the guard too: after a hang-up it lets the terminal go first.
  {exitNow: (exitCode) => signals.exit(exitCode)},
);
signals.end();
signals.exit(code);
