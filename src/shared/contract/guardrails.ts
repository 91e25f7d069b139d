import { z } from 'zod';
import { count, id, listOf, micros, timestamp } from './common.js';
import { defineRoute } from './route.js';

/**
 * Guardrails of a deployment (`/api/deployments/:id/guardrails`): input and output checks the gateway
 * applies to every request of the deployment, whatever the key, and what they did. camelCase like all of `/api`.
 */

/** Which text a guardrail reads: the prompt before the model sees it, or the answer before the client does. */
export const guardrailStages = ['input', 'output'] as const;
/** What a guardrail checks. */
export const guardrailKinds = ['blocklist', 'regex', 'max_prompt', 'classifier'] as const;
/** What a match does: refuse the request (or cut the answer), replace the matched text, or only record it. */
export const guardrailActions = ['refuse', 'redact', 'flag'] as const;

/** Most terms of a blocklist and patterns of a regex guardrail. */
export const MAX_GUARDRAIL_TERMS = 500;
/** Longest blocklist term and regex pattern, in characters (a long pattern is costly to run on every request). */
export const MAX_GUARDRAIL_PATTERN_CHARS = 200;

const term = z.string().trim().min(1, 'must not be empty').max(MAX_GUARDRAIL_PATTERN_CHARS);

/** A classifier check: a registered classifier model version, the label it watches and the probability that fires it. */
export const classifierCheckSchema = z
  .object({
    modelVersionId: id,
    label: z.string().min(1).max(80),
    /** Fires when the label's probability is at least this. */
    threshold: z.number().min(0).max(1),
    /** What one run costs us per 1M prompt tokens classified (the ledger line's cost to serve); default 0. */
    costPer1mMicros: micros.optional(),
  })
  .strict();

const guardrailFields = {
  name: z.string().trim().min(1, 'must not be empty').max(100),
  stage: z.enum(guardrailStages),
  kind: z.enum(guardrailKinds),
  action: z.enum(guardrailActions),
  enabled: z.boolean().optional(),
  /** Checks run in ascending order (then by creation). */
  order: z.number().int().min(0).max(10_000).optional(),
  /** `blocklist`: words or phrases, matched case-insensitively as whole words. */
  terms: z.array(term).min(1).max(MAX_GUARDRAIL_TERMS).optional(),
  /** `regex`: JavaScript patterns (matched case-insensitively, Unicode); refused when they could backtrack catastrophically. */
  patterns: z.array(z.string().min(1, 'must not be empty').max(MAX_GUARDRAIL_PATTERN_CHARS)).min(1).max(MAX_GUARDRAIL_TERMS).optional(),
  /** `max_prompt`: most characters of the prompt's text. */
  maxChars: z.number().int().min(1).max(100_000_000).optional(),
  /** `max_prompt`: most tokens of the prompt, counted with the deployment's tokenizer. */
  maxTokens: z.number().int().min(1).max(100_000_000).optional(),
  classifier: classifierCheckSchema.optional(),
};

/** `POST /api/deployments/:id/guardrails`: the kind's own settings are required (the server says which is missing). */
export const createGuardrailSchema = z.object(guardrailFields).strict();

/** `PATCH /api/deployments/:id/guardrails/:guardrailId`: any subset; the result must still be a valid guardrail. */
export const updateGuardrailSchema = z.object(guardrailFields).partial().strict();

/** A guardrail as `/api` answers it: the settings of other kinds are null. */
export const guardrailSchema = z.object({
  id,
  deploymentId: id,
  name: z.string(),
  stage: z.enum(guardrailStages),
  kind: z.enum(guardrailKinds),
  action: z.enum(guardrailActions),
  enabled: z.boolean(),
  order: z.number().int(),
  terms: z.array(z.string()).nullable(),
  patterns: z.array(z.string()).nullable(),
  maxChars: z.number().int().nullable(),
  maxTokens: z.number().int().nullable(),
  classifier: classifierCheckSchema.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** `GET …/guardrails/stats`: `from` inclusive, `to` exclusive (default: all time). */
export const guardrailStatsQuerySchema = z.object({ from: timestamp.optional(), to: timestamp.optional() }).strict();

/** What one guardrail did in the period, from the usage ledger. */
export const guardrailStatsRowSchema = z.object({
  guardrailId: id,
  name: z.string(),
  refusals: count,
  redactions: count,
  flags: count,
  /** Evaluations that cost something (classifier runs), and what they cost to serve. */
  evaluations: count,
  costMicros: micros,
});

/** Per-guardrail counts of a deployment (every guardrail it has, also those that never fired). */
export const guardrailStatsSchema = z.object({ deploymentId: id, data: z.array(guardrailStatsRowSchema) });

const deploymentParams = z.object({ id: z.string().min(1).max(200) }).strict();
const guardrailParams = z.object({ id: z.string().min(1).max(200), guardrailId: id }).strict();

/** A guardrail as `/api` answers it. */
export type Guardrail = z.infer<typeof guardrailSchema>;
/** Input of guardrail creation. */
export type CreateGuardrailInput = z.infer<typeof createGuardrailSchema>;
/** Input of a guardrail update. */
export type UpdateGuardrailInput = z.infer<typeof updateGuardrailSchema>;
/** Per-guardrail counts. */
export type GuardrailStats = z.infer<typeof guardrailStatsSchema>;

const tag = 'gateway';

/** The guardrail admin routes (`:id` is the deployment's id or name). */
export const guardrailRoutes = {
  listGuardrails: defineRoute({ method: 'GET', url: '/api/deployments/:id/guardrails', tag, access: 'admin', summary: 'A deployment\'s guardrails, in the order they run', params: deploymentParams, response: { 200: listOf(guardrailSchema) } }),
  createGuardrail: defineRoute({ method: 'POST', url: '/api/deployments/:id/guardrails', tag, access: 'admin', summary: 'Add an input or output guardrail to a deployment (applies to every key at once)', params: deploymentParams, body: createGuardrailSchema, response: { 201: guardrailSchema } }),
  guardrailStats: defineRoute({ method: 'GET', url: '/api/deployments/:id/guardrails/stats', tag, access: 'admin', summary: 'Refusals, redactions and flags per guardrail, from the usage ledger', params: deploymentParams, query: guardrailStatsQuerySchema, response: { 200: guardrailStatsSchema } }),
  updateGuardrail: defineRoute({ method: 'PATCH', url: '/api/deployments/:id/guardrails/:guardrailId', tag, access: 'admin', summary: 'Change, enable or disable a guardrail', params: guardrailParams, body: updateGuardrailSchema, response: { 200: guardrailSchema } }),
  deleteGuardrail: defineRoute({ method: 'DELETE', url: '/api/deployments/:id/guardrails/:guardrailId', tag, access: 'admin', summary: 'Remove a guardrail (its ledger lines stay)', params: guardrailParams, response: { 200: z.object({ id, deleted: z.literal(true) }) } }),
} as const;
