import { auditRoutes } from '../../../src/shared/contract/audit.js';
import { step, type DomainSteps } from '../runner.js';

/** The audit trail: read it (filtered by an action the earlier steps wrote) and walk its hash chain. */
export const auditSteps: DomainSteps = {
  steps: [
    step(auditRoutes.list, { input: () => ({ query: { action: 'customers.create', limit: 5 } }) }),
    step(auditRoutes.verify, { until: (a) => a.ok }),
  ],
};
