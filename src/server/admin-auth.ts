import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AdminPrincipal, AdminTokens } from '../auth/index.js';
import { QudaoError } from '../errors/index.js';
import { stampAccess } from './route-access.js';

/**
 * Who is calling `/api`: an admin user (an API token or a dashboard session; `role` is what this request
 * acts with) or a partner user of the partner portal.
 */
export type Principal = AdminPrincipal | { kind: 'partner'; partnerId: string; userId: string };

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** Resolves a principal from a request's session (an admin or a partner session); undefined if none. */
export type PrincipalResolver = (request: FastifyRequest) => Promise<Principal | undefined>;

/** Reads `Authorization: Bearer <token>`; undefined when absent or malformed. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

/**
 * Guards every `/api` route except those whose contract says `access: 'public'`: the caller must be an admin
 * (a bearer admin API token: active, unexpired, its user enabled) or a principal found by one of the
 * resolvers (admin and partner sessions). Anything else, customer API keys included, is 401. What the
 * caller may do is route()'s caller check (server/http/route.ts), from the permission table.
 *
 * Which routes are guarded is read from the route that matched (its `access`, stamped when it was
 * registered; see route-access.ts), never from the request's URL: `/%61pi/whoami` and
 * `GET http://host/api/whoami HTTP/1.1` reach the `/api/whoami` route and are guarded like it. A request
 * that matches no route gets the 404 handler, which reads nothing.
 */
export function installApiAuth(app: FastifyInstance, adminTokens: AdminTokens, resolvers: PrincipalResolver[] = []): void {
  app.addHook('onRoute', (route) => stampAccess(route));
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.access !== 'credentials') return;
    const token = bearerToken(request);
    const admin = token ? adminTokens.verify(token) : undefined;
    if (admin) {
      request.principal = admin;
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
