import { channelRoutes } from '../../../src/shared/contract/channels.js';
import { first, step, type DomainSteps } from '../runner.js';

/**
 * Channels: read the demo's types and channels and the channel map; add a type of our own and a channel of
 * that type, change and archive it; at the end delete the channel, then its type (no channel uses it then).
 */
export const channelSteps: DomainSteps = {
  steps: [
    step(channelRoutes.listTypes),
    step(channelRoutes.createType, {
      input: () => ({ body: { id: 'contract_test', name: 'Contract test', description: 'A type the contract test adds and removes.', defaultMarginKind: 'revenue_share' as const } }),
      save: (a, s) => void (s.channelTypeId = a.id),
    }),
    step(channelRoutes.list, { input: () => ({ query: { status: 'active' as const } }), save: (a, s) => void (s.channelId = first(a, 'active channel').id) }),
    step(channelRoutes.get, { input: (s) => ({ params: { id: s.channelId! } }) }),
    step(channelRoutes.map, { input: () => ({ query: {} }) }),
    step(channelRoutes.create, {
      input: (s) => ({ body: { name: 'Contract Test Channel', type: s.channelTypeId!, marginKind: 'revenue_share' as const, marginBps: 1500, meta: { source: 'contract-test' } } }),
      save: (a, s) => void (s.newChannelId = a.id),
    }),
    step(channelRoutes.update, { input: (s) => ({ params: { id: s.newChannelId! }, body: { status: 'paused' as const, marginBps: 1200 } }) }),
    step(channelRoutes.archive, { input: (s) => ({ params: { id: s.newChannelId! } }) }),
  ],
  deletes: [
    step(channelRoutes.remove, { input: (s) => ({ params: { id: s.newChannelId! } }) }),
    step(channelRoutes.removeType, { input: (s) => ({ params: { id: s.channelTypeId! } }) }),
  ],
};
