#!/usr/bin/env node
import {guardOutsideSignals} from './cli/outside-signals.js';
import {surviveInputClose, survivePipeClose} from './cli/pipes.js';

// Thin on purpose: flags, flow and reporters live in src/cli/; this only runs them and exits
// with the code they chose (process.exit, so that nothing left open can hold the process).
survivePipeClose(process.stdout);
survivePipeClose(process.stderr);
surviveInputClose(process.stdin);

// Before the rest of the program loads (a few tenths of a second): a Ctrl-C meanwhile still ends
// with its words, and with --json its one JSON object (it ended with nothing on stdout).
const args = process.argv.slice(2);
const json = args[0] !== 'sandbox' && args.includes('--json');
const signals = guardOutsideSignals(process, (text) => process.stderr.write(text), undefined, json ? (line) => process.stdout.write(line) : undefined);
const {main} = await import('./cli/main.js');
const code = await main(
  {
    args,
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
