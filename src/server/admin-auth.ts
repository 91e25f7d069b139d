import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AdminTokens } from '../auth/index.js';
import { QudaoError } from '../errors/index.js';
import { stampAccess } from './route-access.js';

/** Who is calling `/api`. Partner users arrive with the partner portal. */
export type Principal = { kind: 'admin' } | { kind: 'partner'; partnerId: string; userId: string };

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** Resolves a non-admin principal (e.g. a partner session) from a request; undefined if none. */
export type PrincipalResolver = (request: FastifyRequest) => Promise<Principal | undefined>;

/** Reads `Authorization: Bearer <token>`; undefined when absent or malformed. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

/**
 * Guards every `/api` route except those listed as public: the caller must be an admin (bearer admin token)
 * or a principal found by one of the extra resolvers. Anything else, customer API keys included, is 401.
 *
 * Which routes are guarded is read from the route that matched (its `access`, stamped when it was
 * registered; see route-access.ts), never from the request's URL: `/%61pi/whoami` and
 * `GET http://host/api/whoami HTTP/1.1` reach the `/api/whoami` route and are guarded like it. A request
 * that matches no route gets the 404 handler, which reads nothing.
 */
export function installApiAuth(app: FastifyInstance, adminTokens: AdminTokens, resolvers: PrincipalResolver[] = [], publicPaths: readonly string[] = []): void {
  app.addHook('onRoute', (route) => stampAccess(route, publicPaths));
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.access !== 'credentials') return;
    const token = bearerToken(request);
    if (token && adminTokens.verify(token)) {
      request.principal = { kind: 'admin' };
      return;
    }
    for (const resolve of resolvers) {
      const p = await resolve(request);
      if (p) {
        request.principal = p;
        return;
      }
    }
    throw new QudaoError('QD_UNAUTHENTICATED', token ? 'the admin token or session is invalid' : 'send Authorization: Bearer <admin token>');
  });
}

/** Throws QD_FORBIDDEN unless the caller is an admin. */
export function requireAdmin(request: FastifyRequest): void {
  if (request.principal?.kind !== 'admin') throw new QudaoError('QD_FORBIDDEN', 'this route is for administrators');
}
