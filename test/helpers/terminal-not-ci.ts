/**
 * Import first in a test file that renders Ink. Ink reads `CI` once, when it is first imported
 * (is-in-ci): in CI it draws nothing until unmount and then only the last frame. The CLI never
 * draws Ink in CI (it falls back to plain lines, src/cli/tty.ts), so these tests render as an
 * operator's terminal does, whatever the machine running them has in `CI`.
 */
process.env['CI'] = 'false';
process.env['CONTINUOUS_INTEGRATION'] = 'false';
