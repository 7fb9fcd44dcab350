// Two changes to libphonenumber-js's own code that make a phone check about 2.5× cheaper and
// change no answer. They are applied where its modules are loaded: by the bundler for the
// `seam-import` command (scripts/bundle.mjs) and by Vite for the tests (vitest.config.ts), so the
// tests check the code that ships. tsc's per-file modules in dist/ (the library entry) load the
// package as installed: same answers, slower.
//
// 1. helpers/matchesEntirely.js compiles `new RegExp('^(?:' + pattern + ')$')` on every call, and
//    a phone check calls it several times with the metadata's long patterns. The patched one
//    keeps each compiled pattern. The RegExp has no flags, so test() keeps no state between calls.
// 2. Babel's `_objectSpread` helper (an ownKeys/defineProperty walk per key) copies the option
//    objects of every parse; `Object.assign` does the same for the plain objects it is given.
//
// Measured on 200,000 generated phones (bench/phone-only.mjs, node 20): 8.4 µs a phone as
// installed, 4.4 µs with (1), 3.4 µs with both.
//
// The edits match the installed text exactly. When an upgrade changes that text, the build and
// the tests stop with a message saying so, rather than shipping the slow path unnoticed.

const MATCHES_ENTIRELY_CALL = "return new RegExp('^(?:' + regularExpressionText + ')$').test(text);";
const MATCHES_ENTIRELY_CACHED = [
  'var compiled = MATCHES_ENTIRELY_CACHE.get(regularExpressionText);',
  "  if (compiled === undefined) { compiled = new RegExp('^(?:' + regularExpressionText + ')$'); MATCHES_ENTIRELY_CACHE.set(regularExpressionText, compiled); }",
  '  return compiled.test(text);',
].join('\n');
const MATCHES_ENTIRELY_CACHE_DECLARATION = '/* seam-import: compiled patterns, by pattern text */\nvar MATCHES_ENTIRELY_CACHE = new Map();\n';

/** Babel's helper, word for word as libphonenumber-js 1.x ships it (one line). */
const BABEL_OBJECT_SPREAD =
  'function _objectSpread(e) { for (var r = 1; r < arguments.length; r++) { var t = null != arguments[r] ? arguments[r] : {}; r % 2 ? ' +
  'ownKeys(Object(t), !0).forEach(function (r) { _defineProperty(e, r, t[r]); }) : Object.getOwnPropertyDescriptors ? ' +
  'Object.defineProperties(e, Object.getOwnPropertyDescriptors(t)) : ownKeys(Object(t)).forEach(function (r) { ' +
  'Object.defineProperty(e, r, Object.getOwnPropertyDescriptor(t, r)); }); } return e; }';
const FAST_OBJECT_SPREAD =
  'function _objectSpread(e) { for (var r = 1; r < arguments.length; r++) { var t = arguments[r]; if (t != null) Object.assign(e, t); } return e; }';

/** The module every parse goes through: it must carry the helper, or the package has changed. */
const MUST_HAVE_SPREAD = /[\\/]parsePhoneNumberWithError_\.js$/;
const MATCHES_ENTIRELY = /[\\/]helpers[\\/]matchesEntirely\.js$/;
/** The ES module build that `libphonenumber-js/min` loads. */
export const LIBPHONENUMBER_MODULES = /[\\/]node_modules[\\/]libphonenumber-js[\\/]es6[\\/].*\.js$/;

function changed(path) {
  return new Error(
    `libphonenumber-js has changed: ${path} no longer holds the code that scripts/libphonenumber-speedups.mjs edits. ` +
      'Check the new version (are the patterns still compiled on every call? is the helper still Babel\'s?) and update or drop the edit.',
  );
}

/**
 * The source of one libphonenumber-js module with the speed-ups applied; `undefined` when the
 * module has nothing to change. Throws when a module that must be changed no longer matches.
 */
export function speedUpLibphonenumber(path, source) {
  if (!LIBPHONENUMBER_MODULES.test(path)) return undefined;
  if (MATCHES_ENTIRELY.test(path)) {
    if (!source.includes(MATCHES_ENTIRELY_CALL)) throw changed(path);
    return MATCHES_ENTIRELY_CACHE_DECLARATION + source.replace(MATCHES_ENTIRELY_CALL, () => MATCHES_ENTIRELY_CACHED);
  }
  if (source.includes(BABEL_OBJECT_SPREAD)) return source.replace(BABEL_OBJECT_SPREAD, () => FAST_OBJECT_SPREAD);
  if (MUST_HAVE_SPREAD.test(path)) throw changed(path);
  return undefined;
}

/** For esbuild (scripts/bundle.mjs). */
export const libphonenumberSpeedupsEsbuild = {
  name: 'libphonenumber-speedups',
  setup(build) {
    build.onLoad({filter: LIBPHONENUMBER_MODULES}, async (args) => {
      const {readFile} = await import('node:fs/promises');
      const source = await readFile(args.path, 'utf8');
      return {contents: speedUpLibphonenumber(args.path, source) ?? source, loader: 'js'};
    });
  },
};

/** For Vite (vitest.config.ts); the package must be inlined (`server.deps.inline`) to pass through it. */
export const libphonenumberSpeedupsVite = {
  name: 'libphonenumber-speedups',
  enforce: 'pre',
  transform(code, id) {
    const path = id.split('?')[0];
    const patched = speedUpLibphonenumber(path, code);
    return patched === undefined ? null : {code: patched, map: null};
  },
};
