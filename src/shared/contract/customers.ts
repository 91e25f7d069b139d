import { z } from 'zod';
import { count, id, idParams, meta, micros, noContent, pageOf, paging, timestamp } from './common.js';
import { keySchema, planSchema, requestLogSchema, usageRowSchema } from './gateway.js';
import { defineRoute } from './route.js';

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
  meta: meta.optional(),
};

/** Where a customer stands: `archived` also revoked its keys. */
export const customerStatuses = ['active', 'paused', 'archived'] as const;

/** A customer: who pays, and where it was acquired (channel, partner, campaign). */
export const customerSchema = z.object({
  id,
  name: z.string(),
  email: z.string().nullable(),
  segmentId: z.string().nullable(),
  region: z.string().nullable(),
  companySize: z.string().nullable(),
  acquiredChannelId: z.string().nullable(),
  acquiredPartnerId: z.string().nullable(),
  acquiredCampaignId: z.string().nullable(),
  acquiredAt: timestamp,
  spendBudgetMicros: micros.nullable(),
  monthlyTokenQuota: z.number().int().nullable(),
  status: z.enum(customerStatuses),
  meta,
  createdAt: timestamp,
  /** When its personal fields were erased (`POST /api/customers/:id/erase`); null if never. */
  erasedAt: timestamp.nullable(),
});

/** Rows of a table as stored (ids, counts, amounts; times in ISO-8601). */
const tableRows = z.array(z.record(z.string(), z.unknown()));

/**
 * `GET /api/customers/:id/export`: everything Qudao holds about one customer, as JSON — its profile, its API
 * keys (visible prefix only: never the secret or its hash), the plans its keys are on, every usage ledger
 * row and rollup row, its attribution touchpoints (the signup is its conversion), the partner statement
 * lines that name it, its request logs, its plan history, credits and invoices, and audit rows that name it
 * (when the audit trail exists).
 */
export const customerExportSchema = z.object({
  exportedAt: timestamp,
  customer: customerSchema,
  apiKeys: z.array(keySchema),
  plans: z.array(planSchema),
  usage: z.array(usageRowSchema),
  rollups: z.object({ usageDaily: tableRows, customerMonths: tableRows }),
  touchpoints: tableRows,
  statementLines: z.array(z.object({ statementId: z.string(), partnerId: z.string(), month: z.string(), status: z.string(), line: z.record(z.string(), z.unknown()) })),
  requestLogs: z.array(requestLogSchema),
  /** Its plan history, prepaid credit entries and stored invoices (rows as stored). */
  billing: z.object({ planHistory: tableRows, credits: tableRows, invoices: tableRows }),
  /** Its fine-tuning files (with their content) and jobs (rows as stored). */
  fineTuning: z.object({ files: tableRows, jobs: tableRows }),
  audit: z.array(z.object({ table: z.string(), row: z.record(z.string(), z.unknown()) })),
});

/** `POST /api/customers/:id/erase`: `confirm: true` is required, erasure cannot be undone. */
export const eraseCustomerSchema = z.object({ confirm: z.literal(true, 'must be true: erasure cannot be undone') }).strict();

/** What an erasure did. */
export const erasureSchema = z.object({
  customer: customerSchema,
  /** Keys revoked now (keys revoked earlier are not counted). */
  revokedKeys: count,
  /** Attribution touchpoints whose visitor id was replaced by the pseudonym. */
  pseudonymisedTouchpoints: count,
  deletedRequestLogs: count,
  /** Fine-tuning files deleted (their content is the customer's text); its jobs keep ids and counts, not their metadata. */
  deletedFineTuningFiles: count,
});

/**
 * `POST /api/customers`. `visitorId` (the `qd_vid` cookie of the signup's browser) links the visitor's
 * earlier touchpoints to the new customer, records the signup touchpoint, and fills in acquisition fields
 * left empty from the visitor's last campaign touch.
 */
export const createCustomerSchema = z.object({ ...customerFields, acquiredAt: timestamp.optional(), visitorId: z.string().min(1).max(120).optional() }).strict();

