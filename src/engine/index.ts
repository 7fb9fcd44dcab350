export {Importer, runImport} from './importer.js';
export {ImportError, isImportError, type ImportErrorCode} from './errors.js';
export type * from './events.js';
export type * from './types.js';
export {ROW_STATUSES, FIELDS, RETRYABLE_CODES} from './types.js';
export {DEFAULT_ENDPOINT, defaultOutPath, journalPathFor, type ImportOptions, type Credentials} from './options.js';
