import { z } from 'zod';
import { count, id, idParams, listOf, meta, micros, month, noContent, signedMicros, timestamp } from './common.js';
import { defineRoute } from './route.js';

const slug = z.string().regex(/^[a-z][a-z0-9_]{0,47}$/, 'use lower-case letters, digits and _ (start with a letter)');
const name = z.string().trim().min(1, 'must not be empty').max(120);
const bps = z.number().int().min(0).max(10_000);

/** How a channel earns: nothing, the wholesale discount it buys at, or a share of the revenue it brings. */
export const marginKinds = ['none', 'wholesale_discount', 'revenue_share'] as const;
/** One of {@link marginKinds}. */
export type MarginKind = (typeof marginKinds)[number];

/** Where a channel stands: `archived` keeps its history but takes no new keys. */
export const channelStatuses = ['active', 'paused', 'archived'] as const;

/** `POST /api/channel-types`. */
export const createChannelTypeSchema = z.object({ id: slug, name, description: z.string().max(500).default(''), defaultMarginKind: z.enum(marginKinds).default('none') }).strict();

const channelFields = {
  name,
  type: slug,
  ownerPartnerId: z.string().min(1).nullable().optional(),
  defaultPlanId: z.string().min(1).nullable().optional(),
  marginKind: z.enum(marginKinds).optional(),
  marginBps: bps.optional(),
  meta: meta.optional(),
};

/** `POST /api/channels`. */
export const createChannelSchema = z.object(channelFields).strict();

/** `PATCH /api/channels/:id`: any subset; `status` may move between active and paused (archive has its own route). */
export const updateChannelSchema = z
  .object({ ...channelFields, status: z.enum(['active', 'paused']) })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'send at least one field to change');

/** `GET /api/channels` filters. */
export const listChannelsSchema = z.object({ status: z.enum(channelStatuses).optional(), type: slug.optional(), ownerPartnerId: z.string().optional() }).strict();

/** `GET /api/channels/map`: a half-open time range `[from, to)`, or a month; defaults to the current month. */
export const channelMapSchema = z.object({ from: timestamp.optional(), to: timestamp.optional(), month: month.optional() }).strict();

/** A channel type (direct, reseller, … and any the workspace adds). */
export const channelTypeSchema = z.object({ id: z.string(), name: z.string(), description: z.string(), defaultMarginKind: z.enum(marginKinds), createdAt: timestamp });

/** A route to market: its type, owner partner, default plan and the margin it keeps. */
export const channelSchema = z.object({
  id,
  name: z.string(),
  type: z.string(),
  ownerPartnerId: z.string().nullable(),
  defaultPlanId: z.string().nullable(),
  marginKind: z.enum(marginKinds),
  marginBps: bps,
  status: z.enum(channelStatuses),
  meta,
  createdAt: timestamp,
  archivedAt: timestamp.nullable(),
});

/** The channel facts the map shows beside the flows. */
export const channelForMapSchema = z.object({
  id,
  name: z.string(),
  type: z.string(),
  status: z.enum(channelStatuses),
  ownerPartnerId: z.string().nullable(),
  defaultPlanId: z.string().nullable(),
  marginKind: z.enum(marginKinds),
  marginBps: bps,
});

/** One node of the channel map: who and what flows through the channel over the period, and what it keeps. */
export const channelMapEntrySchema = z.object({
  /** Null for traffic that came through no channel. */
  channelId: z.string().nullable(),
  customers: count,
  customersAcquired: count,
  activeKeys: count,
  activeCustomers: count,
  requests: count,
  tokens: count,
  revenueMicros: micros,
  costMicros: micros,
  channel: channelForMapSchema.nullable(),
  /** The channel's margin on its revenue: ⌊revenue × margin bps / 10,000⌋. */
  marginMicros: micros,
  /** Revenue after the channel's margin and our cost to serve. */
  netMicros: signedMicros,
  /** This channel's share of all revenue in the period, in basis points (rounded down); null with no revenue. */
  revenueShareOfTotalBps: bps.nullable(),
});

/** The channel map of a period: one entry per channel, plus traffic that came through no channel. */
export const channelMapAnswerSchema = z.object({
  from: timestamp,
  to: timestamp,
  entries: z.array(channelMapEntrySchema),
  totals: z.object({ customers: count, activeKeys: count, requests: count, tokens: count, revenueMicros: micros, marginMicros: micros }),
});

