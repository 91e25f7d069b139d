import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { QudaoError } from '../../errors/index.js';
import { schema, type Store } from '../../store/index.js';
import { pseudonymOf } from './customer-tables.js';

/** Options of {@link CustomerPrivacy}. */
export interface CustomerPrivacyOptions {
  /** Called after an erasure revoked keys, so the gateway's key cache drops them before the answer. */
  readonly changed?: () => Promise<void>;
  readonly now?: () => Date;
}

type Row = Record<string, unknown>;

/**
 * Data export and erasure of one customer (README, Privacy). What each table's rows become is listed once,
 * in ./customer-tables.ts; this class reads and writes them. Erasure removes what identifies a person and
 * keeps every id, amount and count, so the ledger, its rollups and partner statements reconcile after it.
 */
export class CustomerPrivacy {
  private readonly now: () => Date;

  constructor(
    private readonly store: Store,
    private readonly options: CustomerPrivacyOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** Everything about one customer; QD_NOT_FOUND when there is none. */
  async exportData(customerId: string) {
    const { db } = this.store;
    const customer = await this.customer(customerId);
    const keys = await db.select().from(schema.apiKeys).where(eq(schema.apiKeys.customerId, customerId)).orderBy(asc(schema.apiKeys.createdAt));
    const planIds = [...new Set(keys.map((k) => k.planId))];
    const [plans, usage, usageDaily, customerMonths, touchpoints, requestLogs, statementLines, audit] = await Promise.all([
      planIds.length ? db.select().from(schema.pricePlans).where(inArray(schema.pricePlans.id, planIds)).orderBy(asc(schema.pricePlans.createdAt)) : Promise.resolve([]),
      db.select().from(schema.usageEvents).where(eq(schema.usageEvents.customerId, customerId)).orderBy(asc(schema.usageEvents.seq)),
      db.select().from(schema.usageDaily).where(eq(schema.usageDaily.customerId, customerId)).orderBy(asc(schema.usageDaily.day)),
      db.select().from(schema.customerMonths).where(eq(schema.customerMonths.customerId, customerId)).orderBy(asc(schema.customerMonths.month)),
      db.select().from(schema.touchpoints).where(eq(schema.touchpoints.customerId, customerId)).orderBy(asc(schema.touchpoints.occurredAt)),
      db.select().from(schema.requestLogs).where(eq(schema.requestLogs.customerId, customerId)).orderBy(asc(schema.requestLogs.createdAt)),
      this.statementLines(customerId),
      this.auditRows(customerId),
    ]);
    const [planHistory, credits, invoices, fineTuningFiles, fineTuningJobs] = await Promise.all([
      db.select().from(schema.customerPlans).where(eq(schema.customerPlans.customerId, customerId)).orderBy(asc(schema.customerPlans.startsAt)),
      db.select().from(schema.creditEntries).where(eq(schema.creditEntries.customerId, customerId)).orderBy(asc(schema.creditEntries.createdAt)),
      db.select().from(schema.invoices).where(eq(schema.invoices.customerId, customerId)).orderBy(asc(schema.invoices.month)),
      db.select().from(schema.fineTuningFiles).where(eq(schema.fineTuningFiles.customerId, customerId)).orderBy(asc(schema.fineTuningFiles.createdAt)),
      db.select().from(schema.fineTuningJobs).where(eq(schema.fineTuningJobs.customerId, customerId)).orderBy(asc(schema.fineTuningJobs.createdAt)),
    ]);
    return {
      exportedAt: this.now().toISOString(),
      customer,
      // The visible prefix only: `key_hash` is left out like the secret it hashes.
      apiKeys: keys.map(({ keyHash: _hash, models, ...k }) => ({ ...k, models: Array.isArray(models) ? models.filter((m): m is string => typeof m === 'string') : [] })),
      plans,
      usage,
      rollups: { usageDaily, customerMonths },
      touchpoints,
      statementLines,
      requestLogs,
      billing: { planHistory, credits, invoices },
      fineTuning: { files: fineTuningFiles, jobs: fineTuningJobs },
      audit,
    };
  }

  /**
   * Erases one customer's personal data in one transaction: its name becomes {@link pseudonymOf} the id; its
   * e-mail and free-text metadata go; it is archived and marked erased; its API keys are revoked and their
   * names removed; its attribution touchpoints' visitor ids (a browser cookie: it identifies a person) become
   * the pseudonym, also on the same visitor's touches before signup; its request logs and fine-tuning files are
 * deleted and its fine-tuning jobs' metadata removed. Ledger
   * rows, rollups and statements are not touched. Idempotent: erasing again changes nothing.
   */
  async erase(customerId: string) {
    await this.customer(customerId);
    const pseudonym = pseudonymOf(customerId);
    const at = this.now();
    const result = await this.store.db.transaction(async (tx) => {
      const k = schema.apiKeys;
      const revoked = await tx.update(k).set({ status: 'revoked', revokedAt: at }).where(and(eq(k.customerId, customerId), eq(k.status, 'active'))).returning({ id: k.id });
      await tx.update(k).set({ name: '' }).where(eq(k.customerId, customerId));
      const t = schema.touchpoints;
      const visitors = (await tx.selectDistinct({ v: t.visitorId }).from(t).where(eq(t.customerId, customerId))).map((r) => r.v).filter((v) => v !== pseudonym);
      const touched = await tx
        .update(t)
        .set({ visitorId: pseudonym })
        .where(and(sql`${t.visitorId} <> ${pseudonym}`, visitors.length ? or(eq(t.customerId, customerId), and(isNull(t.customerId), inArray(t.visitorId, visitors))) : eq(t.customerId, customerId)))
        .returning({ id: t.id });
      const logs = await tx.delete(schema.requestLogs).where(eq(schema.requestLogs.customerId, customerId)).returning({ id: schema.requestLogs.requestId });
      const files = await tx.delete(schema.fineTuningFiles).where(eq(schema.fineTuningFiles.customerId, customerId)).returning({ id: schema.fineTuningFiles.id });
      await tx.update(schema.fineTuningJobs).set({ metadata: null }).where(eq(schema.fineTuningJobs.customerId, customerId));
      const c = schema.customers;
      const [row] = await tx
        .update(c)
        .set({ name: pseudonym, email: null, meta: {}, status: 'archived', erasedAt: sql`coalesce(${c.erasedAt}, ${at.toISOString()}::timestamptz)` })
        .where(eq(c.id, customerId))
        .returning();
      return { customer: row!, revokedKeys: revoked.length, pseudonymisedTouchpoints: touched.length, deletedRequestLogs: logs.length, deletedFineTuningFiles: files.length };
    });
    await this.options.changed?.();
    return result;
  }

  private async customer(customerId: string) {
    const [row] = await this.store.db.select().from(schema.customers).where(eq(schema.customers.id, customerId));
    if (!row) throw new QudaoError('QD_NOT_FOUND', `no customer ${customerId}`);
    return row;
  }

  /** The partner statement lines that name the customer (statements hold lines as JSON). */
  private async statementLines(customerId: string): Promise<{ statementId: string; partnerId: string; month: string; status: string; line: Row }[]> {
    const s = schema.statements;
    const rows = await this.store.db.select().from(s).where(sql`${s.lines} @> ${JSON.stringify([{ customerId }])}::jsonb`).orderBy(asc(s.month), asc(s.partnerId));
    return rows.flatMap((st) =>
      (Array.isArray(st.lines) ? (st.lines as Row[]) : []).filter((l) => l.customerId === customerId).map((line) => ({ statementId: st.id, partnerId: st.partnerId, month: st.month, status: st.status, line })),
    );
  }

  /** Rows of the audit trail's tables (any table named `audit…`, when present) whose JSON names the customer. */
  private async auditRows(customerId: string): Promise<{ table: string; row: Row }[]> {
    const tables = await this.store.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name LIKE 'audit%' ORDER BY table_name");
    const out: { table: string; row: Row }[] = [];
    for (const { table_name: table } of tables) {
      const quoted = `"${table.replaceAll('"', '""')}"`;
      const rows = await this.store.query<Row>(`SELECT * FROM ${quoted} t WHERE strpos(row_to_json(t)::text, $1) > 0`, [JSON.stringify(customerId)]);
      for (const row of rows) out.push({ table, row });
    }
    return out;
  }
}
