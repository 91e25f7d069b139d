import { z } from 'zod';
import { count, id, listOf, micros, pageOf, paging, timestamp } from './common.js';
import { defineRoute } from './route.js';

/**
 * The gateway's admin API (`/api/keys`, `/api/plans`, `/api/deployments`, `/api/usage`): customer API
 * keys, price plans, deployments with their health, and the usage ledger. camelCase like all of `/api`;
 * the OpenAI-compatible `/v1` side is in ./v1.ts.
 */

/** A per-key or per-customer limit: a positive whole number, or null for unlimited. */
const limit = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).nullable();
/** A per-minute limit (a 32-bit column). */
const minuteLimit = z.number().int().min(1).max(2_147_483_647).nullable();

// ---- keys

/** Where a customer API key stands. */
export const keyStatuses = ['active', 'revoked'] as const;

/** `POST /api/keys`: plan and partner default to the channel's. */
export const createKeySchema = z
  .object({
    customerId: id,
    channelId: id,
    planId: id.optional(),
    partnerId: id.optional(),
    name: z.string().max(200).optional(),
    /** Model names the key may call; empty or absent means every public model. */
    models: z.array(z.string().min(1).max(256)).max(256).optional(),
    expiresAt: timestamp.optional(),
    /**
     * Longest wait for an upstream answer for this key's requests, ms; a request waits the shorter of this
     * and its deployment's timeout, then fails with 504 QD_UPSTREAM_TIMEOUT. Absent: the deployment's.
     */
    timeoutMs: z.number().int().min(100).max(3_600_000).optional(),
  })
  .strict();

/** `GET /api/keys` filter. */
export const listKeysSchema = z.object({ customerId: id.optional() }).strict();

/** A key as listed: its visible prefix, never the secret or its hash. */
export const keySchema = z.object({
  id,
  prefix: z.string(),
  name: z.string(),
  customerId: z.string(),
  channelId: z.string(),
  partnerId: z.string().nullable(),
  planId: z.string(),
  models: z.array(z.string()),
  status: z.enum(keyStatuses),
  expiresAt: timestamp.nullable(),
  timeoutMs: z.number().int().nullable(),
  createdAt: timestamp,
  revokedAt: timestamp.nullable(),
});

/** A listed key, with its customer's name (a list of thousands of keys reads by name). */
export const listedKeySchema = keySchema.extend({ customerName: z.string().nullable() });

/** A new key: `key` is the secret, in this answer only. */
export const createdKeySchema = keySchema.extend({ key: z.string() });

/** `:id` of a key: its id (`key_…`) or its visible prefix (`qd_sk_…`). */
const keyParams = z.object({ id }).strict();

/** `:id` of a plan or deployment: its id, or its name (deployment names may be long, `org/model`). */
const idOrNameParams = z.object({ id: z.string().min(1).max(200) }).strict();

// ---- plans

/** Where a plan stands (archived plans take no new keys). */
export const planStatuses = ['active', 'archived'] as const;

const planFields = {
  name: z.string().trim().min(1, 'must not be empty').max(200),
  inputPer1mMicros: micros,
  outputPer1mMicros: micros,
  /** Price of fine-tuning per 1M trained tokens (default 0). */
  trainingPer1mMicros: micros.optional(),
  monthlyFeeMicros: micros.optional(),
  includedTokens: count.optional(),
  /** Requests per minute per key; null means unlimited. */
  rpmLimit: minuteLimit.optional(),
  /** Tokens per minute per key; null means unlimited. */
  tpmLimit: minuteLimit.optional(),
  /** Tokens per calendar month per customer; null means unlimited. */
  monthlyTokenQuota: limit.optional(),
};

/** `POST /api/plans`. Money in integer micro-units per 1M tokens. */
export const createPlanSchema = z.object(planFields).strict();

/** `PATCH /api/plans/:id`: any subset; `status: archived` archives it. */
export const updatePlanSchema = z
  .object({ ...planFields, status: z.enum(planStatuses) })
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'send at least one field to change');

/** A price plan. */
export const planSchema = z.object({
  id,
  name: z.string(),
  inputPer1mMicros: micros,
  outputPer1mMicros: micros,
  trainingPer1mMicros: micros,
  monthlyFeeMicros: micros,
  includedTokens: count,
  rpmLimit: z.number().int().nullable(),
  tpmLimit: z.number().int().nullable(),
  monthlyTokenQuota: z.number().int().nullable(),
  status: z.enum(planStatuses),
  createdAt: timestamp,
});

