import type { RouteOptions } from 'fastify';
import { isApiReferenceRoute } from './openapi.js';

/**
 * Who may call a route. It is decided once, when the route is registered, from the route's own pattern —
 * text in our code — and read back from the route that matched a request. It is never decided by looking
 * at the URL a client sent: the router percent-decodes paths and accepts absolute-form request lines
 * (`GET http://host/api/x HTTP/1.1`), so a client's spelling of a path says nothing about where it lands.
 *
 * - `credentials`: `/api`; an admin token or a principal from a resolver (partner session), else 401.
 * - `customer-key`: `/v1`; the gateway checks the customer API key itself (keys are cached, not tokens).
 * - `public`: anyone; every such route is listed in {@link PUBLIC_ROUTES}, is an `/api` route whose contract
 *   says `access: 'public'`, or is the API reference (openapi.ts).
 */
export type RouteAccess = 'credentials' | 'customer-key' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set for every route by {@link accessOf} when it is registered. */
    access?: RouteAccess;
  }
}

/**
 * The routes outside `/api` and `/v1` that need no credentials. A route that is none of `/api`, `/v1` or
 * these fails to register, so a new public route is a deliberate line here, not an accident of its prefix.
 */
export const PUBLIC_ROUTES: readonly string[] = [
  '/healthz', // load balancers
  '/metrics', // Prometheus scrapers (counters only, no customer data)
  '/r/:code', // tracked-link redirects clicked by anyone
  '/', // the dashboard's page (or the "not built" notice); its data comes from /api
  '/*', // the dashboard's static files and client-side routes; answers 404 for api, v1 and r paths
];

/** The access rule of a route pattern; throws for a route that no rule covers. */
export function accessOf(pattern: string, contractPublic = false): RouteAccess {
  if (isApiReferenceRoute(pattern)) return 'public';
  if (pattern === '/api' || pattern.startsWith('/api/')) return contractPublic ? 'public' : 'credentials';
  if (pattern.startsWith('/v1/')) return 'customer-key';
  if (PUBLIC_ROUTES.includes(pattern)) return 'public';
  throw new Error(`route ${pattern} has no access rule: put it under /api or /v1, or list it in PUBLIC_ROUTES (server/route-access.ts)`);
}

/** Records the access rule on a route's config while it is registered (a Fastify `onRoute` hook). */
export function stampAccess(route: RouteOptions): void {
  route.config = { ...route.config, access: accessOf(route.url, route.config?.contract?.access === 'public') };
}
