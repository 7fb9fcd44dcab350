// Every example script runs and checks itself (node-csv's samples.js style): a non-zero exit fails
// the test. The scripts use the built engine (`npm run build` first; `npm test` does).
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';

const EXAMPLES = fileURLToPath(new URL('../examples/', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/engine/index.js', import.meta.url));
const scripts = readdirSync(EXAMPLES).filter((name) => name.endsWith('.mjs') && name !== 'make-building.mjs');

describe('examples', () => {
  it('has self-checking scripts', () => {
    expect(scripts.length).toBeGreaterThanOrEqual(3);
  });

  it.each(scripts)('%s exits 0', (script) => {
    expect(existsSync(DIST), 'run `npm run build` first').toBe(true);
    const run = spawnSync(process.execPath, [join(EXAMPLES, script)], {encoding: 'utf8', timeout: 60_000});
    expect(run.stderr).toBe('');
    expect(run.status, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/^ok/m);
  });

  it('building.csv is what make-building.mjs makes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seam-import-building-'));
    try {
      const out = join(dir, 'building.csv');
      const run = spawnSync(process.execPath, [join(EXAMPLES, 'make-building.mjs'), out], {encoding: 'utf8'});
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('200 rows; invalid rows 18, 44, 65, 91, 125, 154; duplicate rows 31, 77, 113, 164');
      expect(readFileSync(out)).toEqual(readFileSync(join(EXAMPLES, 'building.csv')));
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });
});
