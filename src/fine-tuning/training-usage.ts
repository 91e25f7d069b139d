import { eq } from 'drizzle-orm';
import { priceOfTokens, type UsageRow } from '../gateway/index.js';
import { schema, type Store } from '../store/index.js';
import type { JobRow } from './views.js';

/**
 * The usage ledger row of a fine-tuning job: one per job, written once when the job ends, with
 * `request_id` = the job's id, so a retry or a restart that finishes the job again never counts it twice
 * (the insert skips an id already in the ledger).
 */

/**
 * Training a token costs about three forward passes (the forward, and a backward of about twice its FLOPs:
 * 6N FLOPs per token against 2N for inference, Kaplan et al. 2020), so the cost to serve a trained token is
 * taken as three times the base deployment's cost per prompt token.
 */
export const TRAINING_COST_FACTOR = 3;

/** How a job ended, as the ledger's `status` says it. */
const ledgerStatus = { succeeded: 'ok', cancelled: 'cancelled', failed: 'error' } as const;

/** Everything the row is made of, read from the job, its key, plan, customer and base deployment. */
export interface TrainingUsageFacts {
  readonly job: Pick<JobRow, 'id' | 'customerId' | 'keyId' | 'baseModel' | 'startedAt' | 'createdAt'> & { readonly error: { code: string } | null };
  readonly outcome: keyof typeof ledgerStatus;
  readonly trainedTokens: number;
  readonly endedAt: Date;
  readonly key: { readonly channelId: string; readonly partnerId: string | null } | null;
  readonly plan: { readonly trainingPer1mMicros: number } | null;
  readonly customer: { readonly acquiredPartnerId: string | null; readonly acquiredCampaignId: string | null } | null;
  readonly base: { readonly id: string; readonly costInputPer1mMicros: number } | null;
}

/**
 * The ledger row: the trained tokens in `training_tokens`, priced at the plan's training price (rounded up to
 * the micro-unit, as every gateway row is) and costed at {@link TRAINING_COST_FACTOR} × the base's prompt cost.
 * Attribution (channel, partner, campaign) is the key's and the customer's, as on the gateway's rows.
 */
export function trainingUsageRow(f: TrainingUsageFacts): UsageRow {
  const started = f.job.startedAt ?? f.job.createdAt;
  return {
    requestId: f.job.id,
    occurredAt: f.endedAt,
    keyId: f.job.keyId,
    customerId: f.job.customerId,
    channelId: f.key?.channelId ?? null,
    partnerId: f.key?.partnerId ?? f.customer?.acquiredPartnerId ?? null,
    campaignId: f.customer?.acquiredCampaignId ?? null,
    model: f.job.baseModel,
    deploymentId: f.base?.id ?? null,
    endpoint: 'fine_tuning',
    promptTokens: 0,
    completionTokens: 0,
    trainingTokens: f.trainedTokens,
    latencyMs: Math.min(2 ** 31 - 1, Math.max(0, f.endedAt.getTime() - started.getTime())),
    status: ledgerStatus[f.outcome],
    httpStatus: 200,
    errorCode: f.job.error?.code ?? null,
    streamed: false,
    costMicros: priceOfTokens(f.trainedTokens, 0, TRAINING_COST_FACTOR * (f.base?.costInputPer1mMicros ?? 0), 0),
    priceMicros: priceOfTokens(f.trainedTokens, 0, f.plan?.trainingPer1mMicros ?? 0, 0),
  };
}

/**
 * Writes a job's ledger row (idempotent by request id). The row goes through a plain insert of the ledger
 * table, not the gateway's hot-path writer: one row per job needs no batching, and it is committed when
 * this resolves, so the job's final state is only shown once its bill is in the ledger.
 */
export async function recordTrainingUsage(store: Store, job: JobRow, outcome: TrainingUsageFacts['outcome'], trainedTokens: number, endedAt: Date): Promise<UsageRow> {
  const { db } = store;
  const [key] = job.keyId ? await db.select().from(schema.apiKeys).where(eq(schema.apiKeys.id, job.keyId)) : [];
  const [plan] = key ? await db.select().from(schema.pricePlans).where(eq(schema.pricePlans.id, key.planId)) : [];
  const [customer] = await db.select().from(schema.customers).where(eq(schema.customers.id, job.customerId));
  const [base] = await db.select().from(schema.deployments).where(eq(schema.deployments.name, job.baseModel));
  const row = trainingUsageRow({ job, outcome, trainedTokens, endedAt, key: key ?? null, plan: plan ?? null, customer: customer ?? null, base: base ?? null });
  await db.insert(schema.usageEvents).values(row).onConflictDoNothing({ target: schema.usageEvents.requestId });
  return row;
}
