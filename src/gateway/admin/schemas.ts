import { z } from 'zod';

const micros = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const limit = z.number().int().min(1).nullable();

/** `POST /api/keys`. */
export const createKeySchema = z.strictObject({
  customer_id: z.string().min(1),
  channel_id: z.string().min(1),
  plan_id: z.string().min(1).optional(),
  partner_id: z.string().min(1).optional(),
  name: z.string().max(200).optional(),
  models: z.array(z.string().min(1)).max(256).optional(),
  expires_at: z.iso.datetime({ offset: true }).optional(),
});

/** `POST /api/plans`. */
export const createPlanSchema = z.strictObject({
  name: z.string().min(1).max(200),
  input_per_1m_micros: micros,
  output_per_1m_micros: micros,
  monthly_fee_micros: micros.optional(),
  included_tokens: z.number().int().min(0).optional(),
  rpm_limit: limit.optional(),
  tpm_limit: limit.optional(),
  monthly_token_quota: limit.optional(),
});

/** `PATCH /api/plans/:id`. */
export const updatePlanSchema = createPlanSchema
  .partial()
  .extend({ status: z.enum(['active', 'archived']).optional() })
  .refine((patch) => Object.keys(patch).length > 0, 'send at least one field to change');

const deploymentShape = {
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/, 'letters, digits and . _ : / - (at most 128)'),
  kind: z.enum(['local', 'upstream']),
  model_version_id: z.string().min(1).nullable().optional(),
  upstream_url: z.url({ protocol: /^https?$/ }).nullable().optional(),
  upstream_model: z.string().min(1).nullable().optional(),
  upstream_key_env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name').nullable().optional(),
  fallback_deployment_id: z.string().min(1).nullable().optional(),
  timeout_ms: z.number().int().min(100).max(3_600_000).optional(),
  max_retries: z.number().int().min(0).max(10).optional(),
  cost_input_per_1m_micros: micros.optional(),
  cost_output_per_1m_micros: micros.optional(),
  owner_partner_id: z.string().min(1).nullable().optional(),
};

/** `POST /api/deployments`. */
export const createDeploymentSchema = z.strictObject(deploymentShape);

/** `PATCH /api/deployments/:id`. */
export const updateDeploymentSchema = z.strictObject({ ...deploymentShape, status: z.enum(['active', 'archived']) }).partial();

/** `GET /api/usage` query. */
export const usageQuerySchema = z.strictObject({
  customer_id: z.string().min(1).optional(),
  key_id: z.string().min(1).optional(),
  partner_id: z.string().min(1).optional(),
  channel_id: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