/** `PATCH /api/customers/:id`: any subset; status moves between active and paused (archive has its own route). */
export const updateCustomerSchema = z
  .object({ ...customerFields, status: z.enum(['active', 'paused']) })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'send at least one field to change');

/** `GET /api/customers` filters and paging; `q` searches name and email (case-insensitive substring) or an exact id. */
export const listCustomersSchema = z
  .object({
    status: z.enum(customerStatuses).optional(),
    channelId: id.optional(),
    partnerId: id.optional(),
    campaignId: id.optional(),
    segmentId: id.optional(),
    q: z.string().max(200).optional(),
    ...paging,
  })
  .strict();

/** `POST /api/portal/customers`: a partner signs up one of its own customers. */
export const portalCreateCustomerSchema = z
  .object({ name: customerFields.name, email: customerFields.email, segmentId: customerFields.segmentId, region: customerFields.region, companySize: customerFields.companySize, channelId: id.optional() })
  .strict();

/** A customer's data export. */
export type CustomerExport = z.infer<typeof customerExportSchema>;
/** The result of an erasure. */
export type Erasure = z.infer<typeof erasureSchema>;
/** A customer as `/api` answers it. */
export type Customer = z.infer<typeof customerSchema>;
/** Input of customer creation. */
export type CreateCustomerInput = z.infer<typeof createCustomerSchema>;
/** Input of a customer update. */
export type UpdateCustomerInput = z.infer<typeof updateCustomerSchema>;
/** Filters of the customer list. */
export type ListCustomersInput = z.infer<typeof listCustomersSchema>;

const tag = 'customers';

/** The customer routes. */
export const customerRoutes = {
  list: defineRoute({ method: 'GET', url: '/api/customers', tag, access: 'admin', summary: 'List customers (filters, search, paging)', query: listCustomersSchema, response: { 200: pageOf(customerSchema) } }),
  get: defineRoute({ method: 'GET', url: '/api/customers/:id', tag, access: 'admin', summary: 'One customer', params: idParams, response: { 200: customerSchema } }),
  create: defineRoute({ method: 'POST', url: '/api/customers', tag, access: 'admin', summary: 'Create a customer', body: createCustomerSchema, response: { 201: customerSchema } }),
  update: defineRoute({ method: 'PATCH', url: '/api/customers/:id', tag, access: 'admin', summary: 'Change a customer', params: idParams, body: updateCustomerSchema, response: { 200: customerSchema } }),
  archive: defineRoute({ method: 'POST', url: '/api/customers/:id/archive', tag, access: 'admin', summary: 'Archive a customer and revoke its keys', params: idParams, response: { 200: customerSchema } }),
  remove: defineRoute({
    method: 'DELETE',
    url: '/api/customers/:id',
    tag,
    access: 'admin',
    summary: 'Delete a customer nothing refers to (else 409 QD_REFERENCED)',
    params: idParams,
    response: { 204: noContent },
  }),
  exportData: defineRoute({
    method: 'GET',
    url: '/api/customers/:id/export',
    tag,
    access: 'admin',
    summary: 'Everything about one customer as JSON (profile, keys without secrets, plans, ledger, rollups, touchpoints, statement lines, request logs, audit rows)',
    params: idParams,
    response: { 200: customerExportSchema },
  }),
  erase: defineRoute({
    method: 'POST',
    url: '/api/customers/:id/erase',
    tag,
    access: 'admin',
    summary: "Erase a customer's personal fields (a stable pseudonym replaces its name), revoke its keys, delete its request logs; ledger amounts and counts stay",
    params: idParams,
    body: eraseCustomerSchema,
    response: { 200: erasureSchema },
  }),
  portalCreate: defineRoute({
    method: 'POST',
    url: '/api/portal/customers',
    tag: 'portal',
    access: 'partner',
    summary: 'A partner signs up its own customer on a channel it owns',
    body: portalCreateCustomerSchema,
    response: { 201: customerSchema },
  }),
} as const;
