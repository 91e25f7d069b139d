import { bigint, bigserial, boolean, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { at, micros } from './columns.js';

/**
 * The usage ledger: one append-only row per request that reached a model. `request_id` is unique so a
 * retried write never double-counts. Rows are never updated or deleted; corrections are new rows.
 */
export const usageEvents = pgTable(
  'usage_events',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    requestId: text('request_id').notNull().unique(),
    occurredAt: at('occurred_at').notNull().defaultNow(),
    keyId: text('key_id'),
    customerId: text('customer_id'),
    channelId: text('channel_id'),
    partnerId: text('partner_id'),
    campaignId: text('campaign_id'),
    model: text('model').notNull(),
    deploymentId: text('deployment_id'),
    endpoint: text('endpoint').notNull(),
    promptTokens: integer('prompt_tokens').notNull().default(0),
    completionTokens: integer('completion_tokens').notNull().default(0),
    latencyMs: integer('latency_ms').notNull().default(0),
    /** `ok`, `cancelled` or `error`. */
    status: text('status').notNull(),
    httpStatus: integer('http_status').notNull(),
    errorCode: text('error_code'),
    streamed: boolean('streamed').notNull().default(false),
    costMicros: micros('cost_micros').notNull().default(0),
    priceMicros: micros('price_micros').notNull().default(0),
    /**
     * Tokens trained by a fine-tuning job (endpoint `fine_tuning`, one row per job, request_id = the job's
     * id), billed at the plan's training price; 0 on every gateway request row.
     */
    trainingTokens: bigint('training_tokens', { mode: 'number' }).notNull().default(0),
  },
  (t) => [
    index('usage_events_occurred_at').on(t.occurredAt),
    index('usage_events_customer').on(t.customerId, t.occurredAt),
    index('usage_events_partner').on(t.partnerId, t.occurredAt),
    index('usage_events_channel').on(t.channelId, t.occurredAt),
  ],
);
