import { customerRoutes } from '../../../src/shared/contract/customers.js';
import { first, step, type DomainSteps } from '../runner.js';

/** Customers: read the demo's and export its data, create one, change, erase and archive it; delete it at the end. */
export const customerSteps: DomainSteps = {
  steps: [
    step(customerRoutes.list, { input: () => ({ query: { limit: 5 } }), save: (a, s) => void (s.customerId = first(a, 'customer').id) }),
    step(customerRoutes.get, { input: (s) => ({ params: { id: s.customerId! } }) }),
    step(customerRoutes.create, { input: () => ({ body: { name: 'Contract Test Co', email: 'contract@example.com', region: 'EU' } }), save: (a, s) => void (s.newCustomerId = a.id) }),
    step(customerRoutes.update, { input: (s) => ({ params: { id: s.newCustomerId! }, body: { companySize: '11-50' } }) }),
    // Privacy: the demo customer's data export (ledger, rollups, touchpoints, statement lines), then erase the new one.
    step(customerRoutes.exportData, { input: (s) => ({ params: { id: s.customerId! } }) }),
    step(customerRoutes.erase, { input: (s) => ({ params: { id: s.newCustomerId! }, body: { confirm: true as const } }) }),
    step(customerRoutes.archive, { input: (s) => ({ params: { id: s.newCustomerId! } }) }),
  ],
  deletes: [step(customerRoutes.remove, { input: (s) => ({ params: { id: s.newCustomerId! } }) })],
};
