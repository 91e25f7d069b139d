import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ADMIN_SESSION_KIND, cookieValue, type AdminPrincipal, type AdminTokens, type TeamService } from '../auth/index.js';
import { QudaoError } from '../errors/index.js';
import { teamRoutes as api } from '../shared/contract/team.js';
import type { PrincipalResolver } from './admin-auth.js';
import { route } from './http/index.js';

/** Name of the admin dashboard's session cookie. */
export const ADMIN_SESSION_COOKIE = 'qd_admin_session';

/** The admin session token a request carries: `Authorization: Bearer qd_as_...` (scripts), else the cookie. */
export function adminSessionToken(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  const bearer = auth ? new RegExp(`^Bearer\\s+(${ADMIN_SESSION_KIND}_\\S+)\\s*$`, 'i').exec(auth)?.[1] : undefined;
  return bearer ?? cookieValue(request.headers.cookie, ADMIN_SESSION_COOKIE);
}

/** A principal resolver for the `/api` guard: the admin user of a live dashboard session. */
export function adminSessionResolver(team: TeamService): PrincipalResolver {
  return async (request) => {
    const token = adminSessionToken(request);
    return token ? team.resolveSession(token) : undefined;
  };
}

/** The session cookie: HttpOnly (no script reads it), SameSite=Strict (no cross-site request sends it), Path=/api. */
export function adminSessionCookie(token: string, expiresAt: Date, secure: boolean, now = Date.now()): string {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - now) / 1000));
  return `${ADMIN_SESSION_COOKIE}=${encodeURIComponent(token)}; Path=/api; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
}

function adminOf(request: FastifyRequest): AdminPrincipal {
  const p = request.principal;
  if (p?.kind !== 'admin') throw new QudaoError('QD_FORBIDDEN', 'this route is for administrators');
  return p;
}

function clearCookie(reply: FastifyReply): void {
  void reply.header('set-cookie', `${ADMIN_SESSION_COOKIE}=; Path=/api; HttpOnly; SameSite=Strict; Max-Age=0`);
}

/**
 * `/api/auth`, `/api/users`, `/api/tokens` (contracts in src/shared/contract/team.ts). Who may call each is
 * the permission table's; a non-owner sees and changes only their own tokens (someone else's is 404).
 */
export function teamRouteHandlers(app: FastifyInstance, team: TeamService, tokens: AdminTokens): void {
  route(app, api.login, async (req, reply) => {
    const { token, session, user } = await team.login(req.body.email, req.body.password);
    void reply.header('set-cookie', adminSessionCookie(token, session.expiresAt, req.protocol === 'https'));
    return { token, expiresAt: session.expiresAt, user };
  });
  route(app, api.logout, async (req, reply) => {
    const p = adminOf(req);
    const token = adminSessionToken(req);
    if (p.via === 'session' && token) await team.logout(token);
    clearCookie(reply);
  });
  route(app, api.me, async (req) => {
    const p = adminOf(req);
    return { user: await team.getUser(p.userId), role: p.role, via: p.via, tokenId: p.tokenId ?? null };
  });
  route(app, api.changePassword, async (req) => {
    const p = adminOf(req);
    await team.changePassword(p.userId, req.body.currentPassword, req.body.newPassword, p.via === 'session' ? adminSessionToken(req) : undefined);
  });
  route(app, api.listUsers, async () => ({ data: await team.listUsers() }));
  route(app, api.createUser, async (req) => team.createUser(req.body));
  route(app, api.getUser, async (req) => team.getUser(req.params.id));
  route(app, api.updateUser, async (req) => team.updateUser(req.params.id, req.body));
  route(app, api.removeUser, async (req) => team.deleteUser(req.params.id));
  route(app, api.myTokens, async (req) => ({ data: await tokens.list(adminOf(req).userId, req.query.include) }));
  route(app, api.allTokens, async (req) => ({ data: await tokens.list(undefined, req.query.include) }));
  route(app, api.createToken, async (req) => tokens.create(adminOf(req), req.body));
  route(app, api.rotateToken, async (req) => tokens.rotateById(adminOf(req), req.params.id));
  route(app, api.revokeToken, async (req) => tokens.revoke(adminOf(req), req.params.id));
}
