import { QudaoError } from '../errors/index.js';

/** True when a database error is a unique-constraint violation (PostgreSQL SQLSTATE 23505). */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/** Runs an insert or update, turning a unique violation into QD_CONFLICT naming `what` and `param`. */
export async function uniquely<T>(what: string, param: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err)) throw new QudaoError('QD_CONFLICT', `${what} already exists`, { param });
    throw err;
  }
}
