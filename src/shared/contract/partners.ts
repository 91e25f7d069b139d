import { z } from 'zod';
import { count, id, listOf, micros, month, noContent, signedMicros, timestamp } from './common.js';
import { defineRoute } from './route.js';

/**
 * The partner pillar's `/api` (admin only): partners with their onboarding checklist and portal users,
 * tiers as data, agreements (history, never edited), monthly revenue-share statements and scorecards.
 * The portal's routes are in ./portal.ts.
 */

const slug = z.string().regex(/^[a-z][a-z0-9_]{0,47}$/, 'use lower-case letters, digits and _ (start with a letter)');
const name = z.string().trim().min(1, 'must not be empty').max(120);
/** Basis points, 0–10,000 (10,000 = 100 %). */
const bps = z.number().int().min(0).max(10_000);
/** Basis points that may be negative or above 100 % (growth). */
const signedBps = z.number().int();
const nonNegInt = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** The message of an unknown key: what it is not, and the keys that are (so a typo is fixed at once). */
function unknownKeyError(what: string, keys: readonly string[]) {
  return (issue: { code: string }) => (issue.code === 'unrecognized_keys' ? `is not a ${what}; use ${keys.join(', ')}` : undefined);
}

// ---------------------------------------------------------------------------------------------------------
// Tiers

const requirementShape = {
  minMonthlyRevenueMicros: nonNegInt,
  minActiveCustomers: nonNegInt,
  minCustomersSourced: nonNegInt,
  minCertifiedStaff: nonNegInt,
  minMonthlyTokens: nonNegInt,
  minRetentionBps: bps,
  maxErrorRateBps: bps,
};

/** The requirement keys a tier may state (src/partners/tier-rules.ts says which metric each reads). */
export const tierRequirementKeys = Object.keys(requirementShape) as (keyof typeof requirementShape)[];

/** The shape of `partner_tiers.requirements`: the thresholds a partner must meet in a month. */
export const tierRequirementsSchema = z.strictObject(requirementShape, { error: unknownKeyError('tier requirement', tierRequirementKeys) }).partial();

const benefitShape = {
  revenueShareBps: bps,
  discountBps: bps,
  monthlyTokenQuota: nonNegInt,
  coMarketingFundsMicros: nonNegInt,
  support: z.string().max(200),
};

/** The shape of `partner_tiers.benefits`: what a partner on the tier gets. */
export const tierBenefitsSchema = z.strictObject(benefitShape, { error: unknownKeyError('tier benefit', Object.keys(benefitShape)) }).partial();

/** Tier requirements. */
export type TierRequirements = z.infer<typeof tierRequirementsSchema>;
/** A requirement key. */
export type RequirementKey = keyof typeof requirementShape;
/** Tier benefits. */
export type TierBenefits = z.infer<typeof tierBenefitsSchema>;

/** `POST /api/tiers`. */
export const createTierSchema = z.object({ name, rank: z.number().int().min(0).max(1000), requirements: tierRequirementsSchema.default({}), benefits: tierBenefitsSchema.default({}) }).strict();

/** `PATCH /api/tiers/:id`. */
export const updateTierSchema = z
  .object({ name, rank: z.number().int().min(0).max(1000), requirements: tierRequirementsSchema, benefits: tierBenefitsSchema })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'send at least one field to change');

/** A tier: name, rank (higher is better), requirements and benefits. */
export const tierSchema = z.object({ id, name: z.string(), rank: z.number().int(), requirements: tierRequirementsSchema, benefits: tierBenefitsSchema });

/** A tier as `/api` answers it. */
export type Tier = z.infer<typeof tierSchema>;
/** Tier creation (defaults applied). */
export type CreateTierInput = z.infer<typeof createTierSchema>;
/** Tier update. */
export type UpdateTierInput = z.infer<typeof updateTierSchema>;
/** What a caller may send to create a tier (defaults not yet applied). */
export type CreateTierRequest = z.input<typeof createTierSchema>;
/** What a caller may send to change a tier. */
export type UpdateTierRequest = z.input<typeof updateTierSchema>;

