import { cookieValue } from '../auth/index.js';
import { PARTNER_SESSION_KIND, type PartnerUserService } from './partner-users.js';

/**
 * Portal sessions without HTTP: where a request carries its token, what the session cookie says, and the
 * partner a token stands for. The Fastify side (reading a request, setting a reply's cookie, the `/api`
 * principal resolver) is routes/session.ts.
 */

/** Name of the partner-portal session cookie. */
export const PARTNER_SESSION_COOKIE = 'qd_partner_session';

/** A partner principal, as the server's `/api` guard records it on the request. */
export interface PartnerPrincipal {
  kind: 'partner';
  partnerId: string;
  userId: string;
}

/** The session token a request carries: `Authorization: Bearer qd_ps_...` (scripts), else the cookie. */
export function sessionTokenOf(headers: { authorization?: string | undefined; cookie?: string | undefined }): string | undefined {
  const auth = headers.authorization;
  const bearer = auth ? /^Bearer\s+(qd_ps_\S+)\s*$/i.exec(auth)?.[1] : undefined;
  if (bearer) return bearer;
  // A cookie value that is not valid percent-encoding reads as absent: the request is then anonymous (401 on
  // guarded routes) instead of failing while its credentials are parsed.
  return cookieValue(headers.cookie, PARTNER_SESSION_COOKIE);
}

/** The partner of a live session token, else undefined. */
export async function partnerOfToken(users: PartnerUserService, token: string | undefined): Promise<PartnerPrincipal | undefined> {
  if (!token?.startsWith(`${PARTNER_SESSION_KIND}_`)) return undefined;
  const session = await users.resolveSession(token);
  return session ? { kind: 'partner', partnerId: session.partnerId, userId: session.userId } : undefined;
}

/** The session cookie: HttpOnly (no script reads it), SameSite=Strict (no cross-site request sends it). */
export function sessionCookie(token: string, expiresAt: Date, secure: boolean, now = Date.now()): string {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - now) / 1000));
  return `${PARTNER_SESSION_COOKIE}=${encodeURIComponent(token)}; Path=/api; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
}

/** The cookie that clears the session cookie. */
export function clearedSessionCookie(): string {
  return `${PARTNER_SESSION_COOKIE}=; Path=/api; HttpOnly; SameSite=Strict; Max-Age=0`;
}
