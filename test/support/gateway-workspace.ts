import { hashSecret, newSecret } from '../../src/auth/index.js';
import { migrate, newId, openPglite, schema, type Store } from '../../src/store/index.js';

/** Admin token used by gateway tests. */
export const TEST_ADMIN_TOKEN = 'qd_admin_gateway_tests_0123456789abcdef';

/** A customer and a channel to issue keys through, written straight to the store (they have their own API). */
export async function seedCustomer(store: Store, opts: { spendBudgetMicros?: number; monthlyTokenQuota?: number; partnerId?: string; campaignId?: string } = {}): Promise<{ customerId: string; channelId: string }> {
  const channelId = newId('chn');
  const customerId = newId('cus');
  await store.db.insert(schema.channels).values({ id: channelId, name: `direct-${channelId}`, type: 'direct' });
  await store.db.insert(schema.customers).values({
    id: customerId,
    name: `customer ${customerId}`,
    acquiredChannelId: channelId,
    acquiredPartnerId: opts.partnerId ?? null,
    acquiredCampaignId: opts.campaignId ?? null,
    spendBudgetMicros: opts.spendBudgetMicros ?? null,
    monthlyTokenQuota: opts.monthlyTokenQuota ?? null,
  });
  return { customerId, channelId };
}

/** An upstream deployment {@link seedDataDir} writes: its id, model name, URL and optional timeout. */
export interface SeededUpstream {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly timeoutMs?: number;
}

/**
 * Seeds a PGlite data folder before a server process opens it: a plan, a direct channel, a customer, an API
 * key and the given upstream deployments. Returns the key (for kill -9 tests, whose server is a child process).
 */
export async function seedDataDir(dataDir: string, upstreams: readonly SeededUpstream[]): Promise<string> {
  const store = await openPglite(dataDir);
  await migrate(store);
  const key = newSecret('qd_sk');
  await store.db.insert(schema.pricePlans).values({ id: 'plan_k', name: 'k', inputPer1mMicros: 1, outputPer1mMicros: 1 });
  await store.db.insert(schema.channels).values({ id: 'chn_k', name: 'direct', type: 'direct' });
  await store.db.insert(schema.customers).values({ id: 'cus_k', name: 'k' });
  await store.db.insert(schema.apiKeys).values({ id: newId('key'), prefix: key.slice(0, 14), keyHash: hashSecret(key), customerId: 'cus_k', channelId: 'chn_k', planId: 'plan_k' });
  for (const u of upstreams) {
    await store.db.insert(schema.deployments).values({ id: u.id, name: u.name, kind: 'upstream', upstreamUrl: u.url, ...(u.timeoutMs === undefined ? {} : { timeoutMs: u.timeoutMs }) });
  }
  await store.close();
  return key;
}

/** Calls the admin API of a running server. */
export async function adminCall<T = Record<string, unknown>>(baseUrl: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as T };
}

/** Creates a plan, an upstream deployment and a key for a fresh customer; returns the key secret and ids. */
export async function seedGatewayKey(
  baseUrl: string,
  store: Store,
  plan: { rpmLimit?: number | null; tpmLimit?: number | null; monthlyTokenQuota?: number | null; inputPer1mMicros?: number; outputPer1mMicros?: number; trainingPer1mMicros?: number },
  customer: Parameters<typeof seedCustomer>[1] = {},
): Promise<{ key: string; keyId: string; planId: string; customerId: string; channelId: string }> {
  const { customerId, channelId } = await seedCustomer(store, customer);
  const p = await adminCall<{ id: string }>(baseUrl, 'POST', '/api/plans', { name: `plan-${newId('p')}`, inputPer1mMicros: 1_000_000, outputPer1mMicros: 2_000_000, ...plan });
  if (p.status !== 201) throw new Error(`plan: ${JSON.stringify(p.json)}`);
  const k = await adminCall<{ id: string; key: string }>(baseUrl, 'POST', '/api/keys', { customerId: customerId, channelId: channelId, planId: p.json.id, name: 'test' });
  if (k.status !== 201) throw new Error(`key: ${JSON.stringify(k.json)}`);
  return { key: k.json.key, keyId: k.json.id, planId: p.json.id, customerId, channelId };
}
