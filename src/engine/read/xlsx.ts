import {ImportError} from '../errors.js';
import type {TableSource} from '../types.js';

export async function openXlsx(path: string, _sheet?: string): Promise<TableSource> {
  throw new ImportError('input_unreadable', `${path}: .xlsx reading is not ready yet.`);
}
