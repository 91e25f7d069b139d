import { campaignRoutes } from './campaigns.js';
import { ecosystemRoutes } from './ecosystem.js';
import { marketRoutes } from './market.js';
import { promotionRoutes } from './promotion.js';
import { resourceRoutes } from './resources.js';
import { selectionRoutes } from './selection.js';
import { strategyToolRoutes } from './tools.js';

/**
 * The strategy contracts, one file per area: market positioning, partner selection, promotion channels,
 * campaigns (links, spend, touchpoints, attribution), ecosystem, resource sharing, and the stateless tools.
 */
export * from './common.js';
export * from './market.js';
export * from './selection.js';
export * from './promotion.js';
export * from './campaigns.js';
export * from './ecosystem.js';
export * from './resources.js';
export * from './tools.js';

/** Every strategy route. */
export const strategyRoutes = {
  ...marketRoutes,
  ...selectionRoutes,
  ...promotionRoutes,
  ...campaignRoutes,
  ...ecosystemRoutes,
  ...resourceRoutes,
  ...strategyToolRoutes,
} as const;
