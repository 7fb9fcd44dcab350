import {EventEmitter} from 'node:events';
import {describe, expect, it} from 'vitest';
import {guardOutsideSignals} from '../src/cli/outside-signals.js';

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

  it('during the run: leaves the signal to the run’s own handler', () => {
    const {target, exits} = fakeProcess();
    guardOutsideSignals(target, () => undefined);
    let handled = 0;
    target.on('SIGINT', () => (handled += 1));
    target.emit('SIGINT', 'SIGINT');
    expect(handled).toBe(1);
    expect(exits).toEqual([]);
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
