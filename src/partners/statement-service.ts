import { and, asc, desc, eq, lt, lte, max, ne, sql, type SQL } from 'drizzle-orm';
import { parseMonth } from '../errors/index.js';
import { monthEnd } from '../shared/month.js';
import { QudaoError } from '../errors/index.js';
import { newId, schema, type Database, type Store } from '../store/index.js';
import { settlementSteps, statementFromGroups, type ComputedStatement, type FinalStatementRef, type StatementLine, type UsageGroup } from './statement.js';
import { statementCsv } from './statement-csv.js';

/** A statement as stored, with its lines typed. */
export type Statement = Omit<typeof schema.statements.$inferSelect, 'lines'> & { lines: StatementLine[] };

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

function toStatement(row: typeof schema.statements.$inferSelect): Statement {
  return { ...row, lines: row.lines as StatementLine[] };
}

/**
 * Monthly revenue-share statements (draft → final) computed from the usage ledger. A final statement is
 * immutable; usage that reaches the ledger after its month was finalised goes into the next statement as an
 * adjustment, so the final statements of a partner sum exactly to its ledger revenue.
 */
export class StatementService {
  constructor(
    private readonly store: Store,
    /** The clock that says whether a month has ended; tests pass a fixed one. */
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Statements, newest month first. */
  async listStatements(filter: { partnerId?: string | undefined; month?: string | undefined; status?: string | undefined } = {}): Promise<Statement[]> {
    const s = schema.statements;
    const where: SQL[] = [];
    if (filter.partnerId) where.push(eq(s.partnerId, filter.partnerId));
    if (filter.month) where.push(eq(s.month, parseMonth(filter.month)));
    if (filter.status) where.push(eq(s.status, filter.status));
    return (await this.store.db.select().from(s).where(and(...where)).orderBy(desc(s.month), asc(s.partnerId))).map(toStatement);
  }

  /** One statement; QD_NOT_FOUND when absent. */
  async getStatement(id: string): Promise<Statement> {
    const [row] = await this.store.db.select().from(schema.statements).where(eq(schema.statements.id, id));
    if (!row) throw new QudaoError('QD_NOT_FOUND', `no statement ${id}`);
    return toStatement(row);
  }

  /** Computes (or recomputes) the draft statement of a partner's month; a final one is QD_IMMUTABLE. */
  async generateStatement(partnerId: string, month: string): Promise<Statement> {
    parseMonth(month);
    return this.store.db.transaction(async (tx) => {
      await lockPartner(tx, partnerId);
      const [existing] = await tx.select().from(schema.statements).where(and(eq(schema.statements.partnerId, partnerId), eq(schema.statements.month, month)));
      if (existing?.status === 'final') throw new QudaoError('QD_IMMUTABLE', `the ${month} statement of ${partnerId} is final`);
      const computed = await computeFor(tx, partnerId, month);
      const values = statementValues(computed);
      if (existing) return toStatement((await tx.update(schema.statements).set(values).where(eq(schema.statements.id, existing.id)).returning())[0]!);
      return toStatement((await tx.insert(schema.statements).values({ id: newId('stm'), partnerId, month, ...values }).returning())[0]!);
    });
  }

  /**
   * Drafts of a month for the partners given, or else for every partner that is not archived plus every
   * archived one that still has unsettled usage (late rows must reach a statement even after archiving).
   */
  async generateMonth(month: string, partnerIds?: readonly string[]): Promise<Statement[]> {
    parseMonth(month);
    const ids = partnerIds ? [...partnerIds] : await this.partnersToSettle(month);
    const out: Statement[] = [];
    for (const id of ids) out.push(await this.generateStatement(id, month));
    return out;
  }

  /**
   * Finalises a draft: recomputes it at the ledger's current end and freezes it. A month that has not ended
   * is QD_MONTH_NOT_ENDED: its usage is still arriving, and a final statement cannot take it back (drafts of
   * a running month are fine; they are recomputed on demand). The ledger is locked against
   * inserts for the moment of the computation, so no row with a seq below the covered seq can commit later
   * (a sequence hands out numbers before commit, so without the lock a slow insert could slip under it).
   */
  async finalizeStatement(id: string): Promise<Statement> {
    return this.store.db.transaction(async (tx) => {
      const [draft] = await tx.select().from(schema.statements).where(eq(schema.statements.id, id));
      if (!draft) throw new QudaoError('QD_NOT_FOUND', `no statement ${id}`);
      await lockPartner(tx, draft.partnerId);
      const [row] = await tx.select().from(schema.statements).where(eq(schema.statements.id, id)).for('update');
      if (row!.status === 'final') throw new QudaoError('QD_IMMUTABLE', `statement ${id} is already final`);
      const ends = monthEnd(row!.month);
      if (this.now().getTime() < ends.getTime()) {
        throw new QudaoError('QD_MONTH_NOT_ENDED', `${row!.month} has not ended; its statement can be finalised from ${ends.toISOString()} (a draft can be recomputed meanwhile)`);
      }
      await tx.execute(sql`LOCK TABLE usage_events IN SHARE MODE`);
      const computed = await computeFor(tx, row!.partnerId, row!.month);
      const [done] = await tx.update(schema.statements).set({ ...statementValues(computed), status: 'final', finalizedAt: new Date() }).where(eq(schema.statements.id, id)).returning();
      return toStatement(done!);
    });
  }

  private async partnersToSettle(month: string): Promise<string[]> {
    const rows = await this.store.db.select({ id: schema.partners.id, status: schema.partners.status }).from(schema.partners).orderBy(asc(schema.partners.id));
    const ids: string[] = [];
    for (const p of rows) {
      if (p.status !== 'archived') ids.push(p.id);
      else if ((await this.store.db.transaction((tx) => computeFor(tx, p.id, month))).lines.length > 0) ids.push(p.id);
    }
    return ids;
  }

  /** Deletes a draft (it can always be generated again); a final statement is QD_IMMUTABLE. */
  async deleteStatement(id: string): Promise<void> {
    const s = await this.getStatement(id);
    if (s.status === 'final') throw new QudaoError('QD_IMMUTABLE', `statement ${id} is final`);
    await this.store.db.delete(schema.statements).where(and(eq(schema.statements.id, id), eq(schema.statements.status, 'draft')));
  }

  /** The statement as CSV (one row per line and a total row). */
  async statementCsv(id: string): Promise<string> {
    const s = await this.getStatement(id);
    return statementCsv({ id: s.id, partnerId: s.partnerId, month: s.month, status: s.status }, s.lines);
  }
}

async function lockPartner(tx: Tx, partnerId: string): Promise<void> {
  // Serialises statement work per partner: two finalisations at once would each miss the other's final.
  const [p] = await tx.select({ id: schema.partners.id }).from(schema.partners).where(eq(schema.partners.id, partnerId)).for('update');
  if (!p) throw new QudaoError('QD_INVALID_REQUEST', `partnerId: no partner ${partnerId}`, { param: 'partnerId' });
}

function statementValues(c: ComputedStatement) {
  return { revenueMicros: c.revenueMicros, adjustmentMicros: c.adjustmentMicros, shareMicros: c.shareMicros, lines: c.lines, coveredSeq: c.coveredSeq };
}

/**
 * Computes a statement in the store: the ledger rows not yet settled are filtered and grouped by SQL (usage
 * month, agreement in force, customer, model), so a partner's month of millions of requests arrives as a few
 * hundred groups; the pure statementFromGroups then makes the lines and shares. The randomised reconciliation
 * tests check this path against computeStatement over the raw rows.
 */
async function computeFor(tx: Tx, partnerId: string, month: string): Promise<ComputedStatement> {
  const finals: FinalStatementRef[] = await tx
    .select({ month: schema.statements.month, coveredSeq: schema.statements.coveredSeq })
    .from(schema.statements)
    .where(and(eq(schema.statements.partnerId, partnerId), eq(schema.statements.status, 'final'), ne(schema.statements.month, month)));
  const agreements = await tx.select().from(schema.agreements).where(eq(schema.agreements.partnerId, partnerId));
  const u = schema.usageEvents;
  const [top] = await tx.select({ maxSeq: max(u.seq) }).from(u);
  const cutoffSeq = Number(top?.maxSeq ?? 0);
  const steps = settlementSteps(finals);
  const settledUpTo = steps.length ? sql`CASE ${sql.join(steps.map((st) => sql`WHEN ${u.occurredAt} < ${st.before.toISOString()} THEN ${st.coveredSeq}::bigint`), sql` `)} ELSE 0 END` : sql`0`;
  const rows = await tx
    .select({
      month: sql<string>`to_char(${u.occurredAt} AT TIME ZONE 'UTC', 'YYYY-MM')`,
      agreementId: sql<string | null>`(SELECT a.id FROM agreements a WHERE a.partner_id = ${partnerId} AND a.starts_at <= ${u.occurredAt} AND (a.ends_at IS NULL OR ${u.occurredAt} < a.ends_at) ORDER BY a.starts_at DESC, a.created_at DESC LIMIT 1)`,
      customerId: u.customerId,
      model: u.model,
      requests: sql<string>`count(*)::text`,
      promptTokens: sql<string>`sum(${u.promptTokens})::text`,
      completionTokens: sql<string>`sum(${u.completionTokens})::text`,
      revenueMicros: sql<string>`sum(${u.priceMicros})::text`,
    })
    .from(u)
    // Guardrail lines earn no partner anything (price 0) and are no request: they are left out of statements.
    .where(and(eq(u.partnerId, partnerId), ne(u.endpoint, 'guardrail'), lte(u.seq, cutoffSeq), lt(u.occurredAt, monthEnd(month)), sql`${u.seq} > ${settledUpTo}`))
    .groupBy(sql`1`, sql`2`, sql`3`, sql`4`);
  const groups: UsageGroup[] = rows.map((r) => ({ ...r, requests: Number(r.requests), promptTokens: Number(r.promptTokens), completionTokens: Number(r.completionTokens), revenueMicros: Number(r.revenueMicros) }));
  return statementFromGroups(month, cutoffSeq, groups, agreements);
}
