import type { FastifyReply, FastifyRequest } from 'fastify';
import { cookieValue } from '../auth/index.js';
import { QudaoError } from '../errors/index.js';
import { PARTNER_SESSION_KIND, type PartnerUserService } from './partner-users.js';

/** Name of the partner-portal session cookie. */
export const PARTNER_SESSION_COOKIE = 'qd_partner_session';

/** A partner principal, as the server's `/api` guard records it on the request. */
export interface PartnerPrincipal {
  kind: 'partner';
  partnerId: string;
  userId: string;
}

/** The session token of a request: the cookie, or `Authorization: Bearer qd_ps_...` for scripts. */
export function sessionToken(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  const bearer = auth ? /^Bearer\s+(qd_ps_\S+)\s*$/i.exec(auth)?.[1] : undefined;
  if (bearer) return bearer;
  // A cookie value that is not valid percent-encoding reads as absent: the request is then anonymous (401 on
  // guarded routes) instead of failing while its credentials are parsed.
  return cookieValue(request.headers.cookie, PARTNER_SESSION_COOKIE);
}

/** A principal resolver for the `/api` guard: the partner of a live session, else undefined. */
export function partnerSessionResolver(users: PartnerUserService): (request: FastifyRequest) => Promise<PartnerPrincipal | undefined> {
  return async (request) => {
    const token = sessionToken(request);
    if (!token?.startsWith(`${PARTNER_SESSION_KIND}_`)) return undefined;
    const session = await users.resolveSession(token);
    return session ? { kind: 'partner', partnerId: session.partnerId, userId: session.userId } : undefined;
  };
}

/** The partner id of a portal caller; admins and everyone else get QD_FORBIDDEN. */
export function requirePartner(request: FastifyRequest): string {
  const p = request.principal;
  if (p?.kind !== 'partner') throw new QudaoError('QD_FORBIDDEN', 'portal routes are for partner users; administrators use /api/partners');
  return p.partnerId;
}

/** Sets the session cookie: HttpOnly (no script reads it), SameSite=Strict (no cross-site request sends it). */
export function setSessionCookie(reply: FastifyReply, request: FastifyRequest, token: string, expiresAt: Date): void {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  const secure = request.protocol === 'https' ? '; Secure' : '';
  void reply.header('set-cookie', `${PARTNER_SESSION_COOKIE}=${encodeURIComponent(token)}; Path=/api; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`);
}

/** Clears the session cookie. */
export function clearSessionCookie(reply: FastifyReply): void {
  void reply.header('set-cookie', `${PARTNER_SESSION_COOKIE}=; Path=/api; HttpOnly; SameSite=Strict; Max-Age=0`);
}
