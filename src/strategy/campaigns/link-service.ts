import { randomBytes } from 'node:crypto';
import { asc, eq, type SQL, and } from 'drizzle-orm';
import { found, QudaoError } from '../../errors/index.js';
import { newId, schema, uniquely, type Store } from '../../store/index.js';
import type { CampaignService } from './campaign-service.js';
import type { CreateLinkInput } from '../../shared/contract/strategy/campaigns.js';

/** A tracked link or referral code with its click counts. */
export type TrackedLink = typeof schema.links.$inferSelect & { clicks: number; visitors: number; customers: number };

const CODE_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A fresh 8-character referral code (no look-alike characters). */
function generateCode(): string {
  return [...randomBytes(8)].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
}

/** Tracked links and referral codes; `/r/:code` resolves them. */
export class LinkService {
  constructor(private readonly store: Store, private readonly campaigns: CampaignService) {}

  /**
   * Creates a link. Its promotion channel defaults to the campaign's when the campaign has exactly one, so
   * every click is credited to a promotion channel where that is unambiguous.
   */
  async createLink(input: CreateLinkInput): Promise<TrackedLink> {
    let promotionChannel = input.promotionChannel ?? null;
    if (input.campaignId) {
      const c = await this.campaigns.getCampaign(input.campaignId).catch(() => invalid('campaignId', `no campaign ${input.campaignId}`));
      if (promotionChannel === null && c.promotionChannels.length === 1) promotionChannel = c.promotionChannels[0]!;
    }
    if (input.partnerId) {
      const [p] = await this.store.db.select({ id: schema.partners.id }).from(schema.partners).where(eq(schema.partners.id, input.partnerId));
      if (!p) invalid('partnerId', `no partner ${input.partnerId}`);
    }
    const code = input.code ?? generateCode();
    const [row] = await uniquely(`link code "${code}"`, 'code', () =>
      this.store.db.insert(schema.links).values({ id: newId('lnk'), code, campaignId: input.campaignId ?? null, partnerId: input.partnerId ?? null, promotionChannel, targetUrl: input.targetUrl }).returning(),
    );
    return { ...row!, clicks: 0, visitors: 0, customers: 0 };
  }

  /** Links with their clicks, distinct visitors and customers, by code. */
  async listLinks(filter: { campaignId?: string | undefined; partnerId?: string | undefined } = {}): Promise<TrackedLink[]> {
    const where: SQL[] = [];
    if (filter.campaignId) where.push(eq(schema.links.campaignId, filter.campaignId));
    if (filter.partnerId) where.push(eq(schema.links.partnerId, filter.partnerId));
    const rows = await this.store.db.select().from(schema.links).where(and(...where)).orderBy(asc(schema.links.code));
    const counts = await this.store.query<{ link_id: string; clicks: string; visitors: string; customers: string }>(
      `SELECT link_id, count(*) FILTER (WHERE kind = 'click')::text AS clicks, count(DISTINCT visitor_id)::text AS visitors,
              count(DISTINCT customer_id)::text AS customers
         FROM touchpoints WHERE link_id IS NOT NULL GROUP BY link_id`,
    );
    const byLink = new Map(counts.map((c) => [c.link_id, c]));
    return rows.map((r) => {
      const c = byLink.get(r.id);
      return { ...r, clicks: Number(c?.clicks ?? 0), visitors: Number(c?.visitors ?? 0), customers: Number(c?.customers ?? 0) };
    });
  }

  /** One link with its counts. */
  async getLink(id: string): Promise<TrackedLink> {
    return found((await this.listLinks()).find((l) => l.id === id), `link ${id}`);
  }

  /** The link of a code, or undefined. */
  async linkByCode(code: string): Promise<typeof schema.links.$inferSelect | undefined> {
    const [row] = await this.store.db.select().from(schema.links).where(eq(schema.links.code, code));
    return row;
  }
}

function invalid(param: string, why: string): never {
  throw new QudaoError('QD_INVALID_REQUEST', `${param}: ${why}`, { param });
}
