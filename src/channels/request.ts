import type { FastifyRequest } from 'fastify';
import { parseInput as parseRequestInput, QudaoError } from '../errors/index.js';

/**
 * Parses request input (body, query or params) with a zod schema. A mismatch is QD_INVALID_REQUEST whose
 * `param` names the field and whose message says what it must be, e.g. `marginBps: must be at most 10000`.
 */
export const parseInput = parseRequestInput;

/** Throws QD_FORBIDDEN unless the caller is an admin (partner users may not use admin routes). */
export function requireAdminCaller(request: FastifyRequest): void {
  if (request.principal?.kind !== 'admin') throw new QudaoError('QD_FORBIDDEN', 'this route is for administrators');
}

/** The `:id` route parameter. */
export function idParam(request: FastifyRequest): string {
  return (request.params as { id: string }).id;
}

/** True when a database error is a unique-constraint violation (PostgreSQL SQLSTATE 23505). */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}
