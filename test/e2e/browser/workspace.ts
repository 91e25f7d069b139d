/**
 * What the browser tests need on the server beyond the demo workspace: a customer and a channel to
 * issue a key through (written to the store, as the gateway tests do, until the customers API exists),
 * a price plan, and a deployment whose upstream is the deterministic mock (`w0 w1 …`), streamed slowly
 * enough that the playground visibly streams.
 */
import { startMockUpstream, type MockUpstream } from '../../support/mock-upstream.js';
import { seedCustomer } from '../../support/gateway-workspace.js';
import type { TestServer } from './browser.js';

/** Ids of the seeded rows and the mock upstream to close afterwards. */
export interface BrowserWorkspace {
  customerId: string;
  channelId: string;
  /** The seeded channel's name, as the channel map shows it. */
  channelName: string;
  planId: string;
  model: string;
  upstream: MockUpstream;
}

/** Seeds the workspace through the store and the gateway's admin API. */
export async function seedBrowserWorkspace(server: TestServer): Promise<BrowserWorkspace> {
  const upstream = await startMockUpstream({ chunkDelayMs: 20 });
  const { customerId, channelId } = await seedCustomer(server.running.services.store);
  const plan = await server.api('POST', '/api/plans', { name: 'browser-test-plan', inputPer1mMicros: 1_000_000, outputPer1mMicros: 2_000_000 });
  if (plan.status !== 201) throw new Error(`plan: ${JSON.stringify(plan.json)}`);
  const model = 'playground-mock';
  const deployment = await server.api('POST', '/api/deployments', { name: model, kind: 'upstream', upstreamUrl: upstream.url, upstreamModel: 'mock' });
  if (deployment.status !== 201) throw new Error(`deployment: ${JSON.stringify(deployment.json)}`);
  return { customerId, channelId, channelName: `direct-${channelId}`, planId: (plan.json as { id: string }).id, model, upstream };
}
