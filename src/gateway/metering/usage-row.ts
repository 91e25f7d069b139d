import type { Caller, GatewayDeployment } from '../types.js';
import type { MeteredEndpoint, Usage } from '../upstream/types.js';
import type { schema } from '../../store/index.js';
import { priceOfTokens } from './pricing.js';

/** One ledger row as the gateway writes it. */
export type UsageRow = typeof schema.usageEvents.$inferInsert;

/** How a metered request ended: answered, cut off by the client, or failed upstream. */
export type UsageStatus = 'ok' | 'cancelled' | 'error';

/** The facts of one finished request. */
export interface MeteredRequest {
  readonly requestId: string;
  readonly caller: Caller;
  readonly deployment: GatewayDeployment;
  readonly endpoint: MeteredEndpoint;
  readonly usage: Usage;
  readonly status: UsageStatus;
  readonly httpStatus: number;
  readonly errorCode: string | null;
  readonly streamed: boolean;
  readonly latencyMs: number;
  readonly occurredAt: Date;
}

/**
 * The ledger row of a request: attribution from the key and the customer, tokens, latency, and money.
 * The price follows the plan for the tokens delivered; a request that delivered nothing (failed or
 * cancelled before the first token) costs the customer nothing, while the cost to serve is always kept.
 */
export function usageRowOf(m: MeteredRequest): UsageRow {
  const { key, plan, customer } = m.caller;
  const { promptTokens, completionTokens } = m.usage;
  const delivered = m.status === 'ok' || completionTokens > 0;
  return {
    requestId: m.requestId,
    occurredAt: m.occurredAt,
    keyId: key.id,
    customerId: customer.id,
    channelId: key.channelId,
    partnerId: key.partnerId ?? customer.acquiredPartnerId,
    campaignId: customer.acquiredCampaignId,
    model: m.deployment.name,
    deploymentId: m.deployment.id,
    endpoint: m.endpoint,
    promptTokens,
    completionTokens,
    latencyMs: Math.max(0, Math.round(m.latencyMs)),
    status: m.status,
    httpStatus: m.httpStatus,
    errorCode: m.errorCode,
    streamed: m.streamed,
    costMicros: priceOfTokens(promptTokens, completionTokens, m.deployment.costInputPer1mMicros, m.deployment.costOutputPer1mMicros),
    priceMicros: delivered ? priceOfTokens(promptTokens, completionTokens, plan.inputPer1mMicros, plan.outputPer1mMicros) : 0,
  };
}

/** The tokens a row counts against quotas: billed tokens (same rule as the price; see rebuildMonthlyTotals). */
export function billedTokens(row: UsageRow): number {
  return row.status === 'ok' || (row.completionTokens ?? 0) > 0 ? (row.promptTokens ?? 0) + (row.completionTokens ?? 0) : 0;
}
