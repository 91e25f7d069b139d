import type { Store } from '../store/index.js';
import { AttributionService } from './campaigns/attribution-service.js';
import { CampaignService } from './campaigns/campaign-service.js';
import { LinkService } from './campaigns/link-service.js';
import { CampaignPerformanceService } from './campaigns/performance-service.js';
import { MethodPool } from './compute/method-pool.js';
import { TouchpointService } from './campaigns/touchpoint-service.js';
import { EcosystemService } from './ecosystem/ecosystem-service.js';
import { MarketService } from './market/market-service.js';
import { SegmentService } from './market/segment-service.js';
import { EconomicsService } from './promotion/economics-service.js';
import { ResponseService } from './promotion/response-service.js';
import { ResourceService } from './resources/resource-service.js';
import { CandidateService } from './selection/candidate-service.js';
import { SelectionService } from './selection/selection-service.js';

/** The strategy pillar's services (each a set of queries over the store feeding the pure methods). */
export interface StrategyServices {
  readonly segments: SegmentService;
  readonly market: MarketService;
  readonly candidates: CandidateService;
  readonly selection: SelectionService;
  readonly economics: EconomicsService;
  readonly response: ResponseService;
  readonly campaigns: CampaignService;
  readonly links: LinkService;
  readonly touchpoints: TouchpointService;
  readonly attribution: AttributionService;
  readonly performance: CampaignPerformanceService;
  readonly ecosystem: EcosystemService;
  readonly resources: ResourceService;
  /** Worker threads that run the CPU-heavy methods off the event loop (shared by the services and tools). */
  readonly methods: MethodPool;
}

/** Builds the strategy services over one store (called once by the composition root). */
export function createStrategyServices(store: Store): StrategyServices {
  const methods = new MethodPool();
  const segments = new SegmentService(store);
  const candidates = new CandidateService(store);
  const economics = new EconomicsService(store);
  const campaigns = new CampaignService(store);
  const links = new LinkService(store, campaigns);
  const attribution = new AttributionService(store, methods);
  return {
    segments,
    market: new MarketService(store, segments, methods),
    candidates,
    selection: new SelectionService(store, candidates, methods),
    economics,
    response: new ResponseService(store, economics, methods),
    campaigns,
    links,
    touchpoints: new TouchpointService(store, links),
    attribution,
    performance: new CampaignPerformanceService(store, campaigns, attribution),
    ecosystem: new EcosystemService(store),
    resources: new ResourceService(store),
    methods,
  };
}
