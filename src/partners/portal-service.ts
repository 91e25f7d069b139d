import { and, desc, eq, ne, sql } from 'drizzle-orm';
import { parseMonth } from '../errors/index.js';
import { monthEnd, monthOf, monthStart } from '../shared/month.js';
import { QudaoError } from '../errors/index.js';
import { schema, type Store } from '../store/index.js';
import type { Agreement, AgreementService } from './agreement-service.js';
import type { OnboardingProgress } from './onboarding.js';
import type { IssuedKey, PartnerKeyIssuer } from './key-issuer.js';
import type { Partner, PartnerService } from './partner-service.js';
import type { Scorecard, ScorecardService } from './scorecard-service.js';
import type { Statement, StatementService } from './statement-service.js';
import type { Tier, TierService } from './tier-service.js';

/** A key as a partner sees it: no hash, no secret. */
export type PortalKey = Omit<typeof schema.apiKeys.$inferSelect, 'keyHash'>;

/** One row of a partner's usage report: a customer's traffic on a model in the month. */
export interface PortalUsageRow {
  customerId: string | null;
  /** The customer's name, so the portal reads by name (null for usage without a customer). */
  customerName: string | null;
  model: string;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  revenueMicros: number;
}

/** What a partner sees first: its profile, tier, the agreement in force and onboarding progress. */
export interface PortalOverview {
  partner: Partner;
  tier: Tier | null;
  agreement: Agreement | null;
  onboarding: OnboardingProgress;
}

/**
 * The partner portal's view of the data. Every method takes the partner id from the caller's session and
 * filters by it, so a partner can read and change only its own customers, keys, usage and statements; a
 * resource of another partner answers QD_NOT_FOUND, which does not even confirm that it exists.
 */
export class PortalService {
  constructor(
    private readonly store: Store,
    private readonly deps: { partners: PartnerService; tiers: TierService; agreements: AgreementService; statements: StatementService; scorecards: ScorecardService; keys: PartnerKeyIssuer },
  ) {}

  /** The partner's profile, tier, agreement in force and onboarding progress. */
  async overview(partnerId: string): Promise<PortalOverview> {
    const partner = await this.deps.partners.getPartner(partnerId);
    const [tier, agreement, onboarding] = await Promise.all([
      partner.tierId ? this.deps.tiers.getTier(partner.tierId) : Promise.resolve(null),
      this.deps.agreements.agreementInForce(partnerId),
      this.deps.partners.onboarding(partnerId),
    ]);
    return { partner, tier, agreement: agreement ?? null, onboarding };
  }

  /** The partner's customers: those it brought in. */
  customers(partnerId: string): Promise<(typeof schema.customers.$inferSelect)[]> {
    return this.store.db.select().from(schema.customers).where(eq(schema.customers.acquiredPartnerId, partnerId)).orderBy(desc(schema.customers.createdAt));
  }

  /** The keys issued through the partner. */
  async keys(partnerId: string): Promise<PortalKey[]> {
    const rows = await this.store.db.select().from(schema.apiKeys).where(eq(schema.apiKeys.partnerId, partnerId)).orderBy(desc(schema.apiKeys.createdAt));
    return rows.map(({ keyHash: _hidden, ...k }) => k);
  }

  /** The partner's usage in a month, per customer and model. */
  async usage(partnerId: string, month: string): Promise<{ month: string; rows: PortalUsageRow[] }> {
    parseMonth(month);
    const u = schema.usageEvents;
    const rows = await this.store.db
      .select({
        customerId: u.customerId,
        customerName: schema.customers.name,
        model: u.model,
        requests: sql<string>`count(*)::text`,
        promptTokens: sql<string>`coalesce(sum(${u.promptTokens}), 0)::text`,
        completionTokens: sql<string>`coalesce(sum(${u.completionTokens}), 0)::text`,
        revenueMicros: sql<string>`coalesce(sum(${u.priceMicros}), 0)::text`,
      })
      .from(u)
      .leftJoin(schema.customers, eq(schema.customers.id, u.customerId))
      // Guardrail lines are the workspace's cost, no request of the partner's customers.
      .where(and(eq(u.partnerId, partnerId), ne(u.endpoint, 'guardrail'), sql`${u.occurredAt} >= ${monthStart(month).toISOString()}`, sql`${u.occurredAt} < ${monthEnd(month).toISOString()}`))
      .groupBy(u.customerId, schema.customers.name, u.model)
      .orderBy(u.customerId, u.model);
    return { month, rows: rows.map((r) => ({ customerId: r.customerId, customerName: r.customerName, model: r.model, requests: Number(r.requests), promptTokens: Number(r.promptTokens), completionTokens: Number(r.completionTokens), revenueMicros: Number(r.revenueMicros) })) };
  }

