import { billingRoutes } from '../../../src/shared/contract/billing.js';
import { step, type DomainSteps } from '../runner.js';

/**
 * Prepaid credits of a demo customer: a top-up, prepaid mode with a low-balance threshold, the balance, and
 * back to postpaid, so the gateway steps that call `/v1` with the demo's keys are not limited by it.
 */
export const creditSteps: DomainSteps = {
  steps: [
    step(billingRoutes.addCredit, { input: (s) => ({ params: { id: s.customerId! }, body: { kind: 'topup' as const, amountMicros: 1_000_000, note: 'contract test' } }) }),
    step(billingRoutes.setBillingMode, { input: (s) => ({ params: { id: s.customerId! }, body: { billingMode: 'prepaid' as const, lowBalanceMicros: 500_000 } }) }),
    step(billingRoutes.credits, { input: (s) => ({ params: { id: s.customerId! } }) }),
    step(billingRoutes.setBillingMode, { input: (s) => ({ params: { id: s.customerId! }, body: { billingMode: 'postpaid' as const } }) }),
  ],
};
