// Four changes to libphonenumber-js's own code that make a phone check 3.5–4× cheaper and
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
// 3. Babel's `_classCallCheck` (an instanceof per object made: a parse makes several Metadata,
//    NumberingPlan and Type objects) only ever throws when a class is called without `new`, a
//    mistake the library's own code does not make: it is emptied.
// 4. parseIncompletePhoneNumber walks `string.split('')` through Babel's iterator helper (an
//    array and an object per character); it walks the string by index, the same UTF-16 units.
//
// Measured on 200,000 generated phones (bench/phone-only.mjs, node 20): 8.4 µs a phone as
// installed, 4.4 µs with (1), 3.4 µs with (1) and (2); on 300,000 (2026-11-29, a busy machine,
// three runs each way) 5.0–6.3 µs with (1) and (2), 3.5 µs with all four.
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

/** Babel's class-call check, word for word as libphonenumber-js 1.x ships it (one line, in each module with a class). */
const BABEL_CLASS_CALL_CHECK = 'function _classCallCheck(a, n) { if (!(a instanceof n)) throw new TypeError("Cannot call a class as a function"); }';
const NO_CLASS_CALL_CHECK = 'function _classCallCheck(a, n) {}';
/** parseIncompletePhoneNumber's loop over `string.split('')` through Babel's iterator helper. */
const PARSE_INCOMPLETE_LOOP = "for (var _iterator = _createForOfIteratorHelperLoose(string.split('')), _step; !(_step = _iterator()).done;) {\n    var character = _step.value;";
const PARSE_INCOMPLETE_INDEXED = 'for (var _index = 0; _index < string.length; _index++) {\n    var character = string[_index];';
const PARSE_INCOMPLETE = /[\\/]es6[\\/]parseIncompletePhoneNumber\.js$/;

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
  let edited = source;
  if (PARSE_INCOMPLETE.test(path)) {
    if (!edited.includes(PARSE_INCOMPLETE_LOOP)) throw changed(path);
    edited = edited.replace(PARSE_INCOMPLETE_LOOP, () => PARSE_INCOMPLETE_INDEXED);
  }
  if (edited.includes(BABEL_CLASS_CALL_CHECK)) edited = edited.replace(BABEL_CLASS_CALL_CHECK, () => NO_CLASS_CALL_CHECK);
  if (edited.includes(BABEL_OBJECT_SPREAD)) edited = edited.replace(BABEL_OBJECT_SPREAD, () => FAST_OBJECT_SPREAD);
  else if (MUST_HAVE_SPREAD.test(path)) throw changed(path);
  return edited === source ? undefined : edited;
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
