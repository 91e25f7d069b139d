import { z } from 'zod';
import { roleSchema } from './access.js';
import { id, idParams, listOf, noContent, timestamp } from './common.js';
import { defineRoute } from './route.js';

/**
 * Team access (`/api/auth`, `/api/users`, `/api/tokens`): admin users with roles, their dashboard sessions
 * and their API tokens. Who may call each route is the permission table's (./access.ts): users are the
 * owner's; every signed-in admin manages their own session, password and tokens.
 */

/** An e-mail address (any `local@domain`, so `owner@localhost` is one), compared without case. */
export const emailSchema = z.string().trim().min(3).max(254).regex(/^[^\s@]+@[^\s@]+$/, 'must be an e-mail address like name@example.com');

/** A password a user sets: long enough to resist guessing at scrypt's cost, short enough to hash. */
export const newPasswordSchema = z.string().min(12, 'must be at least 12 characters').max(256);

/** An admin user as shown: never the password hash. */
export const adminUserSchema = z.object({
  id,
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  /** False until a password is set (the first-start owner signs in with a token). */
  hasPassword: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
  disabledAt: timestamp.nullable(),
  lastLoginAt: timestamp.nullable(),
});

/** `POST /api/auth/login`. */
export const adminLoginSchema = z.object({ email: z.string().min(1).max(254), password: z.string().min(1).max(256) }).strict();

/** A new session: the token (also set as the HttpOnly `qd_admin_session` cookie), its expiry, the user. */
export const adminLoginAnswerSchema = z.object({ token: z.string(), expiresAt: timestamp, user: adminUserSchema });

/** `GET /api/auth/me`: the signed-in user, the role this request acts with and how it authenticated. */
export const meSchema = z.object({
  user: adminUserSchema,
  /** The user's role, or the token's narrower scope. */
  role: roleSchema,
  via: z.enum(['token', 'session']),
  tokenId: id.nullable(),
});

/** `POST /api/auth/password`: the current password (when one is set) and the new one; other sessions end. */
export const changePasswordSchema = z.object({ currentPassword: z.string().max(256).optional(), newPassword: newPasswordSchema }).strict();

/** `POST /api/users`: without a password, a one-time password is generated and answered once. */
export const createAdminUserSchema = z.object({ email: emailSchema, name: z.string().max(200).default(''), role: roleSchema, password: newPasswordSchema.optional() }).strict();

/** A created user, and the generated password when none was given (shown once). */
export const createdAdminUserSchema = z.object({ user: adminUserSchema, initialPassword: z.string().nullable() });

/** `PATCH /api/users/:id`: a new password, disabling or a role change ends the user's sessions. */
export const updateAdminUserSchema = z
  .object({ name: z.string().max(200).optional(), role: roleSchema.optional(), disabled: z.boolean().optional(), password: newPasswordSchema.optional() })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'send at least one of name, role, disabled, password');

/** An API token as listed: never the secret, only its first characters. */
export const adminTokenSchema = z.object({
  id,
  name: z.string(),
  prefix: z.string(),
  userId: id,
  userEmail: z.string(),
  /** The role the token was issued with; null = its user's role. */
  scope: roleSchema.nullable(),
  /** What it acts with now: its scope capped by its user's current role. */
  role: roleSchema,
  createdAt: timestamp,
  expiresAt: timestamp.nullable(),
  lastUsedAt: timestamp.nullable(),
  revokedAt: timestamp.nullable(),
});

/** A new (or rotated) token: the secret, shown this once. */
export const createdAdminTokenSchema = adminTokenSchema.extend({ token: z.string() });

/** `POST /api/tokens`: a name, a scope no wider than the caller's role, an optional expiry. */
export const createAdminTokenSchema = z
  .object({ name: z.string().trim().min(1).max(100), scope: roleSchema.optional(), expiresAt: timestamp.optional() })
  .strict();

/** `GET /api/tokens`: revoked and expired tokens are left out unless asked for. */
export const listTokensQuerySchema = z.object({ include: z.enum(['active', 'all']).default('active') }).strict();

