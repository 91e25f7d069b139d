import { z } from 'zod';
import { tierBenefitsSchema, tierRequirementsSchema } from './tier-rules.js';

const slug = z.string().regex(/^[a-z][a-z0-9_]{0,47}$/, 'use lower-case letters, digits and _ (start with a letter)');
const name = z.string().trim().min(1, 'must not be empty').max(120);
const bps = z.number().int().min(0).max(10_000);
const micros = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const instant = z.iso.datetime({ offset: true });

const partnerFields = {
  name,
  type: slug,
  region: z.string().trim().min(1).max(64),
  segments: z.array(z.string().trim().min(1).max(64)).max(50),
  tierId: z.string().min(1).nullable(),
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
export const listPartnersSchema = z.object({ status: z.enum(['active', 'paused', 'archived']).optional(), tierId: z.string().optional(), type: slug.optional(), region: z.string().optional() }).strict();

/** `POST /api/tiers`. */
export const createTierSchema = z.object({ name, rank: z.number().int().min(0).max(1000), requirements: tierRequirementsSchema.default({}), benefits: tierBenefitsSchema.default({}) }).strict();

/** `PATCH /api/tiers/:id`. */
export const updateTierSchema = z
  .object({ name, rank: z.number().int().min(0).max(1000), requirements: tierRequirementsSchema, benefits: tierBenefitsSchema })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'send at least one field to change');

/** Service levels an agreement promises. */
export const slaSchema = z.object({ maxErrorRateBps: bps, maxP95LatencyMs: z.number().int().min(1).max(600_000) }).partial().strict();

/** `POST /api/agreements`: a new agreement for a partner; it supersedes the partner's current one. */
export const createAgreementSchema = z
  .object({
    partnerId: z.string().min(1),
    revenueShareBps: bps.default(0),
    discountBps: bps.default(0),
    minCommitMicros: micros.default(0),
    monthlyTokenQuota: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable().default(null),
    sla: slaSchema.default({}),
    startsAt: instant.optional(),
    endsAt: instant.nullable().optional(),
  })
  .strict()
  .refine((a) => a.revenueShareBps === 0 || a.discountBps === 0, { message: 'an agreement pays either a revenue share or a wholesale discount, not both', path: ['discountBps'] })
  .refine((a) => !a.startsAt || !a.endsAt || a.endsAt > a.startsAt, { message: 'must be after startsAt', path: ['endsAt'] });

/** `POST /api/agreements/:id/end`. */
export const endAgreementSchema = z.object({ endsAt: instant.optional() }).strict();

/** `GET /api/agreements` filters. */
export const listAgreementsSchema = z.object({ partnerId: z.string().optional(), status: z.enum(['active', 'superseded', 'ended']).optional() }).strict();

/** `POST /api/statements`: compute (or recompute) drafts of a month, for one partner or every partner. */
export const generateStatementsSchema = z.object({ month: z.string(), partnerId: z.string().min(1).optional() }).strict();

/** `GET /api/statements` filters. */
export const listStatementsSchema = z.object({ partnerId: z.string().optional(), month: z.string().optional(), status: z.enum(['draft', 'final']).optional() }).strict();

/** `PUT /api/partners/:id/onboarding/:item`. */
export const tickOnboardingSchema = z.object({ done: z.boolean() }).strict();

/** `POST /api/partners/:id/onboarding`: add a custom checklist item. */
export const addOnboardingItemSchema = z.object({ id: z.string().regex(/^[a-z0-9_]{1,48}$/, 'use lower-case letters, digits and _'), title: z.string().trim().min(1).max(200) }).strict();

/** `POST /api/partners/:id/users`. */
export const createPartnerUserSchema = z.object({ email: z.email().max(254), name: z.string().trim().max(120).default(''), password: z.string().min(12, 'use at least 12 characters').max(256) }).strict();

/** `PATCH /api/partners/:id/users/:userId`. */
export const updatePartnerUserSchema = z
  .object({ name: z.string().trim().max(120), password: z.string().min(12, 'use at least 12 characters').max(256), status: z.enum(['active', 'disabled']) })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'send at least one field to change');

/** `POST /api/portal/login`. */
export const loginSchema = z.object({ email: z.string().min(1).max(254), password: z.string().min(1).max(256) }).strict();

/** `POST /api/portal/keys`: a key for one of the partner's own customers. */
export const portalCreateKeySchema = z.object({ customerId: z.string().min(1), name: z.string().max(120).optional(), channelId: z.string().min(1).optional() }).strict();

/** A `?month=YYYY-MM` query. */
export const monthQuerySchema = z.object({ month: z.string().optional() }).strict();

/** Input types, inferred from the schemas. */
export type CreatePartnerInput = z.infer<typeof createPartnerSchema>;
/** Partner update. */
export type UpdatePartnerInput = z.infer<typeof updatePartnerSchema>;
/** Tier creation. */
export type CreateTierInput = z.infer<typeof createTierSchema>;
/** Tier update. */
export type UpdateTierInput = z.infer<typeof updateTierSchema>;
/** What a caller may send to create a tier (defaults not yet applied). */
export type CreateTierRequest = z.input<typeof createTierSchema>;
/** What a caller may send to change a tier. */
export type UpdateTierRequest = z.input<typeof updateTierSchema>;
/** Agreement creation. */
export type CreateAgreementInput = z.infer<typeof createAgreementSchema>;
/** Partner-user creation. */
export type CreatePartnerUserInput = z.infer<typeof createPartnerUserSchema>;
/** Partner-user update. */
export type UpdatePartnerUserInput = z.infer<typeof updatePartnerUserSchema>;
