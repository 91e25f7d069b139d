import { z } from 'zod';
import { count, id, idParams, listOf, micros, timestamp } from '../common.js';
import { defineRoute } from '../route.js';
import { promotionChannelSchema, STRATEGY_BOUNDS, windowAnswerFields, windowQueryFields, windowQuerySchema } from './common.js';

const label = z.string().trim().min(1, 'must not be empty').max(120);

/** Where a campaign stands. */
export const campaignStatuses = ['planned', 'active', 'paused', 'ended'] as const;
/** The kinds of touchpoint. */
export const touchpointKinds = ['click', 'view', 'signup'] as const;

const campaignFields = {
  name: label,
  goal: z.string().trim().min(1, 'must not be empty').max(500),
  segmentId: z.string().min(1).nullable(),
  promotionChannels: z.array(promotionChannelSchema).max(STRATEGY_BOUNDS.campaignChannels),
  budgetMicros: micros,
  startsAt: timestamp,
  endsAt: timestamp.nullable(),
  status: z.enum(campaignStatuses),
};

/** `POST /api/campaigns`. */
export const createCampaignSchema = z
  .object({ ...campaignFields, segmentId: campaignFields.segmentId.optional(), promotionChannels: campaignFields.promotionChannels.default([]), budgetMicros: micros.default(0), endsAt: campaignFields.endsAt.optional(), status: campaignFields.status.default('active') })
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
    spentOn: timestamp,
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
    kind: z.enum(touchpointKinds),
    customerId: z.string().min(1).optional(),
    linkCode: linkCodeSchema.optional(),
    campaignId: z.string().min(1).optional(),
    promotionChannel: promotionChannelSchema.optional(),
    occurredAt: timestamp.optional(),
  })
  .strict();
/** `POST /api/touchpoints/identify`: links a visitor's touchpoints to the customer it became. */
export const identifyVisitorSchema = z.object({ visitorId: visitorIdSchema, customerId: z.string().min(1) }).strict();
/** `GET /api/touchpoints` filters (at least one). */
export const listTouchpointsSchema = z
  .object({ visitorId: z.string().optional(), customerId: z.string().optional(), campaignId: z.string().optional() })
  .strict()
  .refine((v) => v.visitorId || v.customerId || v.campaignId, 'filter by visitorId, customerId or campaignId');

/** The key touchpoints are credited to in attribution. */
export const attributionKeySchema = z.enum(['promotionChannel', 'campaign']);