// ---- deployments

/** Privacy: a deployment's request logging. Off by default: then no prompt or completion text is stored. */
export const requestLogSettingsSchema = z.object({
  /** Whether requests to this deployment are logged, redacted (e-mail, phone, card numbers), in `request_logs`. */
  enabled: z.boolean(),
  /** Days a row is kept; the retention job deletes older ones. */
  retentionDays: z.number().int().min(1).max(3650),
});

/** The request logging fields an admin sends: either or both. */
const requestLogPatchSchema = requestLogSettingsSchema.partial().strict().refine((v) => Object.keys(v).length > 0, 'send enabled, retentionDays or both');

/** `local` (a model version served in-process) or `upstream` (any OpenAI-compatible server). */
export const deploymentKinds = ['local', 'upstream'] as const;
/** Where a deployment stands (archived ones are not served). */
export const deploymentStatuses = ['active', 'archived'] as const;
/**
 * The wire format an upstream deployment speaks (src/gateway/upstream/providers.ts translates each way):
 * any OpenAI-compatible server, Anthropic's Messages API, Google Gemini's generateContent, Azure OpenAI.
 * A local deployment has none (its provider is `openai-compatible` and unused).
 */
export const upstreamProviders = ['openai-compatible', 'anthropic', 'gemini', 'azure-openai'] as const;
/** One of {@link upstreamProviders}. */
export type UpstreamProviderName = (typeof upstreamProviders)[number];
/** A deployment's last health check: `unknown` when archived, not checked yet, or checks are off. */
export const healthStates = ['healthy', 'unhealthy', 'unknown'] as const;

const deploymentFields = {
  /** The name clients pass as `model`. */
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/, 'must be letters, digits and . _ : / - (at most 128, starting with a letter or digit)'),
  kind: z.enum(deploymentKinds),
  modelVersionId: id.nullable().optional(),
  upstreamUrl: z.url({ protocol: /^https?$/ }).nullable().optional(),
  upstreamModel: z.string().min(1).max(256).nullable().optional(),
  /** The upstream's wire format (default `openai-compatible`); for Azure, `upstreamModel` is the Azure deployment name. */
  provider: z.enum(upstreamProviders).optional(),
  /** Azure's `api-version`, Anthropic's `anthropic-version` or Gemini's path version; null = the provider's default. */
  apiVersion: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be letters, digits and . _ - (at most 64)').nullable().optional(),
  /** The environment variable holding the upstream's API key (never the key itself). */
  upstreamKeyEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name (A-Z, 0-9, _)').nullable().optional(),
  fallbackDeploymentId: id.nullable().optional(),
  timeoutMs: z.number().int().min(100).max(3_600_000).optional(),
  maxRetries: z.number().int().min(0).max(10).optional(),
  /** What serving costs us, per 1M tokens. */
  costInputPer1mMicros: micros.optional(),
  costOutputPer1mMicros: micros.optional(),
  /** When set, only this partner's keys may call it (a partner's fine-tune). */
  ownerPartnerId: id.nullable().optional(),
  /** Privacy: optional request logging (redacted), off by default; see {@link requestLogSettingsSchema}. */
  requestLog: z.lazy(() => requestLogPatchSchema).optional(),
};

/** `POST /api/deployments`: a local deployment names its model version, an upstream one its URL. */
export const createDeploymentSchema = z
  .object(deploymentFields)
  .strict()
  .superRefine((d, ctx) => {
    if (d.kind === 'local' && !d.modelVersionId) ctx.addIssue({ code: 'custom', path: ['modelVersionId'], message: 'is required for a local deployment' });
    if (d.kind === 'upstream' && !d.upstreamUrl) ctx.addIssue({ code: 'custom', path: ['upstreamUrl'], message: 'is required for an upstream deployment' });
    if (d.kind === 'local' && d.provider !== undefined && d.provider !== 'openai-compatible') ctx.addIssue({ code: 'custom', path: ['provider'], message: 'is for upstream deployments; a local deployment is served in-process' });
  });

/** `PATCH /api/deployments/:id`: any subset (a new target is recorded in its history); `status: archived` stops serving it. */
export const updateDeploymentSchema = z
  .object({ ...deploymentFields, status: z.enum(deploymentStatuses) })
  .partial()
  .strict();

