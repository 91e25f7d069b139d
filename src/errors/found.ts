import { QudaoError } from './qudao-error.js';

/** Throws QD_NOT_FOUND naming the missing thing unless `row` is defined. */
export function found<T>(row: T | undefined, what: string): T {
  if (row === undefined) throw new QudaoError('QD_NOT_FOUND', `no ${what}`);
  return row;
}
