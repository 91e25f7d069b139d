import type { FastifyRequest } from 'fastify';
import { QudaoError } from '../../errors/index.js';

/**
 * Throws QD_FORBIDDEN unless `/api` authentication (server/admin-auth.ts, which runs first) found an admin.
 * Customer API keys never get this far: `/api` answers them 401.
 */
export function requireAdminCaller(request: FastifyRequest): void {
  if (request.principal?.kind !== 'admin') throw new QudaoError('QD_FORBIDDEN', 'this route is for administrators');
}

/** `Authorization: Bearer <token>`, or undefined when absent or malformed. */
export function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header || header.length < 8 || header.slice(0, 7).toLowerCase() !== 'bearer ') return undefined;
  const token = header.slice(7).trim();
  return token && !/\s/.test(token) ? token : undefined;
}
