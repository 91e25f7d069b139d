import { analyticsRoutes } from '../../../src/shared/contract/analytics.js';
import { step, type DomainSteps } from '../runner.js';

/** Analytics: count the ledger into the rollups, then read the overview, each KPI report (by channel) and daily usage. */
export const analyticsSteps: DomainSteps = {
  steps: [
    step(analyticsRoutes.refresh),
    step(analyticsRoutes.overview, { input: () => ({ query: {} }) }),
    step(analyticsRoutes.coverage, { input: () => ({ query: { groupBy: 'channel' as const } }) }),
    step(analyticsRoutes.stickiness, { input: () => ({ query: { groupBy: 'segment' as const } }) }),
    step(analyticsRoutes.cost, { input: () => ({ query: { groupBy: 'partner' as const } }) }),
    step(analyticsRoutes.brand, { input: () => ({ query: { groupBy: 'campaign' as const } }) }),
    step(analyticsRoutes.usage, { input: (s) => ({ query: s.customerId ? { customerId: s.customerId } : {} }) }),
  ],
};