/** A deployment with its last health check. */
export const deploymentSchema = z.object({
  id,
  name: z.string(),
  kind: z.enum(deploymentKinds),
  modelVersionId: z.string().nullable(),
  upstreamUrl: z.string().nullable(),
  upstreamModel: z.string().nullable(),
  provider: z.enum(upstreamProviders),
  apiVersion: z.string().nullable(),
  upstreamKeyEnv: z.string().nullable(),
  fallbackDeploymentId: z.string().nullable(),
  timeoutMs: z.number().int(),
  maxRetries: z.number().int(),
  costInputPer1mMicros: micros,
  costOutputPer1mMicros: micros,
  ownerPartnerId: z.string().nullable(),
  /** Set on a customer's fine-tune: only that customer's keys see and call it. */
  ownerCustomerId: z.string().nullable(),
  status: z.enum(deploymentStatuses),
  createdAt: timestamp,
  updatedAt: timestamp,
  requestLog: requestLogSettingsSchema,
  health: z.enum(healthStates),
  healthCheckedAt: timestamp.nullable(),
  healthError: z.string().nullable(),
});

/** `GET /api/deployments/:id/request-logs`: paging. */
export const requestLogQuerySchema = z.object({ ...paging }).strict();

/** One request log row: the prompt and completion as stored, i.e. already redacted. */
export const requestLogSchema = z.object({
  requestId: z.string(),
  deploymentId: z.string(),
  keyId: z.string().nullable(),
  customerId: z.string().nullable(),
  endpoint: z.enum(['chat', 'completions', 'embeddings', 'responses', 'messages']),
  model: z.string(),
  promptText: z.string(),
  completionText: z.string(),
  status: z.enum(['ok', 'cancelled', 'error']),
  httpStatus: z.number().int(),
  streamed: z.boolean(),
  createdAt: timestamp,
});

/** `DELETE /api/deployments/:id/request-logs`: how many rows went. */
export const deletedRequestLogsSchema = z.object({ deleted: count });

// ---- usage