/**
 * The channel types every workspace starts with (渠道设计). They are rows of `channel_types`, so a
 * workspace can add its own; nothing in the code branches on these ids.
 */
export const defaultChannelTypes: readonly Required<CreateChannelTypeInput>[] = [
  { id: 'direct', name: 'Direct', description: 'Customers buy from us: self-serve sign-up and our own sales team.', defaultMarginKind: 'none' },
  { id: 'reseller', name: 'Reseller', description: 'A partner buys at a wholesale discount and resells under its own contract.', defaultMarginKind: 'wholesale_discount' },
  { id: 'referral', name: 'Referral', description: 'A partner refers customers who buy from us; the partner earns a revenue share.', defaultMarginKind: 'revenue_share' },
  { id: 'marketplace', name: 'Marketplace', description: 'Listed on a cloud or model marketplace that bills the customer and keeps a fee.', defaultMarginKind: 'revenue_share' },
  { id: 'oem', name: 'OEM / embedded', description: 'The model is embedded in a partner product; the partner pays per use at a discount.', defaultMarginKind: 'wholesale_discount' },
  { id: 'system_integrator', name: 'System integrator', description: 'An integrator builds solutions on the model for enterprise customers and earns a revenue share.', defaultMarginKind: 'revenue_share' },
];

/** Input of channel creation. */
export type CreateChannelInput = z.infer<typeof createChannelSchema>;
/** Input of a channel update. */
export type UpdateChannelInput = z.infer<typeof updateChannelSchema>;
/** Input of channel-type creation. */
export type CreateChannelTypeInput = z.infer<typeof createChannelTypeSchema>;
/** Filters of the channel list. */
export type ListChannelsInput = z.infer<typeof listChannelsSchema>;
/** A channel as `/api` answers it. */
export type ChannelView = z.infer<typeof channelSchema>;
/** A channel type as `/api` answers it. */
export type ChannelTypeView = z.infer<typeof channelTypeSchema>;
/** The channel map as `/api` answers it. */
export type ChannelMapView = z.infer<typeof channelMapAnswerSchema>;
/** One entry of the channel map. */
export type ChannelMapEntryView = z.infer<typeof channelMapEntrySchema>;

const tag = 'channels';

/** The channel routes (admin only). */
export const channelRoutes = {
  listTypes: defineRoute({ method: 'GET', url: '/api/channel-types', tag, access: 'admin', summary: 'List channel types', response: { 200: listOf(channelTypeSchema) } }),
  createType: defineRoute({ method: 'POST', url: '/api/channel-types', tag, access: 'admin', summary: 'Add a channel type', body: createChannelTypeSchema, response: { 201: channelTypeSchema } }),
  removeType: defineRoute({ method: 'DELETE', url: '/api/channel-types/:id', tag, access: 'admin', summary: 'Remove a channel type no channel uses', params: idParams, response: { 204: noContent } }),
  list: defineRoute({ method: 'GET', url: '/api/channels', tag, access: 'admin', summary: 'List channels (by status, type, owner partner)', query: listChannelsSchema, response: { 200: listOf(channelSchema) } }),
  create: defineRoute({ method: 'POST', url: '/api/channels', tag, access: 'admin', summary: 'Create a channel', body: createChannelSchema, response: { 201: channelSchema } }),
  map: defineRoute({
    method: 'GET',
    url: '/api/channels/map',
    tag,
    access: 'admin',
    summary: 'The channel map of a period: customers, keys, traffic, revenue and margin per channel',
    query: channelMapSchema,
    response: { 200: channelMapAnswerSchema },
  }),
  get: defineRoute({ method: 'GET', url: '/api/channels/:id', tag, access: 'admin', summary: 'One channel', params: idParams, response: { 200: channelSchema } }),
  update: defineRoute({ method: 'PATCH', url: '/api/channels/:id', tag, access: 'admin', summary: 'Change a channel', params: idParams, body: updateChannelSchema, response: { 200: channelSchema } }),
  archive: defineRoute({ method: 'POST', url: '/api/channels/:id/archive', tag, access: 'admin', summary: 'Archive a channel (keeps its history)', params: idParams, response: { 200: channelSchema } }),
  remove: defineRoute({
    method: 'DELETE',
    url: '/api/channels/:id',
    tag,
    access: 'admin',
    summary: 'Delete a channel nothing refers to (else 409 QD_REFERENCED)',
    params: idParams,
    response: { 204: noContent },
  }),
} as const;
