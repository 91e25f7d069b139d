import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { AdminTokens } from '../../src/auth/index.js';
import { loadConfig } from '../../src/config/index.js';
import { buildServer, createMetrics } from '../../src/server/index.js';
import { newId, schema, type Store } from '../../src/store/index.js';
import { createStrategyServices, type StrategyServices } from '../../src/strategy/index.js';
import { openTestStore, type storeKinds } from '../support/stores.js';

/** Admin token of the strategy tests. */
export const ADMIN = 'qd_admin_strategy_tests_0123456789abcdef';

/** A bare server with the strategy routes over a fresh migrated store of one kind. */
export interface StrategyHarness {
  store: Store;
  app: FastifyInstance;
  strategy: StrategyServices;
  /** Calls the API as admin (JSON body); returns the status and parsed body. */
  api<T = Record<string, unknown>>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<{ status: number; json: T; res: LightMyRequestResponse }>;
  dispose(): Promise<void>;
}

/** Builds the harness on PGlite or PostgreSQL. */
export async function strategyHarness(kind: (typeof storeKinds)[number]): Promise<StrategyHarness> {
  const { store, dispose } = await openTestStore(kind);
  const adminTokens = new AdminTokens(store);
  await adminTokens.ensure(ADMIN);
  const strategy = createStrategyServices(store);
  const config = loadConfig({ env: { QUDAO_LOG_LEVEL: 'silent' } });
  const app = await buildServer({ config, store, adminTokens, metrics: createMetrics(), version: 'test', startedAt: new Date(), strategy });
  return {
    store, app, strategy,
    async api(method, url, body) {
      const res = await app.inject({ method, url, headers: { authorization: `Bearer ${ADMIN}` }, ...(body === undefined ? {} : { payload: body as object }) });
      return { status: res.statusCode, json: (res.body ? res.json() : {}) as never, res };
    },
    async dispose() {
      await app.close();
      await dispose();
    },
  };
}

/** Inserts a partner straight into the store (partners have their own API). */
export async function seedPartner(store: Store, name: string): Promise<string> {
  const id = newId('ptn');
  await store.db.insert(schema.partners).values({ id, name, type: 'referral', region: 'cn' });
  return id;
}

/** Inserts a customer straight into the store (customers belong to the gateway and partner APIs). */
export async function seedCustomer(store: Store, fields: { name: string; acquiredAt?: Date; segmentId?: string; acquiredPartnerId?: string }): Promise<string> {
  const id = newId('cus');
  await store.db.insert(schema.customers).values({ id, name: fields.name, acquiredAt: fields.acquiredAt ?? new Date(), segmentId: fields.segmentId ?? null, acquiredPartnerId: fields.acquiredPartnerId ?? null });
  return id;
}

/** Appends one ledger row (revenue = price, cost to serve = cost) for a customer. */
export async function seedUsage(store: Store, customerId: string, at: Date, priceMicros: number, costMicros = 0): Promise<void> {
  await store.db.insert(schema.usageEvents).values({
    requestId: newId('req'), occurredAt: at, customerId, model: 'm', endpoint: '/v1/chat/completions', status: 'ok', httpStatus: 200, priceMicros, costMicros,
  });
}

/** Milliseconds in a day. */
export const DAY = 86_400_000;
