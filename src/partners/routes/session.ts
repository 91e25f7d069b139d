import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PartnerUserService } from '../partner-users.js';
import { clearedSessionCookie, partnerOfToken, sessionCookie, sessionTokenOf, type PartnerPrincipal } from '../session.js';

/** The session token of a request: the cookie, or `Authorization: Bearer qd_ps_...` for scripts. */
export function sessionToken(request: FastifyRequest): string | undefined {
  return sessionTokenOf(request.headers);
}

/** A principal resolver for the `/api` guard: the partner of a live session, else undefined. */
export function partnerSessionResolver(users: PartnerUserService): (request: FastifyRequest) => Promise<PartnerPrincipal | undefined> {
  return (request) => partnerOfToken(users, sessionToken(request));
}

/** Sets the session cookie on the reply (Secure over https). */
export function setSessionCookie(reply: FastifyReply, request: FastifyRequest, token: string, expiresAt: Date): void {
  void reply.header('set-cookie', sessionCookie(token, expiresAt, request.protocol === 'https'));
}

/** Clears the session cookie. */
export function clearSessionCookie(reply: FastifyReply): void {
  void reply.header('set-cookie', clearedSessionCookie());
}
