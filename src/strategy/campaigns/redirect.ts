import type { FastifyInstance, FastifyRequest } from 'fastify';
import { cookieValue } from '../../auth/index.js';
import { QudaoError } from '../../errors/index.js';
import { routeParam } from '../http/request.js';
import { newVisitorId, type TouchpointService } from './touchpoint-service.js';

/** Name of the visitor-id cookie set by `/r/:code`. */
export const VISITOR_COOKIE = 'qd_vid';

/** Two years, in seconds: how long a visitor id is remembered. */
const VISITOR_COOKIE_MAX_AGE_S = 2 * 365 * 86_400;

const VISITOR_ID = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * The visitor id from the `qd_vid` cookie, or undefined when absent or malformed (bad percent-encoding
 * included): the click is then recorded under a new visitor id, so a broken cookie never stops a redirect.
 */
export function visitorIdOf(request: FastifyRequest): string | undefined {
  const id = cookieValue(request.headers.cookie, VISITOR_COOKIE);
  return id !== undefined && VISITOR_ID.test(id) ? id : undefined;
}

/**
 * The link's target with `qd_vid=<visitor id>` added to its query, so a signup page on another domain (which
 * cannot read Qudao's cookie) can hand the visitor id to its backend, which records the signup with
 * `POST /api/touchpoints`.
 */
export function targetWithVisitor(targetUrl: string, visitorId: string): string {
  const url = new URL(targetUrl);
  url.searchParams.set(VISITOR_COOKIE, visitorId);
  return url.toString();
}

/**
 * `GET /r/:code` (public): records a click touchpoint for the visitor (cookie `qd_vid`, set for two years
 * when absent: `Path=/; HttpOnly; SameSite=Lax`, Lax so it is sent on the top-level navigation that follows
 * a link from another site), then answers `302` to the link's target with `qd_vid` in its query. An unknown
 * code is `404` with the OpenAI error body (`QD_NOT_FOUND`) and records nothing. No HEAD route: a HEAD
 * request (link checkers) must not count as a click.
 */
export function redirectRoutes(app: FastifyInstance, touchpoints: TouchpointService): void {
  app.get('/r/:code', { exposeHeadRoute: false }, async (req, reply) => {
    const known = visitorIdOf(req);
    const visitorId = known ?? newVisitorId();
    const click = await touchpoints.recordClick(routeParam(req, 'code'), visitorId);
    if (!click) throw new QudaoError('QD_NOT_FOUND', `no tracked link with code ${routeParam(req, 'code')}`);
    if (!known) {
      const secure = req.protocol === 'https' ? '; Secure' : '';
      void reply.header('set-cookie', `${VISITOR_COOKIE}=${visitorId}; Path=/; Max-Age=${VISITOR_COOKIE_MAX_AGE_S}; HttpOnly; SameSite=Lax${secure}`);
    }
    return reply.header('cache-control', 'no-store').redirect(targetWithVisitor(click.targetUrl, visitorId), 302);
  });
}
