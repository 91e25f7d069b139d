import type { Registry } from 'prom-client';
import type { AnalyticsService } from '../analytics/index.js';
import type { AdminTokens, TeamService } from '../auth/index.js';
import type { BillingServices, CreditService } from '../billing/index.js';
import type { ChannelService } from '../channels/index.js';
import type { CustomerPrivacy, CustomerService } from '../customers/index.js';
import type { Config } from '../config/index.js';
import type { StartupDemo } from '../demo/index.js';
import type { FineTuningServices } from '../fine-tuning/index.js';
import type { Gateway } from '../gateway/index.js';
import type { PartnerServices } from '../partners/index.js';
import type { PipelineServices } from '../pipeline/index.js';
import type { Store } from '../store/index.js';
import type { StrategyServices } from '../strategy/index.js';

/**
 * Everything the HTTP layer needs, built once by the composition root (src/app.ts) and passed in.
 * Feature modules add their services here as they arrive.
 */
export interface Services {
  readonly config: Config;
  readonly store: Store;
  readonly adminTokens: AdminTokens;
  /** Admin users, roles and dashboard sessions; absent in bare-server tests (tokens only). */
  readonly team?: TeamService;
  readonly metrics: Registry;
  readonly version: string;
  readonly startedAt: Date;
  /** The channel-advantage KPIs and their rollups; absent in bare-server tests. */
  readonly analytics?: AnalyticsService;
  /** The demo workspace created on the first start, reported by `/healthz` while it is generated. */
  readonly demo?: StartupDemo;
  /** The `/v1` gateway and its admin services; absent in tests that build a bare server. */
  readonly gateway?: Gateway;
  /** Channel design: channel types, channels, the channel map; absent in bare-server tests. */
  readonly channels?: ChannelService;
  /** Customers and where they were acquired; absent in bare-server tests. */
  readonly customers?: CustomerService;
  /** Customer data export and erasure (privacy); present with `customers`. */
  readonly customerPrivacy?: CustomerPrivacy;
  /** Partners, tiers, agreements, statements, scorecards and the partner portal; absent in bare-server tests. */
  readonly partners?: PartnerServices;
  /** Market positioning, partner selection, promotion, campaigns, attribution, ecosystem, resources; absent in bare-server tests. */
  readonly strategy?: StrategyServices;
  /** Invoices, plan history, tax rates, billed revenue and the reconciliation; absent in bare-server tests. */
  readonly billing?: BillingServices;
  /** The model pipeline: runs, model registry, deploy and rollback; absent in bare-server tests. */
  readonly pipeline?: PipelineServices;
  /** OpenAI-compatible fine-tuning (`/v1/files`, `/v1/fine_tuning/jobs`); absent in bare-server tests. */
  readonly fineTuning?: FineTuningServices;
  /** Prepaid credits and billing modes of customers; absent in bare-server tests. */
  readonly credits?: CreditService;
}