  /** The partner's scorecard. */
  scorecard(partnerId: string, month: string): Promise<Scorecard> {
    return this.deps.scorecards.scorecard(partnerId, month);
  }

  /** The partner's final statements (drafts are internal until finalised). */
  statements(partnerId: string): Promise<Statement[]> {
    return this.deps.statements.listStatements({ partnerId, status: 'final' });
  }

  /** One of the partner's final statements; another partner's (or a draft) is QD_NOT_FOUND. */
  async statement(partnerId: string, id: string): Promise<Statement> {
    const s = await this.deps.statements.getStatement(id).catch(() => undefined);
    if (!s || s.partnerId !== partnerId || s.status !== 'final') throw new QudaoError('QD_NOT_FOUND', `no statement ${id}`);
    return s;
  }

  /** One of the partner's final statements as CSV. */
  async statementCsv(partnerId: string, id: string): Promise<string> {
    await this.statement(partnerId, id);
    return this.deps.statements.statementCsv(id);
  }

  /**
   * Creates a key for one of the partner's own customers through one of its own active channels. Refused
   * without an agreement in force (QD_FORBIDDEN), and once the partner's tokens this month have reached the
   * agreement's monthly quota (QD_QUOTA_EXCEEDED).
   */
  async createKey(partnerId: string, input: { customerId: string; channelId?: string | undefined; name?: string | undefined }): Promise<IssuedKey> {
    const [customer] = await this.store.db.select().from(schema.customers).where(and(eq(schema.customers.id, input.customerId), eq(schema.customers.acquiredPartnerId, partnerId)));
    if (!customer) throw new QudaoError('QD_NOT_FOUND', `no customer ${input.customerId}`, { param: 'customerId' });
    if (customer.status !== 'active') throw new QudaoError('QD_INVALID_REQUEST', `customerId: customer ${input.customerId} is not active`, { param: 'customerId' });
    const agreement = await this.deps.agreements.agreementInForce(partnerId);
    if (!agreement) throw new QudaoError('QD_FORBIDDEN', 'no agreement is in force; keys can be created while one is');
    if (agreement.monthlyTokenQuota !== null) {
      const used = await this.tokensThisMonth(partnerId);
      if (used >= agreement.monthlyTokenQuota) throw new QudaoError('QD_QUOTA_EXCEEDED', `the agreement's monthly quota of ${agreement.monthlyTokenQuota} tokens is used (${used} this month)`);
    }
    const channelId = await this.ownChannel(partnerId, input.channelId);
    return this.deps.keys.createKey({ customerId: customer.id, channelId, partnerId, name: input.name });
  }

  private async ownChannel(partnerId: string, channelId: string | undefined): Promise<string> {
    const c = schema.channels;
    const owned = await this.store.db.select({ id: c.id }).from(c).where(and(eq(c.ownerPartnerId, partnerId), eq(c.status, 'active'), channelId ? eq(c.id, channelId) : undefined));
    if (channelId && owned.length === 0) throw new QudaoError('QD_NOT_FOUND', `no channel ${channelId}`, { param: 'channelId' });
    if (owned.length === 0) throw new QudaoError('QD_INVALID_REQUEST', 'the partner has no active channel to issue keys through; ask us to set one up', { param: 'channelId' });
    if (owned.length > 1) throw new QudaoError('QD_INVALID_REQUEST', `channelId: the partner has ${owned.length} channels; name one`, { param: 'channelId' });
    return owned[0]!.id;
  }

  private async tokensThisMonth(partnerId: string): Promise<number> {
    const month = monthOf(new Date());
    const [r] = await this.store.query<{ tokens: string }>(
      `SELECT coalesce(sum(prompt_tokens + completion_tokens), 0)::text AS tokens FROM usage_events WHERE partner_id = $1 AND occurred_at >= $2 AND occurred_at < $3`,
      [partnerId, monthStart(month).toISOString(), monthEnd(month).toISOString()],
    );
    return Number(r?.tokens ?? 0);
  }
}

