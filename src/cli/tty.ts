import type {Env} from './args.js';

/** The same test as ink's (`is-in-ci`), on a given environment so that it can be tested. */
export function isInCi(env: Env): boolean {
  const check = (key: string): boolean => key in env && env[key] !== undefined && env[key] !== '0' && env[key] !== 'false';
  return check('CI') || check('CONTINUOUS_INTEGRATION');
}

/**
 * The terminal UI only on a terminal, outside CI, unless `--no-tui` (ink: `interactive = !isInCi && isTTY`).
 * `stream` is where the UI would draw: stdout, or stderr when `--json` keeps stdout for the JSON.
 * Its keys come from stdin, which must be the terminal too (Ink cannot read keys from a file or
 * /dev/null: it stopped with a stack trace). A terminal that says it is dumb (TERM=dumb, an Emacs
 * shell) cannot move the cursor: plain lines there.
 */
export function wantsTui({noTui, env, stream, stdin}: {noTui: boolean; env: Env; stream: {isTTY?: boolean}; stdin: {isTTY?: boolean}}): boolean {
  return !noTui && !isInCi(env) && stream.isTTY === true && stdin.isTTY === true && env['TERM'] !== 'dumb';
}

/**
 * Whether the terminal UI must be drawn without colour: NO_COLOR set to anything but "" (no-color.org).
 * A FORCE_COLOR set as well wins, as in Node's own tty.getColorDepth().
 */
export function wantsNoColor(env: Env): boolean {
  return env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '' && env['FORCE_COLOR'] === undefined;
}
