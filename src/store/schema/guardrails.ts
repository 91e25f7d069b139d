import { boolean, index, integer, jsonb, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { at, createdAt } from './columns.js';
import { deployments } from './models.js';

/**
 * Guardrails: checks the gateway applies to every request of a deployment (every key), as data. `stage`
 * says whether a check reads the prompt (`input`) or the answer (`output`); `kind` what it checks, with its
 * settings in `config` (`{terms}`, `{patterns}`, `{maxChars, maxTokens}`, `{modelVersionId, label,
 * threshold}`); `action` what a match does (`refuse`, `redact`, `flag`). Checks run in `position` order.
 */
export const guardrails = pgTable(
  'guardrails',
  {
    id: text('id').primaryKey(),
    deploymentId: text('deployment_id')
      .notNull()
      .references(() => deployments.id),
    name: text('name').notNull(),
    /** `input` or `output`. */
    stage: text('stage').notNull(),
    /** `blocklist`, `regex`, `max_prompt` or `classifier`. */
    kind: text('kind').notNull(),
    /** `refuse`, `redact` or `flag`. */
    action: text('action').notNull(),
    /** The kind's settings (validated by the gateway's guardrail service before they are stored). */
    config: jsonb('config').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [unique('guardrails_deployment_name').on(t.deploymentId, t.name), index('guardrails_deployment').on(t.deploymentId, t.position)],
);