/** `GET /api/attribution`. */
export const attributionQuerySchema = z
  .object({
    ...windowQueryFields,
    by: attributionKeySchema.default('promotionChannel'),
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
export type AttributionKey = z.infer<typeof attributionKeySchema>;

/** A marketing campaign. */
export const campaignSchema = z.object({
  id,
  name: z.string(),
  goal: z.string(),
  segmentId: z.string().nullable(),
  promotionChannels: z.array(z.string()),
  budgetMicros: micros,
  startsAt: timestamp,
  endsAt: timestamp.nullable(),
  status: z.enum(campaignStatuses),
  createdAt: timestamp,
});

/** A tracked link with what it brought: clicks, distinct visitors, customers. */
export const trackedLinkSchema = z.object({
  id,
  code: z.string(),
  campaignId: z.string().nullable(),
  partnerId: z.string().nullable(),
  promotionChannel: z.string().nullable(),
  targetUrl: z.string(),
  createdAt: timestamp,
  clicks: count,
  visitors: count,
  customers: count,
});

/** Money spent on one promotion channel on one day. */
export const spendSchema = z.object({
  id,
  campaignId: z.string().nullable(),
  promotionChannel: z.string(),
  partnerId: z.string().nullable(),
  spentOn: timestamp,
  amountMicros: micros,
  note: z.string(),
});

/** A touchpoint on a visitor's path to signup. */
export const touchpointSchema = z.object({
  id,
  visitorId: z.string(),
  customerId: z.string().nullable(),
  occurredAt: timestamp,
  campaignId: z.string().nullable(),
  linkId: z.string().nullable(),
  promotionChannel: z.string().nullable(),
  kind: z.enum(touchpointKinds),
});

/** `GET /api/campaigns/:id/performance`. */
export const campaignPerformanceSchema = z.object({
  campaign: campaignSchema,
  ...windowAnswerFields,
  spendMicros: z.number(),
  /** Spend ÷ budget; null without a budget. */
  budgetUsed: z.number().nullable(),
  clicks: count,
  visitors: count,
  customers: count,
  /** Revenue credited to the campaign, by attribution model. */
  attributedRevenueMicros: z.record(z.string(), z.number()),
  /** Conversions credited to the campaign, by attribution model. */
  attributedConversions: z.record(z.string(), z.number()),
});

const attributionCreditSchema = z.object({ channelId: z.string(), conversions: z.number(), revenueMicros: z.number() });

/** The attribution models. */
export const attributionModels = ['firstTouch', 'lastTouch', 'linear', 'timeDecay', 'positionBased', 'markov'] as const;

/** `GET /api/attribution`: every model's credits side by side, with the Markov removal effects. */
export const attributionReportSchema = z.object({
  ...windowAnswerFields,
  by: attributionKeySchema,
  /** Display names of the keys (campaign names; promotion channels name themselves). */
  labels: z.record(z.string(), z.string()),
  convertingPaths: count,
  nonConvertingPaths: count,
  unattributedCustomers: count,
  totalConversions: z.number(),
  totalRevenueMicros: z.number(),
  channels: z.array(z.string()),
  models: z.array(z.object({ model: z.enum(attributionModels), credits: z.array(attributionCreditSchema) })),
  markov: z
    .object({
      conversionProbability: z.number(),
      removalEffects: z.array(z.object({ channelId: z.string(), conversionProbabilityWithout: z.number(), removalEffect: z.number(), share: z.number() })),
      credits: z.array(attributionCreditSchema),
    })
    .nullable(),
});

/** A campaign as answered. */
export type CampaignAnswer = z.infer<typeof campaignSchema>;
/** `GET /api/attribution` as answered. */
export type AttributionReportAnswer = z.infer<typeof attributionReportSchema>;

const tag = 'campaigns';

/** Campaign planning: campaigns, tracked links, spend, touchpoints, attribution (admin). */
export const campaignRoutes = {
  listCampaigns: defineRoute({ method: 'GET', url: '/api/campaigns', tag, access: 'admin', summary: 'List campaigns', response: { 200: listOf(campaignSchema) } }),
  createCampaign: defineRoute({ method: 'POST', url: '/api/campaigns', tag, access: 'admin', summary: 'Create a campaign', body: createCampaignSchema, response: { 201: campaignSchema } }),
  getCampaign: defineRoute({ method: 'GET', url: '/api/campaigns/:id', tag, access: 'admin', summary: 'One campaign', params: idParams, response: { 200: campaignSchema } }),
  updateCampaign: defineRoute({ method: 'PATCH', url: '/api/campaigns/:id', tag, access: 'admin', summary: 'Change a campaign', params: idParams, body: updateCampaignSchema, response: { 200: campaignSchema } }),
  performance: defineRoute({
    method: 'GET',
    url: '/api/campaigns/:id/performance',
    tag,
    access: 'admin',
    summary: "A campaign's spend, clicks, visitors, customers and attributed revenue in the window",
    params: idParams,
    query: windowQuerySchema,
    response: { 200: campaignPerformanceSchema },
  }),
  listLinks: defineRoute({ method: 'GET', url: '/api/links', tag, access: 'admin', summary: 'Tracked links with clicks, visitors and customers', query: listLinksSchema, response: { 200: listOf(trackedLinkSchema) } }),
  createLink: defineRoute({ method: 'POST', url: '/api/links', tag, access: 'admin', summary: 'Create a tracked link or referral code', body: createLinkSchema, response: { 201: trackedLinkSchema } }),
  getLink: defineRoute({ method: 'GET', url: '/api/links/:id', tag, access: 'admin', summary: 'One tracked link', params: idParams, response: { 200: trackedLinkSchema } }),
  listSpend: defineRoute({ method: 'GET', url: '/api/spend', tag, access: 'admin', summary: 'Promotion spend in the window', query: listSpendSchema, response: { 200: listOf(spendSchema) } }),
  recordSpend: defineRoute({ method: 'POST', url: '/api/spend', tag, access: 'admin', summary: 'Record spend on a promotion channel', body: recordSpendSchema, response: { 201: spendSchema } }),
  listTouchpoints: defineRoute({ method: 'GET', url: '/api/touchpoints', tag, access: 'admin', summary: "A visitor's, customer's or campaign's touchpoints", query: listTouchpointsSchema, response: { 200: listOf(touchpointSchema) } }),
  recordTouchpoint: defineRoute({
    method: 'POST',
    url: '/api/touchpoints',
    tag,
    access: 'admin',
    summary: "Record a touchpoint (a customerId also links the visitor's earlier touchpoints)",
    body: recordTouchpointSchema,
    response: { 201: touchpointSchema },
  }),
  identify: defineRoute({
    method: 'POST',
    url: '/api/touchpoints/identify',
    tag,
    access: 'admin',
    summary: "Link a visitor's touchpoints to the customer it became",
    body: identifyVisitorSchema,
    response: { 200: z.object({ linked: count }) },
  }),
  attribution: defineRoute({
    method: 'GET',
    url: '/api/attribution',
    tag,
    access: 'admin',
    summary: 'Attribution of conversions and revenue by every model, by promotion channel or campaign',
    query: attributionQuerySchema,
    response: { 200: attributionReportSchema },
  }),
} as const;
