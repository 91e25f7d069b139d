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

/**
 * Independent min-max weighted sum and TOPSIS (Hwang & Yoon 1981: vector normalisation, weighted, distances
 * to the ideal and anti-ideal, closeness S⁻/(S⁺+S⁻)) over rows of raw scores; `cost[j]` marks cost criteria.
 */
export function reference(rows: number[][], weights: number[], cost: boolean[]): { weightedSum: number[]; topsis: number[] } {
  const total = weights.reduce((a, b) => a + b, 0);
  const w = weights.map((x) => x / total);
  const col = (j: number) => rows.map((r) => r[j]!);
  const weightedSum = rows.map((r) => r.reduce((s, x, j) => {
    const c = col(j); const max = Math.max(...c); const min = Math.min(...c);
    return s + w[j]! * (cost[j] ? (max - x) / (max - min) : (x - min) / (max - min));
  }, 0));
  const v = rows.map((r) => r.map((x, j) => (w[j]! * x) / Math.hypot(...col(j))));
  const best = w.map((_, j) => (cost[j] ? Math.min : Math.max)(...v.map((r) => r[j]!)));
  const worst = w.map((_, j) => (cost[j] ? Math.max : Math.min)(...v.map((r) => r[j]!)));
  const topsis = v.map((r) => {
    const dPlus = Math.hypot(...r.map((x, j) => x - best[j]!));
    const dMinus = Math.hypot(...r.map((x, j) => x - worst[j]!));
    return dMinus / (dPlus + dMinus);
  });
  return { weightedSum, topsis };
}