/** `GET /api/usage` filters: `from` inclusive, `to` exclusive; `limit` rows (the totals cover every match). */
export const usageQuerySchema = z
  .object({
    customerId: id.optional(),
    keyId: id.optional(),
    partnerId: id.optional(),
    channelId: id.optional(),
    model: z.string().min(1).max(256).optional(),
    from: timestamp.optional(),
    to: timestamp.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

/** One row of the usage ledger: one request, its attribution, tokens, latency and money. */
export const usageRowSchema = z.object({
  seq: count,
  requestId: z.string(),
  occurredAt: timestamp,
  keyId: z.string().nullable(),
  customerId: z.string().nullable(),
  channelId: z.string().nullable(),
  partnerId: z.string().nullable(),
  campaignId: z.string().nullable(),
  model: z.string(),
  deploymentId: z.string().nullable(),
  /** The `/v1` endpoint, or `fine_tuning`: one row per fine-tuning job, its trained tokens in `trainingTokens`. */
  endpoint: z.enum(['chat', 'completions', 'embeddings', 'responses', 'messages', 'fine_tuning']),
  promptTokens: count,
  completionTokens: count,
  trainingTokens: count,
  latencyMs: count,
  /** `ok`, `cancelled` (the client went away) or `error`. */
  status: z.enum(['ok', 'cancelled', 'error']),
  httpStatus: z.number().int(),
  errorCode: z.string().nullable(),
  streamed: z.boolean(),
  costMicros: micros,
  priceMicros: micros,
});

/** Totals over every matching ledger row. */
export const usageTotalsSchema = z.object({ requests: count, promptTokens: count, completionTokens: count, priceMicros: micros, costMicros: micros });

/** `GET /api/usage`: the newest rows and the totals. */
export const usageSchema = z.object({ data: z.array(usageRowSchema), totals: usageTotalsSchema });

/** A key as `/api` answers it. */
export type ApiKey = z.infer<typeof keySchema>;
/** Input of key creation. */
export type CreateKeyBody = z.infer<typeof createKeySchema>;
/** A plan as `/api` answers it. */
export type Plan = z.infer<typeof planSchema>;
/** Input of plan creation. */
export type CreatePlanInput = z.infer<typeof createPlanSchema>;
/** Input of a plan update. */
export type UpdatePlanInput = z.infer<typeof updatePlanSchema>;
/** A deployment as `/api` answers it. */
export type Deployment = z.infer<typeof deploymentSchema>;
/** Input of deployment creation. */
export type CreateDeploymentInput = z.infer<typeof createDeploymentSchema>;
/** Input of a deployment update. */
export type UpdateDeploymentInput = z.infer<typeof updateDeploymentSchema>;
/** One request log row as `/api` answers it. */
export type RequestLogRecord = z.infer<typeof requestLogSchema>;
/** A deployment's request logging settings. */
export type RequestLogSettings = z.infer<typeof requestLogSettingsSchema>;
/** One ledger row as `/api` answers it. */
export type UsageRecord = z.infer<typeof usageRowSchema>;

const tag = 'gateway';

/** The gateway's admin routes. */
export const gatewayAdminRoutes = {
  createKey: defineRoute({ method: 'POST', url: '/api/keys', tag, access: 'admin', summary: 'Create a customer API key (the secret is in this answer only)', body: createKeySchema, response: { 201: createdKeySchema } }),
  listKeys: defineRoute({ method: 'GET', url: '/api/keys', tag, access: 'admin', summary: 'List API keys, newest first (visible prefix only)', query: listKeysSchema, response: { 200: listOf(listedKeySchema) } }),
  getKey: defineRoute({ method: 'GET', url: '/api/keys/:id', tag, access: 'admin', summary: 'One API key by id or visible prefix', params: keyParams, response: { 200: keySchema } }),
  revokeKey: defineRoute({ method: 'POST', url: '/api/keys/:id/revoke', tag, access: 'admin', summary: 'Revoke an API key (idempotent)', params: keyParams, response: { 200: keySchema } }),
  createPlan: defineRoute({ method: 'POST', url: '/api/plans', tag, access: 'admin', summary: 'Create a price plan', body: createPlanSchema, response: { 201: planSchema } }),
  listPlans: defineRoute({ method: 'GET', url: '/api/plans', tag, access: 'admin', summary: 'List price plans', response: { 200: listOf(planSchema) } }),
  getPlan: defineRoute({ method: 'GET', url: '/api/plans/:id', tag, access: 'admin', summary: 'One price plan by id or name', params: idOrNameParams, response: { 200: planSchema } }),
  updatePlan: defineRoute({
    method: 'PATCH',
    url: '/api/plans/:id',
    tag,
    access: 'admin',
    summary: 'Change a plan\'s prices or limits (its keys get them at once), or archive it',
    params: idOrNameParams,
    body: updatePlanSchema,
    response: { 200: planSchema },
  }),
  createDeployment: defineRoute({ method: 'POST', url: '/api/deployments', tag, access: 'admin', summary: 'Deploy a model: a local model version or an OpenAI-compatible upstream', body: createDeploymentSchema, response: { 201: deploymentSchema } }),
  listDeployments: defineRoute({ method: 'GET', url: '/api/deployments', tag, access: 'admin', summary: 'List deployments with their last health check', response: { 200: listOf(deploymentSchema) } }),
  getDeployment: defineRoute({ method: 'GET', url: '/api/deployments/:id', tag, access: 'admin', summary: 'One deployment by id or name', params: idOrNameParams, response: { 200: deploymentSchema } }),
  updateDeployment: defineRoute({
    method: 'PATCH',
    url: '/api/deployments/:id',
    tag,
    access: 'admin',
    summary: 'Repoint or tune a deployment (recorded in its history), or archive it',
    params: idOrNameParams,
    body: updateDeploymentSchema,
    response: { 200: deploymentSchema },
  }),
  listRequestLogs: defineRoute({
    method: 'GET',
    url: '/api/deployments/:id/request-logs',
    tag,
    access: 'admin',
    summary: "A deployment's request logs (redacted prompts and completions), newest first; empty unless its request logging is on",
    params: idOrNameParams,
    query: requestLogQuerySchema,
    response: { 200: pageOf(requestLogSchema) },
  }),
  deleteRequestLogs: defineRoute({
    method: 'DELETE',
    url: '/api/deployments/:id/request-logs',
    tag,
    access: 'admin',
    summary: "Delete every request log of a deployment",
    params: idOrNameParams,
    response: { 200: deletedRequestLogsSchema },
  }),
  usage: defineRoute({ method: 'GET', url: '/api/usage', tag, access: 'admin', summary: 'Usage ledger rows, newest first, and totals', query: usageQuerySchema, response: { 200: usageSchema } }),
} as const;
