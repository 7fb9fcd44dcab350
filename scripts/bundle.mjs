// The `seam-import` command as one file (plus lazily loaded chunks), over tsc's dist/cli.js.
// Node 20 loads an ES module graph file by file: the CLI's few hundred modules (zod's alone are
// over a hundred) cost about 0.2 s of every start. Bundled, the start is about half of that.
// The UI (ink, react) is a chunk loaded only for the terminal UI; the workbook reader (exceljs)
// stays outside and loads only for an .xlsx. dist/ keeps tsc's per-file modules for the library
// entry and the benchmarks.
import {chmodSync, rmSync} from 'node:fs';
import {build} from 'esbuild';
import {libphonenumberSpeedupsEsbuild} from './libphonenumber-speedups.mjs';

const out = 'dist';
// Chunk names carry a content hash: clear the last build's, or they pile up.
rmSync(`${out}/chunks`, {recursive: true, force: true});

await build({
  entryPoints: {cli: 'src/cli.tsx'},
  outdir: out,
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  // Ink and React are bundled too (a lazy chunk): loaded file by file from node_modules they
  // took about 0.43 s to start the terminal UI, bundled about 0.1 s. React's development build
  // (checks for people writing components) is left out. exceljs stays outside (large, rare);
  // react-devtools-core is only imported by Ink with DEV=true and is not installed.
  define: {'process.env.NODE_ENV': '"production"'},
  external: ['exceljs', 'react-devtools-core'],
  // ofetch's Node entry loads node-fetch-native (a fetch for Node versions without one: about
  // 30 ms of every start). The client always passes its own fetch, so take the plain entry.
  alias: {ofetch: './node_modules/ofetch/dist/index.mjs'},
  // CommonJS dependencies (iconv-lite) call require() for Node's own modules.
  banner: {js: "import {createRequire as __seamImportRequire} from 'node:module';\nconst require = __seamImportRequire(import.meta.url);"},
  // Two edits to libphonenumber-js that make a phone check ~2.5× cheaper, answers unchanged.
  plugins: [libphonenumberSpeedupsEsbuild],
  logLevel: 'warning',
});
// Neither tsc nor esbuild sets the executable bit; npm's bin link and `./dist/cli.js` want it.
chmodSync(`${out}/cli.js`, 0o755);
