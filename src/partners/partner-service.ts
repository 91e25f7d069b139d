import { and, asc, eq, type SQL } from 'drizzle-orm';
import { isUniqueViolation } from '../store/index.js';
import { QudaoError } from '../errors/index.js';
import { newId, schema, type Store } from '../store/index.js';
import { defaultOnboarding, onboardingItemSchema, onboardingProgress, type OnboardingFacts, type OnboardingItem, type OnboardingProgress } from './onboarding.js';
import type { CreatePartnerInput, UpdatePartnerInput } from '../shared/contract/partners.js';

type PartnerRow = typeof schema.partners.$inferSelect;

/**
 * A partner as the services hand it out: its row without the stored checklist. The checklist's automatic
 * items are only true through {@link PartnerService.onboarding}, which applies the facts, so the raw column is
 * never shown beside it as a second, disagreeing answer.
 */
export type Partner = Omit<PartnerRow, 'onboarding'>;

function toPartner({ onboarding: _checklist, ...partner }: PartnerRow): Partner {
  return partner;
}

/** Filters of {@link PartnerService.listPartners}. */
export interface PartnerFilter {
  status?: string | undefined;
  tierId?: string | undefined;
  type?: string | undefined;
  region?: string | undefined;
}

/** The partnership framework's partners (合作伙伴): profile, tier, status, onboarding checklist. */
export class PartnerService {
  constructor(private readonly store: Store) {}

  /** Partners by name. */
  async listPartners(filter: PartnerFilter = {}): Promise<Partner[]> {
    const p = schema.partners;
    const where: SQL[] = [];
    if (filter.status) where.push(eq(p.status, filter.status));
    if (filter.tierId) where.push(eq(p.tierId, filter.tierId));
    if (filter.type) where.push(eq(p.type, filter.type));
    if (filter.region) where.push(eq(p.region, filter.region));
    return (await this.store.db.select().from(p).where(and(...where)).orderBy(asc(p.name))).map(toPartner);
  }

  /** One partner; QD_NOT_FOUND when absent. */
  async getPartner(id: string): Promise<Partner> {
    return toPartner(await this.partnerRow(id));
  }

  private async partnerRow(id: string): Promise<PartnerRow> {
    const [row] = await this.store.db.select().from(schema.partners).where(eq(schema.partners.id, id));
    if (!row) throw new QudaoError('QD_NOT_FOUND', `no partner ${id}`);
    return row;
  }

  /** Creates a partner with the default onboarding checklist. */
  async createPartner(input: CreatePartnerInput): Promise<Partner> {
    if (input.tierId) await this.checkTier(input.tierId);
    const values = { id: newId('par'), ...input, onboarding: defaultOnboarding.map((i) => ({ ...i })) };
    return this.write(input.name, async () => toPartner((await this.store.db.insert(schema.partners).values(values).returning())[0]!));
  }

  /** Changes a partner's profile, tier or status; an archived partner cannot change. */
  async updatePartner(id: string, input: UpdatePartnerInput): Promise<Partner> {
    const current = await this.getPartner(id);
    if (current.status === 'archived') throw new QudaoError('QD_IMMUTABLE', `partner ${id} is archived`);
    if (input.tierId) await this.checkTier(input.tierId);
    return this.write(input.name ?? current.name, async () => toPartner((await this.store.db.update(schema.partners).set(input).where(eq(schema.partners.id, id)).returning())[0]!));
  }

  /** Archives a partner: history, statements and ledger references stay; portal sessions end. */
  async archivePartner(id: string): Promise<Partner> {
    await this.getPartner(id);
    const [row] = await this.store.db.update(schema.partners).set({ status: 'archived', archivedAt: new Date() }).where(eq(schema.partners.id, id)).returning();
    await this.store.db.update(schema.partnerSessions).set({ revokedAt: new Date() }).where(eq(schema.partnerSessions.partnerId, id));
    return toPartner(row!);
  }

