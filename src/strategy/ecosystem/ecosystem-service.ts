import { and, asc, eq, or, type SQL } from 'drizzle-orm';
import { QudaoError } from '../../errors/index.js';
import { newId, schema, type Store } from '../../store/index.js';
import { windowParams, type TimeWindow } from '../window.js';
import type { CreateRelationInput } from '../../shared/contract/strategy/ecosystem.js';

/** A relation row. */
export type PartnerRelation = typeof schema.partnerRelations.$inferSelect;

/** A partner in the ecosystem graph with the revenue it sourced and influenced. */
export interface EcosystemNode {
  partnerId: string;
  name: string;
  type: string;
  status: string;
  /** Customers acquired via the partner (customers.acquired_partner_id) with ledger rows in the window, and their revenue. */
  sourcedCustomers: number;
  sourcedRevenueMicros: number;
  /** Customers not acquired via the partner whose touchpoints include one of its links, and their revenue. */
  influencedCustomers: number;
  influencedRevenueMicros: number;
}

/** A relation A → B with the revenue that flowed along it. */
export interface EcosystemEdge extends PartnerRelation {
  /** Customers acquired via B whose touchpoints include a link owned by A, with revenue in the window. */
  customers: number;
  revenueMicros: number;
}

/** `GET /api/ecosystem`: the partner graph and the sourced / influenced split. */
export interface EcosystemGraph {
  from: string;
  to: string;
  nodes: EcosystemNode[];
  edges: EcosystemEdge[];
  /** Σ ledger revenue in the window, all customers. */
  totalRevenueMicros: number;
  /** Revenue of customers acquired via any partner. */
  partnerSourcedRevenueMicros: number;
  /** Revenue of customers acquired without a partner but touched by some partner's link. */
  partnerInfluencedRevenueMicros: number;
}

/** Revenue per customer in the window, the partner that sourced it, and the partners whose links touched it. */
const CUSTOMER_REVENUE_SQL = `
  WITH rev AS (SELECT customer_id, sum(price_micros) AS r FROM usage_events
                WHERE customer_id IS NOT NULL AND occurred_at >= $1 AND occurred_at < $2 GROUP BY customer_id),
       touched AS (SELECT DISTINCT t.customer_id, l.partner_id FROM touchpoints t JOIN links l ON l.id = t.link_id
                    WHERE t.customer_id IS NOT NULL AND l.partner_id IS NOT NULL)
  SELECT c.id AS customer_id, c.acquired_partner_id AS sourced_by, rev.r::text AS revenue,
         coalesce(json_agg(t.partner_id) FILTER (WHERE t.partner_id IS NOT NULL), '[]'::json) AS touched_by
    FROM rev JOIN customers c ON c.id = rev.customer_id LEFT JOIN touched t ON t.customer_id = c.id
   GROUP BY c.id, c.acquired_partner_id, rev.r`;

interface CustomerRevenue { customerId: string; sourcedBy: string | null; revenue: number; touchedBy: string[] }

/**
 * Ecosystem synergy: relations between partners and the revenue that flowed along them. Definitions, all
 * over ledger revenue (Σ usage_events.price_micros) in the window `[from, to)`:
 *
 * - **revenue along A → B** (any kind: referral, co-selling, integration, resells-for): the revenue of
 *   customers acquired via B (`customers.acquired_partner_id = B`) whose touchpoints include a tracked link
 *   owned by A (`links.partner_id = A`) — B closed them, A's link touched them first or along the way.
 * - **partner-sourced revenue of P**: revenue of customers acquired via P.
 * - **partner-influenced revenue of P**: revenue of customers *not* acquired via P whose touchpoints include
 *   a link owned by P. Workspace-wide, partner-influenced revenue counts customers acquired via no partner
 *   whose touchpoints include some partner's link, so sourced and influenced never double-count.
 */
export class EcosystemService {
  constructor(private readonly store: Store) {}

