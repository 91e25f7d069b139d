import { and, asc, count, eq, type SQL } from 'drizzle-orm';
import { QudaoError } from '../errors/index.js';
import { isUniqueViolation, newId, schema, type Store } from '../store/index.js';
import { buildChannelMap, type ChannelFlowRow, type ChannelMap } from './channel-map.js';
import { defaultChannelTypes } from './channel-types.js';
import type { CreateChannelInput, CreateChannelTypeInput, UpdateChannelInput } from '../shared/contract/channels.js';

/** A channel row. */
export type Channel = typeof schema.channels.$inferSelect;
/** A channel-type row. */
export type ChannelType = typeof schema.channelTypes.$inferSelect;

/** Filters of {@link ChannelService.listChannels}. */
export interface ChannelFilter {
  status?: string | undefined;
  type?: string | undefined;
  ownerPartnerId?: string | undefined;
}

/** Channel design (渠道设计): channel types, channels with their owner, default plan and margin. */
export class ChannelService {
  constructor(private readonly store: Store) {}

  /** Inserts the default channel types that are missing (idempotent; run at start). */
  async ensureDefaultTypes(): Promise<void> {
    await this.store.db.insert(schema.channelTypes).values([...defaultChannelTypes]).onConflictDoNothing();
  }

  /** Every channel type, by id. */
  listTypes(): Promise<ChannelType[]> {
    return this.store.db.select().from(schema.channelTypes).orderBy(asc(schema.channelTypes.id));
  }

  /** Adds a channel type; QD_CONFLICT when the id exists. */
  async createType(input: CreateChannelTypeInput): Promise<ChannelType> {
    try {
      const [row] = await this.store.db.insert(schema.channelTypes).values(input).returning();
      return row!;
    } catch (err) {
      if (isUniqueViolation(err)) throw new QudaoError('QD_CONFLICT', `channel type ${input.id} exists`, { param: 'id' });
      throw err;
    }
  }

  /** Removes a channel type no channel uses; QD_REFERENCED otherwise. */
  async deleteType(id: string): Promise<void> {
    const [used] = await this.store.db.select({ n: count() }).from(schema.channels).where(eq(schema.channels.type, id));
    if ((used?.n ?? 0) > 0) throw new QudaoError('QD_REFERENCED', `channel type ${id} is used by ${used!.n} channel(s)`);
    const gone = await this.store.db.delete(schema.channelTypes).where(eq(schema.channelTypes.id, id)).returning();
    if (gone.length === 0) throw new QudaoError('QD_NOT_FOUND', `no channel type ${id}`);
  }

  /** Channels, by name. */
  listChannels(filter: ChannelFilter = {}): Promise<Channel[]> {
    const where: SQL[] = [];
    if (filter.status) where.push(eq(schema.channels.status, filter.status));
    if (filter.type) where.push(eq(schema.channels.type, filter.type));
    if (filter.ownerPartnerId) where.push(eq(schema.channels.ownerPartnerId, filter.ownerPartnerId));
    return this.store.db.select().from(schema.channels).where(and(...where)).orderBy(asc(schema.channels.name));
  }

  /** One channel; QD_NOT_FOUND when absent. */
  async getChannel(id: string): Promise<Channel> {
    const [row] = await this.store.db.select().from(schema.channels).where(eq(schema.channels.id, id));
    if (!row) throw new QudaoError('QD_NOT_FOUND', `no channel ${id}`);
    return row;
  }

  /** Creates a channel after checking its type, owner partner, plan and margin. */
  async createChannel(input: CreateChannelInput): Promise<Channel> {
    const type = await this.checkType(input.type);
    const marginKind = input.marginKind ?? type.defaultMarginKind;
    await this.checkReferences(input);
    checkMargin(marginKind, input.marginBps ?? 0);
    const values = { id: newId('chn'), ...input, marginKind, marginBps: input.marginBps ?? 0 };
    return this.write(input.name, async () => (await this.store.db.insert(schema.channels).values(values).returning())[0]!);
  }

  /** Changes a channel's fields; an archived channel cannot change (QD_IMMUTABLE). */
  async updateChannel(id: string, input: UpdateChannelInput): Promise<Channel> {
    const current = await this.getChannel(id);
    if (current.status === 'archived') throw new QudaoError('QD_IMMUTABLE', `channel ${id} is archived`);
    if (input.type) await this.checkType(input.type);
    await this.checkReferences(input);
    checkMargin(input.marginKind ?? current.marginKind, input.marginBps ?? current.marginBps);
    return this.write(input.name ?? current.name, async () => (await this.store.db.update(schema.channels).set(input).where(eq(schema.channels.id, id)).returning())[0]!);
  }

  /** Archives a channel: it keeps its history and ledger references but takes no new keys. */
  async archiveChannel(id: string): Promise<Channel> {
    await this.getChannel(id);
    const [row] = await this.store.db.update(schema.channels).set({ status: 'archived', archivedAt: new Date() }).where(eq(schema.channels.id, id)).returning();
    return row!;
  }

