import {EventEmitter} from 'node:events';
import {describe, expect, it} from 'vitest';
import {guardOutsideSignals} from '../src/cli/outside-signals.js';
import {PassThrough} from 'node:stream';
import {surviveInputClose, survivePipeClose} from '../src/cli/pipes.js';

function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  const target = Object.assign(emitter, {exit: (code: number) => void exits.push(code)});
  return {target, exits};
}

describe('signals outside the run', () => {
  it('while starting (no handler of the run yet): says nothing was sent and exits 130', () => {
    const {target, exits} = fakeProcess();
    const said: string[] = [];
    guardOutsideSignals(target, (t) => said.push(t));
    target.emit('SIGTERM', 'SIGTERM');
    expect(exits).toEqual([130]);
    expect(said).toEqual(['\nStopped before anything was sent to Seam.\n']);
  });

  it('while starting with --json: stdout still gets its one JSON object (it got nothing)', () => {
    const {target, exits} = fakeProcess();
    const lines: string[] = [];
    guardOutsideSignals(target, () => undefined, undefined, (line) => lines.push(line));
    target.emit('SIGINT', 'SIGINT');
    expect(exits).toEqual([130]);
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([{ok: false, exitCode: 130, interrupted: true, message: 'Stopped before anything was sent to Seam.'}]);
  });

  it('during the run: leaves the signal to the run’s own handler', () => {
    const {target, exits} = fakeProcess();
    guardOutsideSignals(target, () => undefined);
    let handled = 0;
    target.on('SIGINT', () => (handled += 1));
    target.emit('SIGINT', 'SIGINT');
    expect(handled).toBe(1);
    expect(exits).toEqual([]);
  });

  it('SIGHUP (the terminal closed): while starting it exits 129; during the run the run handles it; either way the terminal is let go before the exit (Node 20 aborted restoring it)', () => {
    const {target, exits} = fakeProcess();
    let closed = 0;
    guardOutsideSignals(target, () => undefined, () => (closed += 1));
    target.emit('SIGHUP', 'SIGHUP');
    expect(exits).toEqual([129]);
    expect(closed).toBe(1);

    const during = fakeProcess();
    let closedDuring = 0;
    const guard = guardOutsideSignals(during.target, () => undefined, () => (closedDuring += 1));
    during.target.on('SIGHUP', () => undefined);
    during.target.emit('SIGHUP', 'SIGHUP');
    expect(during.exits).toEqual([]);
    guard.end();
    guard.exit(130);
    expect(during.exits).toEqual([130]);
    expect(closedDuring).toBe(1);
    // No hang-up: the terminal is kept.
    const calm = fakeProcess();
    let closedCalm = 0;
    guardOutsideSignals(calm.target, () => undefined, () => (closedCalm += 1)).exit(0);
    expect(calm.exits).toEqual([0]);
    expect(closedCalm).toBe(0);
  });

  it('after the run has ended: the exit code it chose stands (a late SIGTERM does not kill it)', () => {
    const {target, exits} = fakeProcess();
    const guard = guardOutsideSignals(target, () => undefined);
    guard.end();
    target.emit('SIGTERM', 'SIGTERM');
    target.emit('SIGINT', 'SIGINT');
    expect(exits).toEqual([]);
  });
});

describe('streams whose reader or terminal goes away', () => {
  it.each(['EPIPE', 'EIO', 'ENOSPC'])('a write stream that failed with %s takes later writes and drops them', async (code) => {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream;
    survivePipeClose(stream);
    stream.emit('error', Object.assign(new Error(code), {code}));
    const done = new Promise<void>((resolve) => stream.write('after', () => resolve()));
    await done;
    expect((stream as unknown as PassThrough).read()).toBeNull();
  });

  // A CI log on a full disk: the import crashed with exit 1, its people made, no results file.
  it('a write error of any kind (a full disk under the log) is not a crash', () => {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream;
    survivePipeClose(stream);
    expect(() => stream.emit('error', Object.assign(new Error('ENOSPC'), {code: 'ENOSPC'}))).not.toThrow();
  });

  it('a terminal closed under the prompt (EIO on stdin) is not a crash; another read error is', () => {
    const stdin = new PassThrough() as unknown as NodeJS.ReadStream;
    surviveInputClose(stdin);
    expect(() => stdin.emit('error', Object.assign(new Error('EIO'), {code: 'EIO'}))).not.toThrow();
    expect(() => stdin.emit('error', Object.assign(new Error('EBADF'), {code: 'EBADF'}))).toThrow('EBADF');
  });
});
