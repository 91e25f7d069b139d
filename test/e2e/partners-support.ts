import type { LightMyRequestResponse } from 'fastify';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { newId, schema, type Store } from '../../src/store/index.js';

/** Admin token of the partner tests. */
export const PARTNER_TESTS_ADMIN = 'qd_admin_partner_tests_0123456789abcdef';

/** Starts the whole app on an in-memory store (listening on a free loopback port). */
export function startPartnersApp(): Promise<RunningApp> {
  return startApp(loadConfig({ env: { QUDAO_DATA_DIR: 'memory://', QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent', QUDAO_ADMIN_TOKEN: PARTNER_TESTS_ADMIN } }));
}

/** A small client over `inject()` with one credential. */
export interface ApiCaller {
  (method: string, url: string, body?: unknown): Promise<LightMyRequestResponse>;
}

/** Calls `/api` with `authorization` (or none). */
export function caller(running: RunningApp, authorization?: string): ApiCaller {
  return (method, url, body) =>
    running.app.inject({
      method: method as 'GET',
      url,
      headers: authorization ? { authorization } : {},
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
}

/** Inserts a price plan straight into the store (plans belong to the gateway's API). */
export async function seedPlan(store: Store, inputPer1mMicros = 1_000_000): Promise<string> {
  const id = newId('plan');
  await store.db.insert(schema.pricePlans).values({ id, name: `plan-${id}`, inputPer1mMicros, outputPer1mMicros: 2 * inputPer1mMicros });
  return id;
}

/** Inserts a customer acquired through a channel and partner. */
export async function seedCustomer(store: Store, partnerId: string | null, channelId: string | null, acquiredAt = new Date()): Promise<string> {
  const id = newId('cus');
  await store.db.insert(schema.customers).values({ id, name: `customer ${id}`, acquiredPartnerId: partnerId, acquiredChannelId: channelId, acquiredAt });
  return id;
}

/** One ledger row, as the gateway would write it. */
export interface UsageSeed {
  partnerId: string | null;
  channelId?: string | null;
  customerId?: string | null;
  occurredAt: string | Date;
  priceMicros: number;
  tokens?: number;
  status?: 'ok' | 'error';
  httpStatus?: number;
  latencyMs?: number;
  model?: string;
}

/** Appends ledger rows and returns their seqs. */
export async function appendUsage(store: Store, rows: readonly UsageSeed[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const inserted = await store.db
    .insert(schema.usageEvents)
    .values(
      rows.map((r) => ({
        requestId: newId('req'),
        occurredAt: new Date(r.occurredAt),
        partnerId: r.partnerId,
        channelId: r.channelId ?? null,
        customerId: r.customerId ?? null,
        model: r.model ?? 'qudao-small',
        endpoint: 'chat',
        promptTokens: r.tokens ?? 100,
        completionTokens: 0,
        latencyMs: r.latencyMs ?? 100,
        status: r.status ?? 'ok',
        httpStatus: r.httpStatus ?? 200,
        priceMicros: r.priceMicros,
        costMicros: Math.floor(r.priceMicros / 4),
      })),
    )
    .returning({ seq: schema.usageEvents.seq });
  return inserted.map((r) => r.seq);
}