  /** Deletes a channel nothing refers to; QD_REFERENCED (archive instead) when ledger rows, keys or customers do. */
  async deleteChannel(id: string): Promise<void> {
    await this.getChannel(id);
    const refs = await this.store.query<{ ledger: string; keys: string; customers: string }>(
      `SELECT (SELECT count(*) FROM usage_events WHERE channel_id = $1)::text AS ledger,
              (SELECT count(*) FROM api_keys WHERE channel_id = $1)::text AS keys,
              (SELECT count(*) FROM customers WHERE acquired_channel_id = $1)::text AS customers`,
      [id],
    );
    const r = refs[0]!;
    const held = [[r.ledger, 'ledger rows'], [r.keys, 'API keys'], [r.customers, 'customers']].filter(([n]) => Number(n) > 0).map(([n, what]) => `${n} ${what}`);
    if (held.length > 0) throw new QudaoError('QD_REFERENCED', `channel ${id} is referenced by ${held.join(', ')}; archive it instead`);
    await this.store.db.delete(schema.channels).where(eq(schema.channels.id, id));
  }

  /**
   * The channel map of `[from, to)`: for every channel, the customers acquired through it, its active keys,
   * and the ledger traffic and revenue that flowed through it, with the margin it keeps.
   */
  async channelMap(from: Date, to: Date): Promise<ChannelMap> {
    const range = [from.toISOString(), to.toISOString()];
    const [customers, keys, ledger] = await Promise.all([
      this.store.query<{ channel_id: string | null; customers: string; acquired: string }>(
        `SELECT acquired_channel_id AS channel_id, count(*)::text AS customers,
                count(*) FILTER (WHERE acquired_at >= $1 AND acquired_at < $2)::text AS acquired
           FROM customers GROUP BY 1`,
        range,
      ),
      this.store.query<{ channel_id: string; active_keys: string }>(`SELECT channel_id, count(*)::text AS active_keys FROM api_keys WHERE status = 'active' GROUP BY 1`),
      this.store.query<{ channel_id: string | null; requests: string; active_customers: string; tokens: string; revenue: string; cost: string }>(
        // Guardrail lines add their cost to the channel's, but are no request.
        `SELECT channel_id, (count(*) FILTER (WHERE endpoint <> 'guardrail'))::text AS requests, count(DISTINCT customer_id) FILTER (WHERE status = 'ok')::text AS active_customers,
                coalesce(sum(prompt_tokens + completion_tokens), 0)::text AS tokens,
                coalesce(sum(price_micros), 0)::text AS revenue, coalesce(sum(cost_micros), 0)::text AS cost
           FROM usage_events WHERE occurred_at >= $1 AND occurred_at < $2 GROUP BY 1`,
        range,
      ),
    ]);
    const flows = new Map<string | null, ChannelFlowRow>();
    const flow = (id: string | null) => {
      let f = flows.get(id);
      if (!f) flows.set(id, (f = { channelId: id, customers: 0, customersAcquired: 0, activeKeys: 0, activeCustomers: 0, requests: 0, tokens: 0, revenueMicros: 0, costMicros: 0 }));
      return f;
    };
    for (const c of customers) Object.assign(flow(c.channel_id), { customers: Number(c.customers), customersAcquired: Number(c.acquired) });
    for (const k of keys) flow(k.channel_id).activeKeys = Number(k.active_keys);
    for (const l of ledger) {
      Object.assign(flow(l.channel_id), { requests: Number(l.requests), activeCustomers: Number(l.active_customers), tokens: Number(l.tokens), revenueMicros: Number(l.revenue), costMicros: Number(l.cost) });
    }
    return buildChannelMap(from, to, await this.listChannels(), [...flows.values()]);
  }

  private async checkType(id: string): Promise<ChannelType> {
    const [type] = await this.store.db.select().from(schema.channelTypes).where(eq(schema.channelTypes.id, id));
    if (type) return type;
    const known = (await this.listTypes()).map((t) => t.id).join(', ');
    throw new QudaoError('QD_INVALID_REQUEST', `type: unknown channel type "${id}" (known: ${known})`, { param: 'type' });
  }

  private async checkReferences(input: { ownerPartnerId?: string | null | undefined; defaultPlanId?: string | null | undefined }): Promise<void> {
    if (input.ownerPartnerId) {
      const [p] = await this.store.db.select({ id: schema.partners.id }).from(schema.partners).where(eq(schema.partners.id, input.ownerPartnerId));
      if (!p) throw new QudaoError('QD_INVALID_REQUEST', `ownerPartnerId: no partner ${input.ownerPartnerId}`, { param: 'ownerPartnerId' });
    }
    if (input.defaultPlanId) {
      const [p] = await this.store.db.select({ id: schema.pricePlans.id }).from(schema.pricePlans).where(eq(schema.pricePlans.id, input.defaultPlanId));
      if (!p) throw new QudaoError('QD_INVALID_REQUEST', `defaultPlanId: no price plan ${input.defaultPlanId}`, { param: 'defaultPlanId' });
    }
  }

  private async write(name: string, op: () => Promise<Channel>): Promise<Channel> {
    try {
      return await op();
    } catch (err) {
      if (isUniqueViolation(err)) throw new QudaoError('QD_CONFLICT', `a channel named "${name}" exists`, { param: 'name' });
      throw err;
    }
  }
}

/** A channel whose margin kind is `none` keeps nothing, so its margin must be 0 bps. */
function checkMargin(kind: string, bps: number): void {
  if (kind === 'none' && bps !== 0) throw new QudaoError('QD_INVALID_REQUEST', 'marginBps: must be 0 when marginKind is none', { param: 'marginBps' });
}
