import { boolean, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.js';

/**
 * Request logs: the prompt and completion of a request, REDACTED before they are written (e-mail addresses,
 * phone numbers, card numbers), kept only for deployments whose `request_log_enabled` is on, and deleted
 * after the deployment's `request_log_retention_days` by a background job. Off by default: without it the
 * gateway stores no request content anywhere.
 */
export const requestLogs = pgTable(
  'request_logs',
  {
    requestId: text('request_id').primaryKey(),
    deploymentId: text('deployment_id').notNull(),
    keyId: text('key_id'),
    customerId: text('customer_id'),
    /** `chat` or `completions`. */
    endpoint: text('endpoint').notNull(),
    model: text('model').notNull(),
    promptText: text('prompt_text').notNull(),
    completionText: text('completion_text').notNull(),
    /** `ok`, `cancelled` or `error`, as in the ledger. */
    status: text('status').notNull(),
    httpStatus: integer('http_status').notNull(),
    streamed: boolean('streamed').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index('request_logs_deployment_created').on(t.deploymentId, t.createdAt), index('request_logs_customer').on(t.customerId)],
);
