import type { UpstreamProviderName } from '../shared/contract/gateway.js';

/**
 * The gateway's in-memory view of the tables it reads on every request. Rows are copied out of the store
 * into these plain, frozen shapes once per cache reload, so the hot path never touches the database.
 */

/** A price plan as the gateway applies it. Money in integer micro-units; limits null = unlimited. */
export interface GatewayPlan {
  readonly id: string;
  readonly name: string;
  readonly inputPer1mMicros: number;
  readonly outputPer1mMicros: number;
  /** Price of fine-tuning per 1M trained tokens. */
  readonly trainingPer1mMicros: number;
  readonly rpmLimit: number | null;
  readonly tpmLimit: number | null;
  readonly monthlyTokenQuota: number | null;
}

/** A customer with the attribution the ledger copies onto every row. */
export interface GatewayCustomer {
  readonly id: string;
  readonly acquiredPartnerId: string | null;
  readonly acquiredCampaignId: string | null;
  readonly spendBudgetMicros: number | null;
  readonly monthlyTokenQuota: number | null;
  readonly status: string;
  /** `prepaid`: admitted only while its credit balance covers a request's maximum price. */
  readonly billingMode: 'postpaid' | 'prepaid';
  /** Since when usage is paid from credit (epoch ms); null = never prepaid. */
  readonly prepaidSinceMs: number | null;
  /** Σ of the customer's credit entries (top-ups, grants, corrections), micro-units. */
  readonly creditedMicros: number;
  /** Balance below which `/v1` answers carry `x-qudao-credit-low: true`; null = none. */
  readonly lowBalanceMicros: number | null;
}

/** An API key as the cache holds it: its hash, never the key. */
export interface GatewayKey {
  readonly id: string;
  readonly prefix: string;
  readonly keyHash: string;
  readonly customerId: string;
  readonly channelId: string;
  readonly partnerId: string | null;
  readonly planId: string;
  /** Model names the key may call; empty means every public model. */
  readonly models: readonly string[];
  readonly status: string;
  /** Expiry as epoch milliseconds; null = never. */
  readonly expiresAtMs: number | null;
  /** Upstream request timeout of this key's requests, ms; null = its deployments' own. */
  readonly timeoutMs: number | null;
}

/** A deployment: a public model name served by a local model version or an upstream of some provider. */
export interface GatewayDeployment {
  readonly id: string;
  readonly name: string;
  readonly kind: 'local' | 'upstream';
  readonly modelVersionId: string | null;
  readonly upstreamUrl: string | null;
  readonly upstreamModel: string | null;
  /** The upstream's wire format (unused by local deployments). */
  readonly provider: UpstreamProviderName;
  /** The provider's API version; null = its default. */
  readonly apiVersion: string | null;
  /** The upstream's API key, resolved from `upstream_key_env` when the cache loads (never logged). */
  readonly upstreamApiKey: string | null;
  readonly fallbackDeploymentId: string | null;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly costInputPer1mMicros: number;
  readonly costOutputPer1mMicros: number;
  readonly ownerPartnerId: string | null;
  /** When set, only this customer's keys may see and call it (a customer's fine-tune). */
  readonly ownerCustomerId: string | null;
  readonly createdAtMs: number;
  /** Privacy: requests to it are logged (redacted) in `request_logs`; false by default. */
  readonly requestLogEnabled: boolean;
}

/** Everything one request needs to know about who is calling: key, plan and customer. */
export interface Caller {
  readonly key: GatewayKey;
  readonly plan: GatewayPlan;
  readonly customer: GatewayCustomer;
}