/** An admin user. */
export type AdminUser = z.infer<typeof adminUserSchema>;
/** An API token as listed. */
export type AdminTokenInfo = z.infer<typeof adminTokenSchema>;
/** What `POST /api/users` takes. */
export type CreateAdminUserInput = z.infer<typeof createAdminUserSchema>;
/** What `PATCH /api/users/:id` takes. */
export type UpdateAdminUserInput = z.infer<typeof updateAdminUserSchema>;
/** What `POST /api/tokens` takes. */
export type CreateAdminTokenInput = z.infer<typeof createAdminTokenSchema>;

const tag = 'team';

/** The team routes. */
export const teamRoutes = {
  login: defineRoute({ method: 'POST', url: '/api/auth/login', tag, access: 'public', summary: 'Sign in with e-mail and password: a session token and an HttpOnly cookie', body: adminLoginSchema, response: { 200: adminLoginAnswerSchema } }),
  logout: defineRoute({ method: 'POST', url: '/api/auth/logout', tag, access: 'admin', summary: 'End this session (token and cookie); a token caller ends nothing', response: { 204: noContent } }),
  me: defineRoute({ method: 'GET', url: '/api/auth/me', tag, access: 'admin', summary: 'The signed-in admin user and the role this request acts with', response: { 200: meSchema } }),
  changePassword: defineRoute({ method: 'POST', url: '/api/auth/password', tag, access: 'admin', summary: 'Change my password (ends my other sessions)', body: changePasswordSchema, response: { 204: noContent } }),
  listUsers: defineRoute({ method: 'GET', url: '/api/users', tag, access: 'admin', summary: 'Admin users, by e-mail', response: { 200: listOf(adminUserSchema) } }),
  createUser: defineRoute({ method: 'POST', url: '/api/users', tag, access: 'admin', summary: 'Add an admin user with a role', body: createAdminUserSchema, response: { 201: createdAdminUserSchema } }),
  getUser: defineRoute({ method: 'GET', url: '/api/users/:id', tag, access: 'admin', summary: 'One admin user', params: idParams, response: { 200: adminUserSchema } }),
  updateUser: defineRoute({ method: 'PATCH', url: '/api/users/:id', tag, access: 'admin', summary: 'Change a user\'s name, role, password or disable them (the last active owner stays: 409 QD_LAST_OWNER)', params: idParams, body: updateAdminUserSchema, response: { 200: adminUserSchema } }),
  removeUser: defineRoute({ method: 'DELETE', url: '/api/users/:id', tag, access: 'admin', summary: 'Delete a user, their sessions and tokens (not the last active owner)', params: idParams, response: { 204: noContent } }),
  myTokens: defineRoute({ method: 'GET', url: '/api/tokens', tag, access: 'admin', summary: 'My API tokens', query: listTokensQuerySchema, response: { 200: listOf(adminTokenSchema) } }),
  allTokens: defineRoute({ method: 'GET', url: '/api/tokens/all', tag, access: 'admin', summary: 'Every user\'s API tokens', query: listTokensQuerySchema, response: { 200: listOf(adminTokenSchema) } }),
  createToken: defineRoute({ method: 'POST', url: '/api/tokens', tag, access: 'admin', summary: 'Create an API token for me (the secret is shown once)', body: createAdminTokenSchema, response: { 201: createdAdminTokenSchema } }),
  rotateToken: defineRoute({ method: 'POST', url: '/api/tokens/:id/rotate', tag, access: 'admin', summary: 'A new secret for a token (same name, scope and expiry); the old one stops at once', params: idParams, response: { 201: createdAdminTokenSchema } }),
  revokeToken: defineRoute({ method: 'POST', url: '/api/tokens/:id/revoke', tag, access: 'admin', summary: 'Revoke a token at once (mine; the owner may revoke anyone\'s)', params: idParams, response: { 200: adminTokenSchema } }),
} as const;
