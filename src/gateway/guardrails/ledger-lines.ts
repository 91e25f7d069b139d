/**
 * Guardrail lines of the usage ledger. Every guardrail that fired on a request (refuse, redact, flag) or
 * cost something to run (a classifier, `pass` when it did not fire) is its own append-only row:
 *
 *   request_id  `<request id>:guardrail:<guardrail id>` (unique: one guardrail runs once per request)
 *   endpoint    `guardrail` — never a customer request: no tokens, price 0; consumers that count requests
 *               or tokens leave these rows out (see README, Guardrails)
 *   status      what the guardrail did: `refuse`, `redact`, `flag` or `pass`
 *   cost        the check's own cost to serve (classifier runs); 0 for blocklists, patterns, size limits
 *
 * Attribution (key, customer, channel, partner, campaign, deployment) is the request's, so the cost lands
 * where the request's cost does.
 */
import type { UsageRow } from '../metering/usage-row.js';
import type { Caller, GatewayDeployment } from '../types.js';
import type { GuardrailEvent } from './check.js';
import { refusalCodeOf } from './refusal.js';

/** The `endpoint` of guardrail lines. */
export const GUARDRAIL_ENDPOINT = 'guardrail';
/** What joins a request id and a guardrail id in a guardrail line's `request_id`. */
export const GUARDRAIL_REQUEST_MARK = ':guardrail:';

/** The ledger row of one guardrail event of a request. */
export function guardrailLine(requestId: string, caller: Caller, deployment: GatewayDeployment, event: GuardrailEvent, occurredAt: Date): UsageRow {
  const { key, customer } = caller;
  const refused = event.outcome === 'refuse';
  return {
    requestId: `${requestId}${GUARDRAIL_REQUEST_MARK}${event.guardrail.id}`,
    occurredAt,
    keyId: key.id,
    customerId: customer.id,
    channelId: key.channelId,
    partnerId: key.partnerId ?? customer.acquiredPartnerId,
    campaignId: customer.acquiredCampaignId,
    model: deployment.name,
    deploymentId: deployment.id,
    endpoint: GUARDRAIL_ENDPOINT,
    promptTokens: 0,
    completionTokens: 0,
    latencyMs: 0,
    status: event.outcome,
    httpStatus: refused ? 400 : 200,
    errorCode: refused ? refusalCodeOf(event.guardrail) : null,
    streamed: false,
    costMicros: event.costMicros,
    priceMicros: 0,
  };
}
