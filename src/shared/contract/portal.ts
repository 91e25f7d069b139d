import { z } from 'zod';
import { count, id, listOf, month, noContent, signedMicros, timestamp } from './common.js';
import { customerSchema } from './customers.js';
import { agreementSchema, monthQuerySchema, onboardingProgressSchema, partnerSchema, partnerUserSchema, scorecardSchema, statementCsvSchema, statementSchema, tierSchema } from './partners.js';
import { defineRoute } from './route.js';

/**
 * The partner portal's `/api/portal` (a partner session; only the login is public). Every answer is the
 * caller's own partner's data: another partner's resource answers 404, which does not confirm it exists.
 * The portal's customer signup (`POST /api/portal/customers`) is `customerRoutes.portalCreate` (./customers.ts).
 */

/** `POST /api/portal/login`. */
export const loginSchema = z.object({ email: z.string().min(1).max(254), password: z.string().min(1).max(256) }).strict();

/** `POST /api/portal/keys`: a key for one of the partner's own customers (through its channel, or the one named). */
export const portalCreateKeySchema = z.object({ customerId: id, name: z.string().max(120).optional(), channelId: id.optional() }).strict();

/** A signed-in session: the token (also set as the HttpOnly `qd_partner_session` cookie) and who it is. */
export const loginAnswerSchema = z.object({ token: z.string(), expiresAt: timestamp, partnerId: id, user: partnerUserSchema });

/** What a partner sees first: its profile, tier, the agreement in force and onboarding progress. */
export const portalOverviewSchema = z.object({ partner: partnerSchema, tier: tierSchema.nullable(), agreement: agreementSchema.nullable(), onboarding: onboardingProgressSchema });

/** Whether a key still works. */
export const keyStatuses = ['active', 'revoked'] as const;

/** A key issued through the partner, as the partner sees it: no hash, no secret. */
export const portalKeySchema = z.object({
  id,
  prefix: z.string(),
  name: z.string(),
  customerId: id,
  channelId: id,
  partnerId: z.string().nullable(),
  planId: id,
  status: z.enum(keyStatuses),
  expiresAt: timestamp.nullable(),
  createdAt: timestamp,
  revokedAt: timestamp.nullable(),
});

/** A created key: the secret `key` appears here once and is never stored. */
export const issuedKeySchema = z.object({ id, prefix: z.string(), key: z.string() });

/** One row of a partner's usage report: a customer's traffic on a model in the month. */
export const portalUsageRowSchema = z.object({
  customerId: z.string().nullable(),
  /** The customer's name (null for usage without a customer). */
  customerName: z.string().nullable(),
  model: z.string(),
  requests: count,
  promptTokens: count,
  completionTokens: count,
  revenueMicros: signedMicros,
});

/** The partner's usage in a month, per customer and model. */
export const portalUsageSchema = z.object({ month, rows: z.array(portalUsageRowSchema) });

/** The portal's answers as types. */
export type LoginAnswer = z.infer<typeof loginAnswerSchema>;
/** The portal's first page. */
export type PortalOverviewAnswer = z.infer<typeof portalOverviewSchema>;
/** A key as the portal lists it. */
export type PortalKeyAnswer = z.infer<typeof portalKeySchema>;
/** A row of the usage report. */
export type PortalUsageRowAnswer = z.infer<typeof portalUsageRowSchema>;
/** Input of a portal key. */
export type PortalCreateKeyInput = z.infer<typeof portalCreateKeySchema>;

const tag = 'portal';
const idOnly = z.object({ id }).strict();

/** `/api/portal/...`. */
export const portalRoutes = {
  login: defineRoute({ method: 'POST', url: '/api/portal/login', tag, access: 'public', summary: 'Sign in with e-mail and password: a session token and cookie', body: loginSchema, response: { 200: loginAnswerSchema } }),
  logout: defineRoute({ method: 'POST', url: '/api/portal/logout', tag, access: 'partner', summary: 'End the session (token and cookie)', response: { 204: noContent } }),
  me: defineRoute({ method: 'GET', url: '/api/portal/me', tag, access: 'partner', summary: 'The partner, its tier, the agreement in force and onboarding', response: { 200: portalOverviewSchema } }),
  customers: defineRoute({ method: 'GET', url: '/api/portal/customers', tag, access: 'partner', summary: 'The customers the partner brought in', response: { 200: listOf(customerSchema) } }),
  keys: defineRoute({ method: 'GET', url: '/api/portal/keys', tag, access: 'partner', summary: 'The keys issued through the partner', response: { 200: listOf(portalKeySchema) } }),
  createKey: defineRoute({
    method: 'POST',
    url: '/api/portal/keys',
    tag,
    access: 'partner',
    summary: 'Create a key for one of the partner\'s customers (needs an agreement in force, within its monthly quota)',
    body: portalCreateKeySchema,
    response: { 201: issuedKeySchema },
  }),
  usage: defineRoute({ method: 'GET', url: '/api/portal/usage', tag, access: 'partner', summary: 'Usage per customer and model in a month (default: the current one)', query: monthQuerySchema, response: { 200: portalUsageSchema } }),
  scorecard: defineRoute({ method: 'GET', url: '/api/portal/scorecard', tag, access: 'partner', summary: 'The partner\'s scorecard for a month (default: the current one)', query: monthQuerySchema, response: { 200: scorecardSchema } }),
  statements: defineRoute({ method: 'GET', url: '/api/portal/statements', tag, access: 'partner', summary: 'The partner\'s final statements', response: { 200: listOf(statementSchema) } }),
  statement: defineRoute({ method: 'GET', url: '/api/portal/statements/:id', tag, access: 'partner', summary: 'One final statement with its lines', params: idOnly, response: { 200: statementSchema } }),
  statementCsv: defineRoute({ method: 'GET', url: '/api/portal/statements/:id/csv', tag, access: 'partner', summary: 'One final statement as CSV (attachment <id>.csv)', params: idOnly, produces: 'text/csv', response: { 200: statementCsvSchema } }),
} as const;
