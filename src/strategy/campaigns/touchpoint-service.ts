import { randomBytes } from 'node:crypto';
import { and, asc, eq, isNull, type SQL } from 'drizzle-orm';
import { QudaoError } from '../../errors/index.js';
import { newId, schema, type Store } from '../../store/index.js';
import type { LinkService } from './link-service.js';
import type { RecordTouchpointInput } from '../../shared/contract/strategy/campaigns.js';

/** A touchpoint row. */
export type Touchpoint = typeof schema.touchpoints.$inferSelect;

/** A new visitor id for the `qd_vid` cookie: `v_` and 22 base64url characters (128 random bits). */
export function newVisitorId(): string {
  return `v_${randomBytes(16).toString('base64url')}`;
}

/** Recording touchpoints (click, view, signup) and linking a visitor to the customer it became. */
export class TouchpointService {
  constructor(private readonly store: Store, private readonly links: LinkService) {}

  /**
   * Records a click on a tracked link (the `/r/:code` redirect): the touchpoint carries the link, its
   * campaign and its promotion channel. If the visitor was already identified, the click gets its customer.
   * @returns the link's target, or undefined for an unknown code (nothing is recorded)
   */
  async recordClick(code: string, visitorId: string, at = new Date()): Promise<{ targetUrl: string; touchpoint: Touchpoint } | undefined> {
    const link = await this.links.linkByCode(code);
    if (!link) return undefined;
    const customerId = await this.customerOfVisitor(visitorId);
    const [touchpoint] = await this.store.db
      .insert(schema.touchpoints)
      .values({ id: newId('tp'), visitorId, customerId, occurredAt: at, campaignId: link.campaignId, linkId: link.id, promotionChannel: link.promotionChannel, kind: 'click' })
      .returning();
    return { targetUrl: link.targetUrl, touchpoint: touchpoint! };
  }

  /**
   * Records a touchpoint sent by a signup form or a backend. `linkCode` (a referral code typed at signup)
   * fills the link, campaign and promotion channel unless given. A touchpoint with a `customerId` also
   * identifies the visitor: its earlier anonymous touchpoints are linked to that customer; a later one of an
   * identified visitor gets its customer.
   */
  async record(input: RecordTouchpointInput): Promise<Touchpoint> {
    const link = input.linkCode ? await this.links.linkByCode(input.linkCode) : undefined;
    if (input.linkCode && !link) throw new QudaoError('QD_INVALID_REQUEST', `linkCode: no link with code ${input.linkCode}`, { param: 'linkCode' });
    if (input.customerId) await this.checkCustomer(input.customerId);
    if (input.campaignId) await this.checkCampaign(input.campaignId);
    const customerId = input.customerId ?? (await this.customerOfVisitor(input.visitorId));
    const [row] = await this.store.db
      .insert(schema.touchpoints)
      .values({
        id: newId('tp'),
        visitorId: input.visitorId,
        customerId,
        occurredAt: input.occurredAt ? new Date(input.occurredAt) : new Date(),
        campaignId: input.campaignId ?? link?.campaignId ?? null,
        linkId: link?.id ?? null,
        promotionChannel: input.promotionChannel ?? link?.promotionChannel ?? null,
        kind: input.kind,
      })
      .returning();
    if (input.customerId) await this.identify(input.visitorId, input.customerId);
    return row!;
  }

  /** Links every anonymous touchpoint of the visitor to the customer; returns how many were linked. */
  async identify(visitorId: string, customerId: string): Promise<{ linked: number }> {
    await this.checkCustomer(customerId);
    const rows = await this.store.db
      .update(schema.touchpoints)
      .set({ customerId })
      .where(and(eq(schema.touchpoints.visitorId, visitorId), isNull(schema.touchpoints.customerId)))
      .returning({ id: schema.touchpoints.id });
    return { linked: rows.length };
  }

  /** Touchpoints of a visitor, a customer or a campaign, oldest first. */
  list(filter: { visitorId?: string | undefined; customerId?: string | undefined; campaignId?: string | undefined }): Promise<Touchpoint[]> {
    const where: SQL[] = [];
    if (filter.visitorId) where.push(eq(schema.touchpoints.visitorId, filter.visitorId));
    if (filter.customerId) where.push(eq(schema.touchpoints.customerId, filter.customerId));
    if (filter.campaignId) where.push(eq(schema.touchpoints.campaignId, filter.campaignId));
    return this.store.db.select().from(schema.touchpoints).where(and(...where)).orderBy(asc(schema.touchpoints.occurredAt), asc(schema.touchpoints.id));
  }

  private async customerOfVisitor(visitorId: string): Promise<string | null> {
    const [row] = await this.store.query<{ customer_id: string }>(`SELECT customer_id FROM touchpoints WHERE visitor_id = $1 AND customer_id IS NOT NULL LIMIT 1`, [visitorId]);
    return row?.customer_id ?? null;
  }

  private async checkCampaign(campaignId: string): Promise<void> {
    const [c] = await this.store.db.select({ id: schema.campaigns.id }).from(schema.campaigns).where(eq(schema.campaigns.id, campaignId));
    if (!c) throw new QudaoError('QD_INVALID_REQUEST', `campaignId: no campaign ${campaignId}`, { param: 'campaignId' });
  }

  private async checkCustomer(customerId: string): Promise<void> {
    const [c] = await this.store.db.select({ id: schema.customers.id }).from(schema.customers).where(eq(schema.customers.id, customerId));
    if (!c) throw new QudaoError('QD_INVALID_REQUEST', `customerId: no customer ${customerId}`, { param: 'customerId' });
  }
}
