import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { QudaoError } from '../errors/index.js';

/**
 * Parses request input (body, query or params) with a zod schema. A mismatch is QD_INVALID_REQUEST whose
 * message names the field and what is wrong, e.g. `marginBps: Too big: expected number to be <=10000`.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where = 'body'): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String).join('.');
  const param = path || undefined;
  const why = issue.message.replace(/^Invalid input: /, '');
  throw new QudaoError('QD_INVALID_REQUEST', `${path || where}: ${why}`, { param });
}

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
