import {defineConfig} from 'vitest/config';
import {libphonenumberSpeedupsVite} from './scripts/libphonenumber-speedups.mjs';

export default defineConfig({
  // The tests load libphonenumber-js with the same edits as the bundled command (see the script).
  plugins: [libphonenumberSpeedupsVite],
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    setupFiles: ['test/helpers/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // End-to-end tests spawn the CLI and a sandbox each; two cores, so keep the pool small.
    pool: 'forks',
    maxWorkers: 2,
    server: {deps: {inline: [/libphonenumber-js/]}},
  },
});
