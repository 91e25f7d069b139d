import { channelRoutes } from '../../../src/shared/contract/channels.js';
import { customerRoutes } from '../../../src/shared/contract/customers.js';
import { gatewayAdminRoutes as gw } from '../../../src/shared/contract/gateway.js';
import { guardrailRoutes as grd } from '../../../src/shared/contract/guardrails.js';
import { systemRoutes } from '../../../src/shared/contract/system.js';
import { v1Routes } from '../../../src/shared/contract/v1.js';
import { first, step, type DomainSteps } from '../runner.js';

/** The model the starter workspace serves in-process (the demo's customers call it). */
const bundledModel = 'qudao-brown';

/**
 * The gateway: the server's own routes; plans, keys and deployments through `/api`; then `/v1` with a
 * customer key made here (saved as `customerKey`, the contract test's `customer` credential) against the
 * demo's bundled model, and the usage ledger those calls wrote. A second key is made only to revoke it;
 * the plan and the upstream deployment made here are archived at the end.
 */
export const gatewaySteps: DomainSteps = {
  steps: [
    step(systemRoutes.whoami),
    step(systemRoutes.system),

    step(gw.listPlans, { save: (a, s) => void (s.planId = first(a, 'price plan').id) }),
    step(gw.getPlan, { input: (s) => ({ params: { id: s.planId! } }) }),
    step(gw.createPlan, {
      input: () => ({ body: { name: 'Contract Test Plan', inputPer1mMicros: 1_000_000, outputPer1mMicros: 3_000_000, rpmLimit: null, monthlyTokenQuota: null } }),
      save: (a, s) => void (s.newPlanId = a.id),
    }),
    step(gw.updatePlan, { input: (s) => ({ params: { id: s.newPlanId! }, body: { rpmLimit: 600, includedTokens: 1_000 } }) }),

    step(customerRoutes.list, { input: () => ({ query: { status: 'active' as const, limit: 1 } }), save: (a, s) => void (s.keyCustomerId = first(a, 'active customer').id) }),
    step(channelRoutes.list, { input: () => ({ query: { status: 'active' as const } }), save: (a, s) => void (s.keyChannelId = first(a, 'active channel').id) }),
    step(gw.createKey, {
      input: (s) => ({ body: { customerId: s.keyCustomerId!, channelId: s.keyChannelId!, planId: s.planId!, name: 'contract test' } }),
      save: (a, s) => {
        s.keyId = a.id;
        s.customerKey = a.key;
      },
    }),
    step(gw.listKeys, { input: (s) => ({ query: { customerId: s.keyCustomerId! } }) }),
    step(gw.getKey, { input: (s) => ({ params: { id: s.keyId! } }) }),
    step(gw.createKey, {
      input: (s) => ({ body: { customerId: s.keyCustomerId!, channelId: s.keyChannelId!, planId: s.newPlanId!, name: 'contract test, to revoke', models: [bundledModel] } }),
      save: (a, s) => void (s.revokedKeyPrefix = a.prefix),
    }),
    // By its visible prefix, which `:id` also takes.
    step(gw.revokeKey, { input: (s) => ({ params: { id: s.revokedKeyPrefix! } }) }),

    step(gw.listDeployments),
    step(gw.createDeployment, {
      input: () => ({ body: { name: 'contract-test-upstream', kind: 'upstream' as const, provider: 'anthropic' as const, upstreamUrl: 'http://127.0.0.1:9', upstreamModel: 'claude-contract', timeoutMs: 1_000, maxRetries: 0 } }),
      save: (a, s) => void (s.deploymentId = a.id),
    }),
    step(gw.getDeployment, { input: (s) => ({ params: { id: s.deploymentId! } }) }),
    step(gw.updateDeployment, { input: (s) => ({ params: { id: s.deploymentId! }, body: { timeoutMs: 2_000, costInputPer1mMicros: 100_000, apiVersion: '2023-06-01', requestLog: { enabled: true, retentionDays: 2 } } }) }),
    step(gw.listRequestLogs, { input: (s) => ({ params: { id: s.deploymentId! }, query: { limit: 10 } }) }),
    step(gw.deleteRequestLogs, { input: (s) => ({ params: { id: s.deploymentId! } }) }),

    step(grd.createGuardrail, {
      input: (s) => ({ params: { id: s.deploymentId! }, body: { name: 'contract test words', stage: 'input' as const, kind: 'blocklist' as const, action: 'flag' as const, terms: ['contract-forbidden'] } }),
      save: (a, s) => void (s.guardrailId = a.id),
    }),
    step(grd.listGuardrails, { input: (s) => ({ params: { id: s.deploymentId! } }) }),
    step(grd.updateGuardrail, { input: (s) => ({ params: { id: s.deploymentId!, guardrailId: s.guardrailId! }, body: { action: 'refuse' as const, order: 2 } }) }),
    step(grd.guardrailStats, { input: (s) => ({ params: { id: s.deploymentId! }, query: { from: '2026-01-01T00:00:00Z' } }) }),

    step(v1Routes.models, {
      as: 'customer',
      save: (a, s) => {
        const served = a.data.find((m) => m.id === bundledModel) ?? first(a, 'model');
        s.modelName = served.id;
      },
    }),
    step(v1Routes.model, { as: 'customer', input: (s) => ({ params: { '*': s.modelName! } }) }),
    step(v1Routes.chatCompletions, {
      as: 'customer',
      input: (s) => ({ body: { model: s.modelName!, messages: [{ role: 'user' as const, content: 'Say hello.' }], max_tokens: 4, stream: false } }),
    }),
    step(v1Routes.completions, { as: 'customer', input: (s) => ({ body: { model: s.modelName!, prompt: 'Once upon a time', max_tokens: 4, stream: false } }) }),
    step(v1Routes.messages, { as: 'customer', input: (s) => ({ body: { model: s.modelName!, max_tokens: 4, messages: [{ role: 'user' as const, content: 'Say hello.' }] } }) }),
    step(v1Routes.responses, { as: 'customer', input: (s) => ({ body: { model: s.modelName!, input: 'Say hello.', max_output_tokens: 4, store: false } }) }),
    step(v1Routes.embeddings, { as: 'customer', input: (s) => ({ body: { model: s.modelName!, input: ['Once upon a time', 'Hello'], encoding_format: 'float' as const } }) }),
    step(gw.usage, { input: (s) => ({ query: { keyId: s.keyId!, limit: 10 } }) }),
  ],
  deletes: [
    step(grd.deleteGuardrail, { input: (s) => ({ params: { id: s.deploymentId!, guardrailId: s.guardrailId! } }) }),
    step(gw.updateDeployment, { input: (s) => ({ params: { id: s.deploymentId! }, body: { status: 'archived' as const } }) }),
    step(gw.updatePlan, { input: (s) => ({ params: { id: s.newPlanId! }, body: { status: 'archived' as const } }) }),
  ],
};
