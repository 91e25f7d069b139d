import { z } from 'zod';

const slug = z.string().regex(/^[a-z][a-z0-9_]{0,47}$/, 'use lower-case letters, digits and _ (start with a letter)');
const name = z.string().trim().min(1, 'must not be empty').max(120);
const bps = z.number().int().min(0).max(10_000);

/** How a channel earns: nothing, the wholesale discount it buys at, or a share of the revenue it brings. */
export const marginKinds = ['none', 'wholesale_discount', 'revenue_share'] as const;

/** `POST /api/channel-types`. */
export const createChannelTypeSchema = z.object({ id: slug, name, description: z.string().max(500).default(''), defaultMarginKind: z.enum(marginKinds).default('none') }).strict();

const channelFields = {
  name,
  type: slug,
  ownerPartnerId: z.string().min(1).nullable().optional(),
  defaultPlanId: z.string().min(1).nullable().optional(),
  marginKind: z.enum(marginKinds).optional(),
  marginBps: bps.optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
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
export const listChannelsSchema = z.object({ status: z.enum(['active', 'paused', 'archived']).optional(), type: slug.optional(), ownerPartnerId: z.string().optional() }).strict();

/** `GET /api/channels/map`: a half-open time range; defaults to the current month. */
export const channelMapSchema = z.object({ from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional(), month: z.string().optional() }).strict();

/** Input of channel creation. */
export type CreateChannelInput = z.infer<typeof createChannelSchema>;
/** Input of a channel update. */
export type UpdateChannelInput = z.infer<typeof updateChannelSchema>;
/** Input of channel-type creation. */
export type CreateChannelTypeInput = z.infer<typeof createChannelTypeSchema>;