  /**
   * Deletes a partner nothing refers to. Ledger rows, statements, agreements, customers, keys, channels or
   * portal users keep it (QD_REFERENCED: archive instead), so no history is orphaned.
   */
  async deletePartner(id: string): Promise<void> {
    await this.getPartner(id);
    const [r] = await this.store.query<Record<string, string>>(
      `SELECT (SELECT count(*) FROM usage_events WHERE partner_id = $1)::text AS "ledger rows",
              (SELECT count(*) FROM statements WHERE partner_id = $1)::text AS "statements",
              (SELECT count(*) FROM agreements WHERE partner_id = $1)::text AS "agreements",
              (SELECT count(*) FROM customers WHERE acquired_partner_id = $1)::text AS "customers",
              (SELECT count(*) FROM api_keys WHERE partner_id = $1)::text AS "API keys",
              (SELECT count(*) FROM channels WHERE owner_partner_id = $1)::text AS "channels",
              (SELECT count(*) FROM partner_users WHERE partner_id = $1)::text AS "portal users",
              (SELECT count(*) FROM partner_relations WHERE from_partner_id = $1 OR to_partner_id = $1)::text AS "relations",
              (SELECT count(*) FROM resource_grants WHERE partner_id = $1)::text AS "resource grants"`,
      [id],
    );
    const held = Object.entries(r!).filter(([, n]) => Number(n) > 0).map(([what, n]) => `${n} ${what}`);
    if (held.length > 0) throw new QudaoError('QD_REFERENCED', `partner ${id} is referenced by ${held.join(', ')}; archive it instead`);
    await this.store.db.delete(schema.partners).where(eq(schema.partners.id, id));
  }

  /** The onboarding checklist with automatic items ticked from what has happened. */
  async onboarding(id: string): Promise<OnboardingProgress> {
    const partner = await this.partnerRow(id);
    return onboardingProgress(readChecklist(partner), await this.onboardingFacts(id));
  }

  /** Ticks or unticks a manual checklist item; automatic items follow the facts and refuse a hand tick. */
  async tickOnboarding(id: string, itemId: string, done: boolean): Promise<OnboardingProgress> {
    const items = readChecklist(await this.partnerRow(id));
    const item = items.find((i) => i.id === itemId);
    if (!item) throw new QudaoError('QD_NOT_FOUND', `partner ${id} has no onboarding item ${itemId}`);
    if (item.auto) throw new QudaoError('QD_INVALID_REQUEST', `onboarding item ${itemId} is ticked automatically when ${item.auto} holds`, { param: 'done' });
    item.done = done;
    item.doneAt = done ? new Date().toISOString() : null;
    await this.store.db.update(schema.partners).set({ onboarding: items }).where(eq(schema.partners.id, id));
    return this.onboarding(id);
  }

  /** Adds a manual item to one partner's checklist. */
  async addOnboardingItem(id: string, item: { id: string; title: string }): Promise<OnboardingProgress> {
    const items = readChecklist(await this.partnerRow(id));
    if (items.some((i) => i.id === item.id)) throw new QudaoError('QD_CONFLICT', `onboarding item ${item.id} exists`, { param: 'id' });
    items.push({ ...item, done: false, doneAt: null });
    await this.store.db.update(schema.partners).set({ onboarding: items }).where(eq(schema.partners.id, id));
    return this.onboarding(id);
  }

  private async onboardingFacts(id: string): Promise<OnboardingFacts> {
    const [r] = await this.store.query<Record<keyof OnboardingFacts, boolean>>(
      `SELECT EXISTS (SELECT 1 FROM agreements WHERE partner_id = $1) AS "hasAgreement",
              EXISTS (SELECT 1 FROM partner_users WHERE partner_id = $1 AND status = 'active') AS "hasPortalUser",
              EXISTS (SELECT 1 FROM channels WHERE owner_partner_id = $1) AS "hasChannel",
              EXISTS (SELECT 1 FROM api_keys WHERE partner_id = $1) AS "hasKey",
              EXISTS (SELECT 1 FROM usage_events WHERE partner_id = $1) AS "hasUsage"`,
      [id],
    );
    return r!;
  }

  private async checkTier(tierId: string): Promise<void> {
    const [t] = await this.store.db.select({ id: schema.partnerTiers.id }).from(schema.partnerTiers).where(eq(schema.partnerTiers.id, tierId));
    if (!t) throw new QudaoError('QD_INVALID_REQUEST', `tierId: no tier ${tierId}`, { param: 'tierId' });
  }

  private async write(name: string, op: () => Promise<Partner>): Promise<Partner> {
    try {
      return await op();
    } catch (err) {
      if (isUniqueViolation(err)) throw new QudaoError('QD_CONFLICT', `a partner named "${name}" exists`, { param: 'name' });
      throw err;
    }
  }
}

/** The stored checklist, read defensively (rows written before a field existed get its default). */
function readChecklist(partner: PartnerRow): OnboardingItem[] {
  const raw = Array.isArray(partner.onboarding) ? partner.onboarding : [];
  return raw.flatMap((i) => {
    const parsed = onboardingItemSchema.safeParse(i);
    return parsed.success ? [parsed.data] : [];
  });
}
