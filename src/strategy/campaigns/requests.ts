import { z } from 'zod';
import { STRATEGY_BOUNDS } from '../http/bounds.js';
import { isoTimeSchema, microsSchema, promotionChannelSchema } from '../http/request.js';
import { windowQueryFields } from '../http/window.js';

const label = z.string().trim().min(1, 'must not be empty').max(120);

const campaignFields = {
  name: label,
  goal: z.string().trim().min(1, 'must not be empty').max(500),
  segmentId: z.string().min(1).nullable(),
  promotionChannels: z.array(promotionChannelSchema).max(STRATEGY_BOUNDS.campaignChannels),
  budgetMicros: microsSchema,
  startsAt: isoTimeSchema,
  endsAt: isoTimeSchema.nullable(),
  status: z.enum(['planned', 'active', 'paused', 'ended']),
};

/** `POST /api/campaigns`. */
export const createCampaignSchema = z
  .object({ ...campaignFields, segmentId: campaignFields.segmentId.optional(), promotionChannels: campaignFields.promotionChannels.default([]), budgetMicros: microsSchema.default(0), endsAt: campaignFields.endsAt.optional(), status: campaignFields.status.default('active') })
  .strict();
/** `PATCH /api/campaigns/:id`. */
export const updateCampaignSchema = z.object(campaignFields).partial().strict().refine((v) => Object.keys(v).length > 0, 'send at least one field to change');

/** A tracked-link or referral code: letters, digits, `-` and `_`. */
export const linkCodeSchema = z.string().regex(/^[A-Za-z0-9_-]{3,64}$/, 'use 3–64 letters, digits, - or _');

/** `POST /api/links`: a tracked link or referral code; `code` is generated when absent. */
export const createLinkSchema = z
  .object({
    code: linkCodeSchema.optional(),
    campaignId: z.string().min(1).optional(),
    partnerId: z.string().min(1).optional(),
    promotionChannel: promotionChannelSchema.optional(),
    targetUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  })
  .strict();
/** `GET /api/links` filters. */
export const listLinksSchema = z.object({ campaignId: z.string().optional(), partnerId: z.string().optional() }).strict();

/** `POST /api/spend`: money spent on one promotion channel on one day. Negative amounts are refused. */
export const recordSpendSchema = z
  .object({
    promotionChannel: promotionChannelSchema,
    amountMicros: z.number().int('must be an integer number of micro-units').min(0, 'spend must not be negative').max(Number.MAX_SAFE_INTEGER),
    spentOn: isoTimeSchema,
    campaignId: z.string().min(1).optional(),
    partnerId: z.string().min(1).optional(),
    note: z.string().max(500).default(''),
  })
  .strict();
/** `GET /api/spend` filters. */
export const listSpendSchema = z.object({ ...windowQueryFields, promotionChannel: z.string().optional(), campaignId: z.string().optional() }).strict();

/** A visitor id (the `qd_vid` cookie): 8–64 letters, digits, `-` or `_`. */
export const visitorIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'use 8–64 letters, digits, - or _');

/** `POST /api/touchpoints`: a touchpoint recorded by a signup form or a backend. */
export const recordTouchpointSchema = z
  .object({
    visitorId: visitorIdSchema,
    kind: z.enum(['click', 'view', 'signup']),
    customerId: z.string().min(1).optional(),
    linkCode: linkCodeSchema.optional(),
    campaignId: z.string().min(1).optional(),
    promotionChannel: promotionChannelSchema.optional(),
    occurredAt: isoTimeSchema.optional(),
  })
  .strict();
/** `POST /api/touchpoints/identify`: links a visitor's touchpoints to the customer it became. */
export const identifyVisitorSchema = z.object({ visitorId: visitorIdSchema, customerId: z.string().min(1) }).strict();
/** `GET /api/touchpoints` filters (at least one). */
export const listTouchpointsSchema = z
  .object({ visitorId: z.string().optional(), customerId: z.string().optional(), campaignId: z.string().optional() })
  .strict()
  .refine((v) => v.visitorId || v.customerId || v.campaignId, 'filter by visitorId, customerId or campaignId');

/** `GET /api/attribution`. */
export const attributionQuerySchema = z
  .object({
    ...windowQueryFields,
    by: z.enum(['promotionChannel', 'campaign']).default('promotionChannel'),
    halfLifeDays: z.coerce.number().positive().optional(),
  })
  .strict();

/** Input of campaign creation. */
export type CreateCampaignInput = z.infer<typeof createCampaignSchema>;
/** Input of a campaign update. */
export type UpdateCampaignInput = z.infer<typeof updateCampaignSchema>;
/** Input of link creation. */
export type CreateLinkInput = z.infer<typeof createLinkSchema>;
/** Input of recording spend. */
export type RecordSpendInput = z.infer<typeof recordSpendSchema>;
/** Input of recording a touchpoint. */
export type RecordTouchpointInput = z.infer<typeof recordTouchpointSchema>;
/** The key touchpoints are credited to in attribution. */
export type AttributionKey = z.infer<typeof attributionQuerySchema>['by'];
