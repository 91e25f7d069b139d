import { and, desc, eq, gte, lt, ne, sql, type SQL } from 'drizzle-orm';
import { GUARDRAIL_ENDPOINT } from '../guardrails/ledger-lines.js';
import { schema, type Store } from '../../store/index.js';

/** Which ledger rows to read. */
export interface UsageFilter {
  readonly customerId?: string | undefined;
  readonly keyId?: string | undefined;
  readonly partnerId?: string | undefined;
  readonly channelId?: string | undefined;
  readonly model?: string | undefined;
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
  /** Most rows returned (the totals cover every matching row). */
  readonly limit: number;
}

/** Totals over the matching rows. Money in integer micro-units. */
export interface UsageTotals {
  readonly requests: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly priceMicros: number;
  readonly costMicros: number;
}

/** Reads the usage ledger for admins: recent rows and totals (the dashboard's "Keys & usage"). */
export class UsageService {
  constructor(
    private readonly store: Store,
    /** Resolves once every answered request's row is in the database (the ledger journal's background insert). */
    private readonly settled: () => Promise<void> = async () => {},
  ) {}

  async listUsage(filter: UsageFilter): Promise<{ rows: (typeof schema.usageEvents.$inferSelect)[]; totals: UsageTotals }> {
    await this.settled();
    const u = schema.usageEvents;
    // Guardrail lines are no requests: their counts and cost are in /api/deployments/:id/guardrails/stats.
    const conditions: SQL[] = [ne(u.endpoint, GUARDRAIL_ENDPOINT)];
    if (filter.customerId) conditions.push(eq(u.customerId, filter.customerId));
    if (filter.keyId) conditions.push(eq(u.keyId, filter.keyId));
    if (filter.partnerId) conditions.push(eq(u.partnerId, filter.partnerId));
    if (filter.channelId) conditions.push(eq(u.channelId, filter.channelId));
    if (filter.model) conditions.push(eq(u.model, filter.model));
    if (filter.from) conditions.push(gte(u.occurredAt, filter.from));
    if (filter.to) conditions.push(lt(u.occurredAt, filter.to));
    const where = and(...conditions);
    // Newest first by when the request happened (backfilled or imported rows take their place in time).
    const rows = await this.store.db.select().from(u).where(where).orderBy(desc(u.occurredAt), desc(u.seq)).limit(filter.limit);
    const [t] = await this.store.db
      .select({
        requests: sql<string>`count(*)`,
        promptTokens: sql<string>`coalesce(sum(${u.promptTokens}), 0)`,
        completionTokens: sql<string>`coalesce(sum(${u.completionTokens}), 0)`,
        priceMicros: sql<string>`coalesce(sum(${u.priceMicros}), 0)`,
        costMicros: sql<string>`coalesce(sum(${u.costMicros}), 0)`,
      })
      .from(u)
      .where(where);
    const totals = { requests: Number(t?.requests ?? 0), promptTokens: Number(t?.promptTokens ?? 0), completionTokens: Number(t?.completionTokens ?? 0), priceMicros: Number(t?.priceMicros ?? 0), costMicros: Number(t?.costMicros ?? 0) };
    return { rows, totals };
  }
}
