import { z } from 'zod';

const id = z.string().min(1).max(80);
const micros = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const customerFields = {
  name: z.string().trim().min(1, 'must not be empty').max(200),
  email: z.email().nullable().optional(),
  segmentId: id.nullable().optional(),
  region: z.string().trim().min(1).max(60).nullable().optional(),
  companySize: z.string().trim().min(1).max(60).nullable().optional(),
  acquiredChannelId: id.nullable().optional(),
  acquiredPartnerId: id.nullable().optional(),
  acquiredCampaignId: id.nullable().optional(),
  spendBudgetMicros: micros.nullable().optional(),
  monthlyTokenQuota: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable().optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
};

/**
 * `POST /api/customers`. `visitorId` (the `qd_vid` cookie of the signup's browser) links the visitor's
 * earlier touchpoints to the new customer, records the signup touchpoint, and fills in acquisition fields
 * left empty from the visitor's last campaign touch.
 */
export const createCustomerSchema = z.object({ ...customerFields, acquiredAt: z.iso.datetime({ offset: true }).optional(), visitorId: z.string().min(1).max(120).optional() }).strict();

/** `PATCH /api/customers/:id`: any subset; status moves between active and paused (archive has its own route). */
export const updateCustomerSchema = z
  .object({ ...customerFields, status: z.enum(['active', 'paused']) })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'send at least one field to change');

/** `GET /api/customers` filters and paging; `q` searches name and email (case-insensitive substring) or an exact id. */
export const listCustomersSchema = z
  .object({
    status: z.enum(['active', 'paused', 'archived']).optional(),
    channelId: id.optional(),
    partnerId: id.optional(),
    campaignId: id.optional(),
    segmentId: id.optional(),
    q: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

/** `POST /api/portal/customers`: a partner signs up one of its own customers. */
export const portalCreateCustomerSchema = z.object({ name: customerFields.name, email: customerFields.email, segmentId: customerFields.segmentId, region: customerFields.region, companySize: customerFields.companySize, channelId: id.optional() }).strict();

/** Input of customer creation. */
export type CreateCustomerInput = z.infer<typeof createCustomerSchema>;
/** Input of a customer update. */
export type UpdateCustomerInput = z.infer<typeof updateCustomerSchema>;
/** Filters of the customer list. */
export type ListCustomersInput = z.infer<typeof listCustomersSchema>;
