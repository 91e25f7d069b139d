import type { FastifyInstance } from 'fastify';
import { campaignRoutes, redirectRoutes } from './campaigns/routes.js';
import { ecosystemRoutes } from './ecosystem/routes.js';
import { marketRoutes } from './market/routes.js';
import type { StrategyServices } from './module.js';
import { promotionRoutes } from './promotion/routes.js';
import { resourceRoutes } from './resources/routes.js';
import { selectionRoutes } from './selection/routes.js';
import { strategyToolRoutes } from './tools/routes.js';

/**
 * Every strategy route: `/r/:code` (public tracked-link redirect) and, under the admin-guarded `/api`,
 * segments and market, selection, promotion, campaigns, links, spend, touchpoints, attribution,
 * partner relations and ecosystem, resources, and the stateless `/api/strategy/*` tools. The contracts
 * (requests and answers) are in src/shared/contract/strategy/.
 */
export function strategyRoutes(app: FastifyInstance, s: StrategyServices): void {
  redirectRoutes(app, s.touchpoints);
  marketRoutes(app, s);
  selectionRoutes(app, s);
  promotionRoutes(app, s);
  campaignRoutes(app, s);
  ecosystemRoutes(app, s.ecosystem);
  resourceRoutes(app, s.resources);
  strategyToolRoutes(app, s.methods);
}