// ---------------------------------------------------------------------------------------------------------
// Partners, onboarding, portal users

/** Where a partner stands: `archived` keeps history and ends portal sessions. */
export const partnerStatuses = ['active', 'paused', 'archived'] as const;

const partnerFields = {
  name,
  type: slug,
  region: z.string().trim().min(1).max(64),
  segments: z.array(z.string().trim().min(1).max(64)).max(50),
  tierId: id.nullable(),
  certifiedStaff: z.number().int().min(0).max(1_000_000),
};

/** `POST /api/partners`. */
export const createPartnerSchema = z.object({ ...partnerFields, segments: partnerFields.segments.default([]), tierId: partnerFields.tierId.optional(), certifiedStaff: partnerFields.certifiedStaff.default(0) }).strict();

/** `PATCH /api/partners/:id`. */
export const updatePartnerSchema = z
  .object({ ...partnerFields, status: z.enum(['active', 'paused']) })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'send at least one field to change');

/** `GET /api/partners` filters. */
export const listPartnersSchema = z.object({ status: z.enum(partnerStatuses).optional(), tierId: id.optional(), type: slug.optional(), region: z.string().max(64).optional() }).strict();

/** A partner (合作伙伴): profile, tier and status (its checklist is `/api/partners/:id/onboarding`). */
export const partnerSchema = z.object({
  id,
  name: z.string(),
  type: z.string(),
  region: z.string(),
  segments: z.array(z.string()),
  tierId: z.string().nullable(),
  status: z.enum(partnerStatuses),
  certifiedStaff: count,
  createdAt: timestamp,
  archivedAt: timestamp.nullable(),
});

/** The facts that tick automatic checklist items. */
export const onboardingFacts = ['hasAgreement', 'hasPortalUser', 'hasChannel', 'hasKey', 'hasUsage'] as const;

/** One checklist item; `auto` items are done exactly when their fact holds. */
export const onboardingItemAnswer = z.object({ id: z.string(), title: z.string(), auto: z.enum(onboardingFacts).optional(), done: z.boolean(), doneAt: z.string().nullable() });

/** A partner's onboarding checklist with its progress (`percent` rounds down, so 100 means every item). */
export const onboardingProgressSchema = z.object({ items: z.array(onboardingItemAnswer), done: count, total: count, percent: z.number().int().min(0).max(100) });

/** `PUT /api/partners/:id/onboarding/:item`. */
export const tickOnboardingSchema = z.object({ done: z.boolean() }).strict();

/** `POST /api/partners/:id/onboarding`: add a custom checklist item. */
export const addOnboardingItemSchema = z.object({ id: z.string().regex(/^[a-z0-9_]{1,48}$/, 'use lower-case letters, digits and _'), title: z.string().trim().min(1).max(200) }).strict();

/** Whether a portal user may sign in. */
export const partnerUserStatuses = ['active', 'disabled'] as const;

/** `POST /api/partners/:id/users`. */
export const createPartnerUserSchema = z.object({ email: z.email().max(254), name: z.string().trim().max(120).default(''), password: z.string().min(12, 'use at least 12 characters').max(256) }).strict();

/** `PATCH /api/partners/:id/users/:userId`. */
export const updatePartnerUserSchema = z
  .object({ name: z.string().trim().max(120), password: z.string().min(12, 'use at least 12 characters').max(256), status: z.enum(partnerUserStatuses) })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'send at least one field to change');

/** A partner-portal user (never the password hash). */
export const partnerUserSchema = z.object({ id, partnerId: id, email: z.string(), name: z.string(), status: z.enum(partnerUserStatuses), createdAt: timestamp, lastLoginAt: timestamp.nullable() });

