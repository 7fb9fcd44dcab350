import {afterAll} from 'vitest';
import {removeTempDirs} from './files.js';

// Each test file's folders from tempDir() go when the file is done (they were left behind, a
// thousand a run).
afterAll(() => removeTempDirs());
