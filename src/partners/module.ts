import type { Store } from '../store/index.js';
import { AgreementService } from './agreement-service.js';
import { LedgerKeyIssuer, type PartnerKeyIssuer } from './key-issuer.js';
import { PartnerService } from './partner-service.js';
import { PartnerUserService } from './partner-users.js';
import { PortalService } from './portal-service.js';
import { ScorecardService } from './scorecard-service.js';
import { StatementService } from './statement-service.js';
import { TierService } from './tier-service.js';

/** The partner pillar's services, built once by the composition root. */
export interface PartnerServices {
  readonly partners: PartnerService;
  readonly tiers: TierService;
  readonly agreements: AgreementService;
  readonly statements: StatementService;
  readonly scorecards: ScorecardService;
  readonly users: PartnerUserService;
  readonly portal: PortalService;
}

/** Options of {@link createPartnerServices}. */
export interface PartnerServicesOptions {
  /** Creates portal keys; pass the gateway's key service so its caches learn of new keys at once. */
  keys?: PartnerKeyIssuer;
  /** How long a portal session lasts (default 12 h). */
  sessionTtlMs?: number;
  /** The clock that says whether a month has ended (statements, scorecards); tests pass a fixed one. */
  now?: () => Date;
}

/** Builds the partner services over one store. */
export function createPartnerServices(store: Store, options: PartnerServicesOptions = {}): PartnerServices {
  const partners = new PartnerService(store);
  const tiers = new TierService(store);
  const agreements = new AgreementService(store);
  const now = options.now ?? (() => new Date());
  const statements = new StatementService(store, now);
  const scorecards = new ScorecardService(store, partners, tiers, agreements, now);
  const users = new PartnerUserService(store, options.sessionTtlMs);
  const keys = options.keys ?? new LedgerKeyIssuer(store);
  const portal = new PortalService(store, { partners, tiers, agreements, statements, scorecards, keys });
  return { partners, tiers, agreements, statements, scorecards, users, portal };
}
