import { boolean, integer, jsonb, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { at, createdAt, micros } from './columns.js';

/** A model family in the registry (e.g. `qudao-brown`); versions hang below it. */
export const models = pgTable('models', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  /** Architecture: `gpt`, `lstm`, or a classifier over either. */
  kind: text('kind').notNull(),
  description: text('description').notNull().default(''),
  ownerPartnerId: text('owner_partner_id'),
  createdAt: createdAt(),
});

/** An immutable trained version: config, checkpoint and metrics. */
export const modelVersions = pgTable(
  'model_versions',
  {
    id: text('id').primaryKey(),
    modelId: text('model_id').notNull().references(() => models.id),
    version: integer('version').notNull(),
    config: jsonb('config').notNull(),
    checkpointPath: text('checkpoint_path').notNull(),
    metrics: jsonb('metrics').$type<Record<string, unknown>>().notNull().default({}),
    /** `ready`, `archived`. */
    status: text('status').notNull().default('ready'),
    parentVersionId: text('parent_version_id'),
    createdAt: createdAt(),
  },
  (t) => [unique('model_versions_model_version').on(t.modelId, t.version)],
);

/** A public model name served by the gateway: a local model version or an OpenAI-compatible upstream. */
export const deployments = pgTable('deployments', {
  id: text('id').primaryKey(),
  /** The name clients pass as `model`. */
  name: text('name').notNull().unique(),
  /** `local` (served in-process) or `upstream` (any OpenAI-compatible server). */
  kind: text('kind').notNull(),
  modelVersionId: text('model_version_id').references(() => modelVersions.id),
  upstreamUrl: text('upstream_url'),
  upstreamModel: text('upstream_model'),
  /** The upstream's wire format: `openai-compatible`, `anthropic`, `gemini` or `azure-openai` (see gateway/upstream/providers.ts). */
  provider: text('provider').notNull().default('openai-compatible'),
  /** The provider's API version (Azure's `api-version`, Anthropic's `anthropic-version`, Gemini's path version); null = the provider's default. */
  apiVersion: text('api_version'),
  /** Name of the environment variable holding the upstream's API key (never the key itself). */
  upstreamKeyEnv: text('upstream_key_env'),
  fallbackDeploymentId: text('fallback_deployment_id'),
  timeoutMs: integer('timeout_ms').notNull().default(60_000),
  maxRetries: integer('max_retries').notNull().default(2),
  /** What serving costs us, per 1M tokens. */
  costInputPer1mMicros: micros('cost_input_per_1m_micros').notNull().default(0),
  costOutputPer1mMicros: micros('cost_output_per_1m_micros').notNull().default(0),
  /** When set, only this partner's keys may use the deployment (a partner's fine-tune). */
  ownerPartnerId: text('owner_partner_id'),
  /** When set, only this customer's keys may use the deployment (a customer's fine-tune, src/fine-tuning). */
  ownerCustomerId: text('owner_customer_id'),
  status: text('status').notNull().default('active'),
  createdAt: createdAt(),
  updatedAt: at('updated_at').notNull().defaultNow(),
  /** Privacy: whether requests to it are logged (redacted) in `request_logs`; off by default. */
  requestLogEnabled: boolean('request_log_enabled').notNull().default(false),
  /** Privacy: days a request log row is kept before the retention job deletes it. */
  requestLogRetentionDays: integer('request_log_retention_days').notNull().default(7),
});

/** Every version a deployment has pointed at, newest last: the rollback trail. */
export const deploymentHistory = pgTable('deployment_history', {
  id: text('id').primaryKey(),
  deploymentId: text('deployment_id').notNull().references(() => deployments.id),
  modelVersionId: text('model_version_id'),
  upstreamUrl: text('upstream_url'),
  changedAt: at('changed_at').notNull().defaultNow(),
});