/** A partner as `/api` answers it. */
export type Partner = z.infer<typeof partnerSchema>;
/** Partner creation. */
export type CreatePartnerInput = z.infer<typeof createPartnerSchema>;
/** Partner update. */
export type UpdatePartnerInput = z.infer<typeof updatePartnerSchema>;
/** Partner list filters. */
export type ListPartnersInput = z.infer<typeof listPartnersSchema>;
/** A checklist with its progress. */
export type OnboardingProgressAnswer = z.infer<typeof onboardingProgressSchema>;
/** A portal user as `/api` answers it. */
export type PartnerUserAnswer = z.infer<typeof partnerUserSchema>;
/** Partner-user creation. */
export type CreatePartnerUserInput = z.infer<typeof createPartnerUserSchema>;
/** Partner-user update. */
export type UpdatePartnerUserInput = z.infer<typeof updatePartnerUserSchema>;

// ---------------------------------------------------------------------------------------------------------
// Agreements

/** An agreement's life: the current one is `active`; a new one makes it `superseded`; ending it makes it `ended`. */
export const agreementStatuses = ['active', 'superseded', 'ended'] as const;

/** Service levels an agreement promises. */
export const slaSchema = z.object({ maxErrorRateBps: bps, maxP95LatencyMs: z.number().int().min(1).max(600_000) }).partial().strict();

/** `POST /api/agreements`: a new agreement for a partner; it supersedes the partner's current one. */
export const createAgreementSchema = z
  .object({
    partnerId: id,
    revenueShareBps: bps.default(0),
    discountBps: bps.default(0),
    minCommitMicros: micros.default(0),
    monthlyTokenQuota: nonNegInt.nullable().default(null),
    sla: slaSchema.default({}),
    startsAt: timestamp.optional(),
    endsAt: timestamp.nullable().optional(),
  })
  .strict()
  .refine((a) => a.revenueShareBps === 0 || a.discountBps === 0, { message: 'an agreement pays either a revenue share or a wholesale discount, not both', path: ['discountBps'] })
  .refine((a) => !a.startsAt || !a.endsAt || a.endsAt > a.startsAt, { message: 'must be after startsAt', path: ['endsAt'] });

/** `POST /api/agreements/:id/end`. */
export const endAgreementSchema = z.object({ endsAt: timestamp.optional() }).strict();

/** `GET /api/agreements` filters. */
export const listAgreementsSchema = z.object({ partnerId: id.optional(), status: z.enum(agreementStatuses).optional() }).strict();

/** An agreement: revenue share or wholesale discount, minimum commitment, quota, SLA and term. */
export const agreementSchema = z.object({
  id,
  partnerId: id,
  revenueShareBps: bps,
  discountBps: bps,
  minCommitMicros: micros,
  /** Tokens per month across the partner's customers; null is unlimited. */
  monthlyTokenQuota: count.nullable(),
  sla: slaSchema,
  startsAt: timestamp,
  endsAt: timestamp.nullable(),
  status: z.enum(agreementStatuses),
  supersedesId: z.string().nullable(),
  createdAt: timestamp,
});

/** An agreement as `/api` answers it. */
export type AgreementAnswer = z.infer<typeof agreementSchema>;
/** Agreement creation. */
export type CreateAgreementInput = z.infer<typeof createAgreementSchema>;
/** Service levels. */
export type SlaInput = z.infer<typeof slaSchema>;

// ---------------------------------------------------------------------------------------------------------
// Statements

/** A statement's life: drafts are recomputed on demand; a final one is immutable. */
export const statementStatuses = ['draft', 'final'] as const;

/** `POST /api/statements`: compute (or recompute) drafts of a month, for one partner or every partner. */
export const generateStatementsSchema = z.object({ month, partnerId: id.optional() }).strict();

/** `GET /api/statements` filters. */
export const listStatementsSchema = z.object({ partnerId: id.optional(), month: month.optional(), status: z.enum(statementStatuses).optional() }).strict();

