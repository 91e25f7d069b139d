import { and, asc, count, desc, eq, ilike, isNotNull, isNull, or, type SQL } from 'drizzle-orm';
import { QudaoError } from '../errors/index.js';
import { newId, schema, type Database, type Store } from '../store/index.js';
import type { CreateCustomerInput, ListCustomersInput, UpdateCustomerInput } from '../shared/contract/customers.js';

/** A customer row. */
export type Customer = typeof schema.customers.$inferSelect;

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/**
 * Customers: who pays, and where they were acquired (channel, partner, campaign). Acquisition fields are what
 * partner scorecards, statements, cohorts and attribution group by, so references are checked on write.
 */
export class CustomerService {
  constructor(private readonly store: Store) {}

  /** Customers matching the filters, newest first, with the total count for paging. */
  async list(filter: ListCustomersInput): Promise<{ data: Customer[]; total: number }> {
    const c = schema.customers;
    const where: SQL[] = [];
    if (filter.status) where.push(eq(c.status, filter.status));
    if (filter.channelId) where.push(eq(c.acquiredChannelId, filter.channelId));
    if (filter.partnerId) where.push(eq(c.acquiredPartnerId, filter.partnerId));
    if (filter.campaignId) where.push(eq(c.acquiredCampaignId, filter.campaignId));
    if (filter.segmentId) where.push(eq(c.segmentId, filter.segmentId));
    if (filter.q) {
      // `q` is literal text: escape LIKE's wildcards so "100%" or "a_b" match only themselves.
      const pattern = `%${filter.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      where.push(or(ilike(c.name, pattern), ilike(c.email, pattern), eq(c.id, filter.q))!);
    }
    const cond = and(...where);
    const [data, [total]] = await Promise.all([
      this.store.db.select().from(c).where(cond).orderBy(desc(c.acquiredAt), asc(c.id)).limit(filter.limit).offset(filter.offset),
      this.store.db.select({ n: count() }).from(c).where(cond),
    ]);
    return { data, total: total?.n ?? 0 };
  }

  /** One customer; QD_NOT_FOUND when absent. */
  async get(id: string): Promise<Customer> {
    const [row] = await this.store.db.select().from(schema.customers).where(eq(schema.customers.id, id));
    if (!row) throw new QudaoError('QD_NOT_FOUND', `no customer ${id}`);
    return row;
  }

  /**
   * Creates a customer. With a `visitorId`, in the same transaction: the visitor's anonymous touchpoints are
   * linked to the customer, a `signup` touchpoint is recorded, and empty acquisition fields are filled from
   * the visitor's last touch that names a campaign (campaign, and the partner owning the link).
   */
  async create(input: CreateCustomerInput): Promise<Customer> {
    const { visitorId, acquiredAt, ...fields } = input;
    return this.store.db.transaction(async (tx) => {
      const derived = visitorId ? await lastCampaignTouch(tx, visitorId) : {};
      const values = {
        ...fields,
        acquiredCampaignId: fields.acquiredCampaignId ?? derived.campaignId ?? null,
        acquiredPartnerId: fields.acquiredPartnerId ?? derived.partnerId ?? null,
      };
      await checkReferences(tx, values);
      const id = newId('cus');
      const at = acquiredAt ? new Date(acquiredAt) : new Date();
      const [row] = await tx.insert(schema.customers).values({ id, ...values, acquiredAt: at }).returning();
      if (visitorId) {
        const t = schema.touchpoints;
        await tx.update(t).set({ customerId: id }).where(and(eq(t.visitorId, visitorId), isNull(t.customerId)));
        await tx.insert(t).values({ id: newId('tp'), visitorId, customerId: id, occurredAt: at, campaignId: values.acquiredCampaignId, kind: 'signup' });
      }
      return row!;
    });
  }

  /** Changes a customer's fields; an archived customer cannot change (QD_IMMUTABLE). */
  async update(id: string, input: UpdateCustomerInput): Promise<Customer> {
    const current = await this.get(id);
    if (current.status === 'archived') throw new QudaoError('QD_IMMUTABLE', `customer ${id} is archived`);
    return this.store.db.transaction(async (tx) => {
      await checkReferences(tx, input);
      const [row] = await tx.update(schema.customers).set(input).where(eq(schema.customers.id, id)).returning();
      return row!;
    });
  }

  /** Archives a customer and revokes its active keys: its history stays, its traffic stops. */
  async archive(id: string): Promise<Customer> {
    await this.get(id);
    return this.store.db.transaction(async (tx) => {
      const k = schema.apiKeys;
      await tx.update(k).set({ status: 'revoked', revokedAt: new Date() }).where(and(eq(k.customerId, id), eq(k.status, 'active')));
      const [row] = await tx.update(schema.customers).set({ status: 'archived' }).where(eq(schema.customers.id, id)).returning();
      return row!;
    });
  }

  /** Deletes a customer nothing refers to; QD_REFERENCED (archive instead) when keys or ledger rows do. */
  async remove(id: string): Promise<void> {
    await this.get(id);
    const [refs] = await this.store.query<{ ledger: number; keys: number }>(
      'SELECT (SELECT count(*) FROM usage_events WHERE customer_id = $1)::int AS ledger, (SELECT count(*) FROM api_keys WHERE customer_id = $1)::int AS keys',
      [id],
    );
    if ((refs?.ledger ?? 0) > 0 || (refs?.keys ?? 0) > 0) {
      throw new QudaoError('QD_REFERENCED', `customer ${id} is referenced by ${refs!.ledger} ledger rows and ${refs!.keys} API keys; archive it instead`);
    }
    await this.store.db.transaction(async (tx) => {
      await tx.update(schema.touchpoints).set({ customerId: null }).where(eq(schema.touchpoints.customerId, id));
      await tx.delete(schema.customers).where(eq(schema.customers.id, id));
    });
  }
}

/** The campaign and link-owning partner of the visitor's most recent touch that names a campaign. */
async function lastCampaignTouch(tx: Tx, visitorId: string): Promise<{ campaignId?: string; partnerId?: string }> {
  const t = schema.touchpoints;
  const [touch] = await tx
    .select({ campaignId: t.campaignId, partnerId: schema.links.partnerId })
    .from(t)
    .leftJoin(schema.links, eq(schema.links.id, t.linkId))
    .where(and(eq(t.visitorId, visitorId), isNotNull(t.campaignId)))
    .orderBy(desc(t.occurredAt))
    .limit(1);
  return { ...(touch?.campaignId ? { campaignId: touch.campaignId } : {}), ...(touch?.partnerId ? { partnerId: touch.partnerId } : {}) };
}

/** Each acquisition or segment reference must exist; the acquiring channel must take new customers. */
async function checkReferences(tx: Tx, v: { acquiredChannelId?: string | null; acquiredPartnerId?: string | null; acquiredCampaignId?: string | null; segmentId?: string | null }): Promise<void> {
  const checks: [string | null | undefined, string, () => Promise<{ status?: string }[]>][] = [
    [v.acquiredChannelId, 'acquiredChannelId', () => tx.select({ status: schema.channels.status }).from(schema.channels).where(eq(schema.channels.id, v.acquiredChannelId!))],
    [v.acquiredPartnerId, 'acquiredPartnerId', () => tx.select({ status: schema.partners.status }).from(schema.partners).where(eq(schema.partners.id, v.acquiredPartnerId!))],
    [v.acquiredCampaignId, 'acquiredCampaignId', () => tx.select({ status: schema.campaigns.status }).from(schema.campaigns).where(eq(schema.campaigns.id, v.acquiredCampaignId!))],
    [v.segmentId, 'segmentId', () => tx.select({}).from(schema.segments).where(eq(schema.segments.id, v.segmentId!))],
  ];
  for (const [value, param, find] of checks) {
    if (!value) continue;
    const [row] = await find();
    if (!row) throw new QudaoError('QD_INVALID_REQUEST', `${param}: no such record ${value}`, { param });
    if (param === 'acquiredChannelId' && row.status === 'archived') throw new QudaoError('QD_INVALID_REQUEST', `${param}: channel ${value} is archived`, { param });
  }
}
