import { isDeepStrictEqual } from 'node:util';
import type { LightMyRequestResponse } from 'fastify';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { and, eq } from 'drizzle-orm';
import { computeStatement, type Statement } from '../../src/partners/index.js';
import { newId, schema, type Store } from '../../src/store/index.js';
import { createTempDatabase, postgresReachable } from './stores.js';
import { seededRandom } from './random.js';
export { seededRandom };

/** Admin token of the partner tests. */
export const PARTNER_TESTS_ADMIN = 'qd_admin_partner_tests_0123456789abcdef';

/**
 * Starts the whole app (listening on a free loopback port) on an in-memory PGlite, or on a fresh PostgreSQL
 * database when `kind` is `postgres` and the test server answers (else PGlite, unless CI=true requires it).
 * The flows run on both drivers that way; the `stop` it returns also drops the temporary database.
 */
export async function startPartnersApp(kind: 'pglite' | 'postgres' = 'pglite'): Promise<RunningApp> {
  const env: Record<string, string> = { QUDAO_DATA_DIR: 'memory://', QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent', QUDAO_ADMIN_TOKEN: PARTNER_TESTS_ADMIN };
  const temp = kind === 'postgres' && (await postgresReachable()) ? await createTempDatabase() : undefined;
  if (temp) env.DATABASE_URL = temp.url;
  const running = await startApp(loadConfig({ env }));
  if (!temp) return running;
  return { ...running, stop: async () => { await running.stop(); await temp.drop(); } };
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


/**
 * Drives a random ledger through the statement service: usage arrives (some of it late, for months already
 * finalised), months are drafted, redrafted and finalised in order, and a closing statement takes the last
 * late rows. Returns the mismatches between the final statements and the ledger (empty when exact).
 */
export async function reconcileRandomLedger(running: RunningApp, seed: number): Promise<string[]> {
  const rand = seededRandom(seed);
  const { partners, agreements, statements } = running.services.partners!;
  const partner = await partners.createPartner({ name: `Random ${seed} ${newId('p')}`, type: 'reseller', region: 'x', segments: [], certifiedStaff: 0 });
  await agreements.createAgreement({ partnerId: partner.id, revenueShareBps: 1 + Math.floor(rand() * 9_999), discountBps: 0, minCommitMicros: 0, monthlyTokenQuota: null, sla: {}, startsAt: '2025-06-01T00:00:00Z' });
  const months = ['2025-09', '2025-10', '2025-11', '2025-12'];
  let open = 0;
  const problems: string[] = [];
  for (let step = 0; step < 30; step++) {
    const r = rand();
    if (r < 0.75 || open >= months.length) {
      const m = rand() < 0.7 ? Math.min(open, months.length - 1) : Math.floor(rand() * Math.min(open + 1, months.length));
      const rows = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => ({
        partnerId: partner.id,
        customerId: `cus_r${Math.floor(rand() * 3)}`,
        occurredAt: `${months[m]}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}T${String(Math.floor(rand() * 24)).padStart(2, '0')}:00:00Z`,
        priceMicros: Math.floor(rand() * 9_000_000) - (rand() < 0.05 ? 10_000_000 : 0),
      }));
      await appendUsage(running.services.store, rows);
    } else if (r < 0.85) {
      problems.push(...(await sameAsPure(running, await statements.generateStatement(partner.id, months[open]!), seed)));
    } else {
      const draft = await statements.generateStatement(partner.id, months[open]!);
      problems.push(...(await sameAsPure(running, await statements.finalizeStatement(draft.id), seed)));
      open++;
    }
  }
  const closing = await statements.generateStatement(partner.id, '2026-01');
  await statements.finalizeStatement(closing.id);
  const finals = await statements.listStatements({ partnerId: partner.id, status: 'final' });
  const ledger = await running.services.store.query<{ n: string; revenue: string }>(`SELECT count(*)::text AS n, coalesce(sum(price_micros), 0)::text AS revenue FROM usage_events WHERE partner_id = $1`, [partner.id]);
  const settled = finals.reduce((s, f) => s + f.revenueMicros + f.adjustmentMicros, 0);
  const requests = finals.reduce((s, f) => s + f.lines.reduce((n, l) => n + l.requests, 0), 0);
  if (settled !== Number(ledger[0]!.revenue)) problems.push(`seed ${seed}: statements settle ${settled}, ledger holds ${ledger[0]!.revenue}`);
  if (requests !== Number(ledger[0]!.n)) problems.push(`seed ${seed}: statements count ${requests} rows, ledger holds ${ledger[0]!.n}`);
  for (const f of finals) {
    if (f.lines.reduce((s, l) => s + l.shareMicros, 0) !== f.shareMicros) problems.push(`seed ${seed}: ${f.month} lines do not sum to the share`);
    if (f.lines.reduce((s, l) => s + l.revenueMicros, 0) !== f.revenueMicros + f.adjustmentMicros) problems.push(`seed ${seed}: ${f.month} lines do not sum to the revenue`);
  }
  return problems;
}

/** Compares a stored statement with the pure computation over the raw ledger rows (the SQL path's reference). */
async function sameAsPure(running: RunningApp, statement: Statement, seed: number): Promise<string[]> {
  const { db } = running.services.store;
  const u = schema.usageEvents;
  const rows = await db.select({ seq: u.seq, occurredAt: u.occurredAt, customerId: u.customerId, model: u.model, promptTokens: u.promptTokens, completionTokens: u.completionTokens, priceMicros: u.priceMicros }).from(u).where(eq(u.partnerId, statement.partnerId));
  const finals = (await db.select().from(schema.statements).where(and(eq(schema.statements.partnerId, statement.partnerId), eq(schema.statements.status, 'final')))).filter((f) => f.month !== statement.month);
  const agreements = await db.select().from(schema.agreements).where(eq(schema.agreements.partnerId, statement.partnerId));
  const pure = computeStatement({ month: statement.month, cutoffSeq: statement.coveredSeq, rows, agreements, finals });
  // jsonb keeps keys in its own order, so compare structurally.
  const same = isDeepStrictEqual(pure.lines, statement.lines) && pure.shareMicros === statement.shareMicros && pure.revenueMicros === statement.revenueMicros && pure.adjustmentMicros === statement.adjustmentMicros;
  return same ? [] : [`seed ${seed}: ${statement.month} in the store differs from the pure computation`];
}