/** One statement line: usage (or a late adjustment) of one customer on one model under one agreement. */
export const statementLineSchema = z.object({
  kind: z.enum(['usage', 'adjustment']),
  month,
  agreementId: z.string().nullable(),
  basis: z.enum(['revenue_share', 'wholesale_discount', 'none']),
  bps: z.number().int(),
  customerId: z.string().nullable(),
  model: z.string(),
  requests: z.number().int(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  revenueMicros: signedMicros,
  shareMicros: signedMicros,
});

/** A monthly revenue-share statement with its lines; `coveredSeq` is the last ledger row it settled. */
export const statementSchema = z.object({
  id,
  partnerId: id,
  month,
  status: z.enum(statementStatuses),
  revenueMicros: signedMicros,
  shareMicros: signedMicros,
  adjustmentMicros: signedMicros,
  lines: z.array(statementLineSchema),
  coveredSeq: count,
  createdAt: timestamp,
  finalizedAt: timestamp.nullable(),
});

/** A statement as `/api` answers it. */
export type StatementAnswer = z.infer<typeof statementSchema>;

/** A statement's CSV: one row per line and a total row, money in exact decimals. */
export const statementCsvSchema = z.string();

// ---------------------------------------------------------------------------------------------------------
// Scorecards

/** `?month=YYYY-MM`; without it, the current month (UTC). */
export const monthQuerySchema = z.object({ month: month.optional() }).strict();

/** A partner's month in numbers. Rates are integer basis points (10,000 = 100 %); null when undefined. */
export const scorecardMetricsSchema = z.object({
  customersSourced: count,
  activeCustomers: count,
  requests: count,
  tokens: count,
  revenueMicros: signedMicros,
  previousRevenueMicros: signedMicros,
  revenueGrowthBps: signedBps.nullable(),
  retentionBps: signedBps.nullable(),
  errorRateBps: signedBps.nullable(),
  latencyP95Ms: z.number().nullable(),
  certifiedStaff: count,
});

/** One tier requirement checked against a month; `met` is false when the metric is undefined. */
export const requirementCheckSchema = z.object({
  key: z.enum(tierRequirementKeys as [RequirementKey, ...RequirementKey[]]),
  label: z.string(),
  bound: z.enum(['min', 'max']),
  unit: z.enum(['micros', 'count', 'bps']),
  required: z.number(),
  actual: z.number().nullable(),
  met: z.boolean(),
});

/** What to do with a partner's tier, and why (`evidence`: the checks the advice rests on). */
export const tierRecommendationSchema = z.object({
  action: z.enum(['promote', 'demote', 'keep', 'assign', 'none']),
  currentTierId: z.string().nullable(),
  currentTierName: z.string().nullable(),
  recommendedTierId: z.string().nullable(),
  recommendedTierName: z.string().nullable(),
  reason: z.string(),
  checks: z.array(requirementCheckSchema),
  evidence: z.array(requirementCheckSchema),
  next: z.object({ tierId: z.string(), tierName: z.string(), checks: z.array(requirementCheckSchema) }).nullable(),
  monthEnded: z.boolean(),
});

/** A partner's month: metrics, SLA, commitment, tier compliance and the tier recommendation. */
export const scorecardSchema = z.object({
  partnerId: id,
  partnerName: z.string(),
  month,
  /** False while the month runs: its metrics are month-to-date and the tier advice cannot demote. */
  monthEnded: z.boolean(),
  metrics: scorecardMetricsSchema,
  sla: z.object({
    terms: slaSchema,
    result: z.object({ errorRateOk: z.boolean().nullable(), latencyOk: z.boolean().nullable(), met: z.boolean() }),
    agreementId: z.string().nullable(),
  }),
  commitment: z.object({ minCommitMicros: micros, shortfallMicros: micros, met: z.boolean() }),
  tier: z.object({ id: z.string().nullable(), name: z.string().nullable(), compliant: z.boolean(), checks: z.array(requirementCheckSchema) }),
  recommendation: tierRecommendationSchema,
});

/** A scorecard as `/api` answers it. */
export type ScorecardAnswer = z.infer<typeof scorecardSchema>;
/** A requirement check as `/api` answers it. */
export type RequirementCheckAnswer = z.infer<typeof requirementCheckSchema>;
/** A tier recommendation as `/api` answers it. */
export type TierRecommendationAnswer = z.infer<typeof tierRecommendationSchema>;

// ---------------------------------------------------------------------------------------------------------
// Routes

const partnerParams = z.object({ id }).strict();
const itemParams = z.object({ id, item: z.string().min(1).max(48) }).strict();
const userParams = z.object({ id, userId: id }).strict();
const idOnly = z.object({ id }).strict();

/** `/api/partners` and `/api/scorecards`. */
export const partnerRoutes = {
  list: defineRoute({ method: 'GET', url: '/api/partners', tag: 'partners', access: 'admin', summary: 'List partners (filters: status, tier, type, region)', query: listPartnersSchema, response: { 200: listOf(partnerSchema) } }),
  create: defineRoute({ method: 'POST', url: '/api/partners', tag: 'partners', access: 'admin', summary: 'Create a partner (starts its onboarding checklist)', body: createPartnerSchema, response: { 201: partnerSchema } }),
  get: defineRoute({ method: 'GET', url: '/api/partners/:id', tag: 'partners', access: 'admin', summary: 'One partner', params: partnerParams, response: { 200: partnerSchema } }),
  update: defineRoute({ method: 'PATCH', url: '/api/partners/:id', tag: 'partners', access: 'admin', summary: 'Change a partner\'s profile, tier or status', params: partnerParams, body: updatePartnerSchema, response: { 200: partnerSchema } }),
  archive: defineRoute({ method: 'POST', url: '/api/partners/:id/archive', tag: 'partners', access: 'admin', summary: 'Archive a partner (keeps history, ends portal sessions)', params: partnerParams, response: { 200: partnerSchema } }),
  remove: defineRoute({ method: 'DELETE', url: '/api/partners/:id', tag: 'partners', access: 'admin', summary: 'Delete a partner nothing refers to (else 409 QD_REFERENCED)', params: partnerParams, response: { 204: noContent } }),
  onboarding: defineRoute({ method: 'GET', url: '/api/partners/:id/onboarding', tag: 'partners', access: 'admin', summary: 'A partner\'s onboarding checklist and progress', params: partnerParams, response: { 200: onboardingProgressSchema } }),
  addOnboardingItem: defineRoute({ method: 'POST', url: '/api/partners/:id/onboarding', tag: 'partners', access: 'admin', summary: 'Add a manual checklist item', params: partnerParams, body: addOnboardingItemSchema, response: { 201: onboardingProgressSchema } }),
  tickOnboarding: defineRoute({ method: 'PUT', url: '/api/partners/:id/onboarding/:item', tag: 'partners', access: 'admin', summary: 'Tick or untick a manual checklist item', params: itemParams, body: tickOnboardingSchema, response: { 200: onboardingProgressSchema } }),
  users: defineRoute({ method: 'GET', url: '/api/partners/:id/users', tag: 'partners', access: 'admin', summary: 'A partner\'s portal users', params: partnerParams, response: { 200: listOf(partnerUserSchema) } }),
  createUser: defineRoute({ method: 'POST', url: '/api/partners/:id/users', tag: 'partners', access: 'admin', summary: 'Add a portal user', params: partnerParams, body: createPartnerUserSchema, response: { 201: partnerUserSchema } }),
  updateUser: defineRoute({ method: 'PATCH', url: '/api/partners/:id/users/:userId', tag: 'partners', access: 'admin', summary: 'Change a portal user (a new password or disabling ends their sessions)', params: userParams, body: updatePartnerUserSchema, response: { 200: partnerUserSchema } }),
  removeUser: defineRoute({ method: 'DELETE', url: '/api/partners/:id/users/:userId', tag: 'partners', access: 'admin', summary: 'Delete a portal user and their sessions', params: userParams, response: { 204: noContent } }),
  scorecard: defineRoute({ method: 'GET', url: '/api/partners/:id/scorecard', tag: 'partners', access: 'admin', summary: 'A partner\'s scorecard and tier recommendation (month defaults to the current one)', params: partnerParams, query: monthQuerySchema, response: { 200: scorecardSchema } }),
  scorecards: defineRoute({ method: 'GET', url: '/api/scorecards', tag: 'partners', access: 'admin', summary: 'Every partner\'s scorecard for a month (default: the current one)', query: monthQuerySchema, response: { 200: listOf(scorecardSchema) } }),
} as const;

/** `/api/tiers`. */
export const tierRoutes = {
  list: defineRoute({ method: 'GET', url: '/api/tiers', tag: 'tiers', access: 'admin', summary: 'List tiers, lowest rank first', response: { 200: listOf(tierSchema) } }),
  create: defineRoute({ method: 'POST', url: '/api/tiers', tag: 'tiers', access: 'admin', summary: 'Create a tier', body: createTierSchema, response: { 201: tierSchema } }),
  get: defineRoute({ method: 'GET', url: '/api/tiers/:id', tag: 'tiers', access: 'admin', summary: 'One tier', params: idOnly, response: { 200: tierSchema } }),
  update: defineRoute({ method: 'PATCH', url: '/api/tiers/:id', tag: 'tiers', access: 'admin', summary: 'Change a tier', params: idOnly, body: updateTierSchema, response: { 200: tierSchema } }),
  remove: defineRoute({ method: 'DELETE', url: '/api/tiers/:id', tag: 'tiers', access: 'admin', summary: 'Delete a tier no partner holds (else 409 QD_REFERENCED)', params: idOnly, response: { 204: noContent } }),
} as const;

/** `/api/agreements`: history, so no PATCH, and DELETE is always refused. */
export const agreementRoutes = {
  list: defineRoute({ method: 'GET', url: '/api/agreements', tag: 'agreements', access: 'admin', summary: 'List agreements (history included), newest start first', query: listAgreementsSchema, response: { 200: listOf(agreementSchema) } }),
  create: defineRoute({ method: 'POST', url: '/api/agreements', tag: 'agreements', access: 'admin', summary: 'Sign an agreement (supersedes the partner\'s current one)', body: createAgreementSchema, response: { 201: agreementSchema } }),
  get: defineRoute({ method: 'GET', url: '/api/agreements/:id', tag: 'agreements', access: 'admin', summary: 'One agreement', params: idOnly, response: { 200: agreementSchema } }),
  end: defineRoute({ method: 'POST', url: '/api/agreements/:id/end', tag: 'agreements', access: 'admin', summary: 'End the partner\'s current agreement (default: now)', params: idOnly, body: endAgreementSchema, response: { 200: agreementSchema } }),
  remove: defineRoute({
    method: 'DELETE',
    url: '/api/agreements/:id',
    tag: 'agreements',
    access: 'admin',
    summary: 'Always refused (409 QD_IMMUTABLE): agreements are history; end one or sign a new one',
    params: idOnly,
    response: { 204: noContent },
  }),
} as const;

/** `/api/statements`: monthly revenue-share statements. */
export const statementRoutes = {
  list: defineRoute({ method: 'GET', url: '/api/statements', tag: 'statements', access: 'admin', summary: 'List statements, newest month first', query: listStatementsSchema, response: { 200: listOf(statementSchema) } }),
  generate: defineRoute({ method: 'POST', url: '/api/statements', tag: 'statements', access: 'admin', summary: 'Compute (or recompute) the drafts of a month, for one partner or all', body: generateStatementsSchema, response: { 201: listOf(statementSchema) }, audit: { action: 'statements.generate' } }),
  get: defineRoute({ method: 'GET', url: '/api/statements/:id', tag: 'statements', access: 'admin', summary: 'One statement with its lines', params: idOnly, response: { 200: statementSchema } }),
  csv: defineRoute({ method: 'GET', url: '/api/statements/:id/csv', tag: 'statements', access: 'admin', summary: 'A statement as CSV (attachment <id>.csv)', params: idOnly, produces: 'text/csv', response: { 200: statementCsvSchema } }),
  finalize: defineRoute({ method: 'POST', url: '/api/statements/:id/finalize', tag: 'statements', access: 'admin', summary: 'Finalise a draft of an ended month (recomputed, then frozen)', params: idOnly, response: { 200: statementSchema } }),
  remove: defineRoute({ method: 'DELETE', url: '/api/statements/:id', tag: 'statements', access: 'admin', summary: 'Delete a draft (a final statement is 409 QD_IMMUTABLE)', params: idOnly, response: { 204: noContent } }),
} as const;