  /** Relations, optionally of one partner (either end) or one kind. */
  listRelations(filter: { partnerId?: string | undefined; kind?: string | undefined } = {}): Promise<PartnerRelation[]> {
    const where: SQL[] = [];
    if (filter.partnerId) where.push(or(eq(schema.partnerRelations.fromPartnerId, filter.partnerId), eq(schema.partnerRelations.toPartnerId, filter.partnerId))!);
    if (filter.kind) where.push(eq(schema.partnerRelations.kind, filter.kind));
    return this.store.db.select().from(schema.partnerRelations).where(and(...where)).orderBy(asc(schema.partnerRelations.createdAt), asc(schema.partnerRelations.id));
  }

  /** Records a relation between two different, existing partners; the same (from, to, kind) twice is QD_CONFLICT. */
  async createRelation(input: CreateRelationInput): Promise<PartnerRelation> {
    if (input.fromPartnerId === input.toPartnerId) throw new QudaoError('QD_INVALID_REQUEST', 'toPartnerId: a partner cannot relate to itself', { param: 'toPartnerId' });
    for (const [param, id] of [['fromPartnerId', input.fromPartnerId], ['toPartnerId', input.toPartnerId]] as const) {
      const [p] = await this.store.db.select({ id: schema.partners.id }).from(schema.partners).where(eq(schema.partners.id, id));
      if (!p) throw new QudaoError('QD_INVALID_REQUEST', `${param}: no partner ${id}`, { param });
    }
    const same = (await this.listRelations({ partnerId: input.fromPartnerId, kind: input.kind })).find((r) => r.fromPartnerId === input.fromPartnerId && r.toPartnerId === input.toPartnerId);
    if (same) throw new QudaoError('QD_CONFLICT', `a ${input.kind} relation from ${input.fromPartnerId} to ${input.toPartnerId} already exists (${same.id})`);
    const [row] = await this.store.db.insert(schema.partnerRelations).values({ id: newId('rel'), ...input }).returning();
    return row!;
  }

  /** Deletes a relation. */
  async deleteRelation(id: string): Promise<void> {
    const gone = await this.store.db.delete(schema.partnerRelations).where(eq(schema.partnerRelations.id, id)).returning();
    if (gone.length === 0) throw new QudaoError('QD_NOT_FOUND', `no partner relation ${id}`);
  }

  /** The ecosystem graph of the window (see the class comment for each figure). */
  async graph(window: TimeWindow): Promise<EcosystemGraph> {
    const [customers, partners, relations] = await Promise.all([this.customerRevenue(window), this.store.db.select().from(schema.partners).orderBy(asc(schema.partners.name)), this.listRelations()]);
    const nodes = partners.map((p): EcosystemNode => {
      const sourced = customers.filter((c) => c.sourcedBy === p.id);
      const influenced = customers.filter((c) => c.sourcedBy !== p.id && c.touchedBy.includes(p.id));
      return {
        partnerId: p.id, name: p.name, type: p.type, status: p.status,
        sourcedCustomers: sourced.length, sourcedRevenueMicros: sum(sourced),
        influencedCustomers: influenced.length, influencedRevenueMicros: sum(influenced),
      };
    });
    const edges = relations.map((r): EcosystemEdge => {
      const along = customers.filter((c) => c.sourcedBy === r.toPartnerId && c.touchedBy.includes(r.fromPartnerId));
      return { ...r, customers: along.length, revenueMicros: sum(along) };
    });
    return {
      from: window.from.toISOString(), to: window.to.toISOString(), nodes, edges,
      totalRevenueMicros: sum(customers),
      partnerSourcedRevenueMicros: sum(customers.filter((c) => c.sourcedBy !== null)),
      partnerInfluencedRevenueMicros: sum(customers.filter((c) => c.sourcedBy === null && c.touchedBy.length > 0)),
    };
  }

  private async customerRevenue(window: TimeWindow): Promise<CustomerRevenue[]> {
    const rows = await this.store.query<{ customer_id: string; sourced_by: string | null; revenue: string; touched_by: string[] | string }>(CUSTOMER_REVENUE_SQL, windowParams(window));
    return rows.map((r) => ({
      customerId: r.customer_id, sourcedBy: r.sourced_by, revenue: Number(r.revenue),
      touchedBy: typeof r.touched_by === 'string' ? (JSON.parse(r.touched_by) as string[]) : r.touched_by,
    }));
  }
}

const sum = (cs: readonly CustomerRevenue[]): number => cs.reduce((s, c) => s + c.revenue, 0);
