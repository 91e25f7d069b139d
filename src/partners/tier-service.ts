import { asc, count, eq } from 'drizzle-orm';
import { parseInput } from '../errors/index.js';
import { isUniqueViolation } from '../store/index.js';
import { QudaoError } from '../errors/index.js';
import { newId, schema, type Store } from '../store/index.js';
import { createTierSchema, updateTierSchema, type CreateTierRequest, type UpdateTierRequest } from '../shared/contract/partners.js';
import { tierBenefitsSchema, tierRequirementsSchema, type TierBenefits, type TierRequirements } from './tier-rules.js';

/** A tier with its requirements and benefits typed. */
export interface Tier {
  id: string;
  name: string;
  rank: number;
  requirements: TierRequirements;
  benefits: TierBenefits;
}

function toTier(row: typeof schema.partnerTiers.$inferSelect): Tier {
  // Stored JSON is parsed, not cast: a hand-edited row with an unknown key reads as having none.
  const requirements = tierRequirementsSchema.safeParse(row.requirements);
  const benefits = tierBenefitsSchema.safeParse(row.benefits);
  return { id: row.id, name: row.name, rank: row.rank, requirements: requirements.success ? requirements.data : {}, benefits: benefits.success ? benefits.data : {} };
}

/** Partner tiers as data: name, rank, requirements (minimum revenue, certified staff, ...) and benefits. */
export class TierService {
  constructor(private readonly store: Store) {}

  /** Tiers, lowest rank first. */
  async listTiers(): Promise<Tier[]> {
    return (await this.store.db.select().from(schema.partnerTiers).orderBy(asc(schema.partnerTiers.rank))).map(toTier);
  }

  /** One tier; QD_NOT_FOUND when absent. */
  async getTier(id: string): Promise<Tier> {
    const [row] = await this.store.db.select().from(schema.partnerTiers).where(eq(schema.partnerTiers.id, id));
    if (!row) throw new QudaoError('QD_NOT_FOUND', `no tier ${id}`);
    return toTier(row);
  }

  /**
   * Creates a tier; QD_CONFLICT on a duplicate name. Every writer (the API, the CLI through it, the demo)
   * comes through here, and the input is checked against the one tier schema: an unknown requirement or
   * benefit key is QD_INVALID_REQUEST naming it in `param` (e.g. `requirements.monthlyRevenueMicros`), never
   * stored to be read back as "no requirements". `id` is for seeded workspaces that need stable ids.
   */
  async createTier(input: CreateTierRequest, options: { id?: string } = {}): Promise<Tier> {
    const valid = parseInput(createTierSchema, input);
    return this.write(valid.name, async () => toTier((await this.store.db.insert(schema.partnerTiers).values({ id: options.id ?? newId('tier'), ...valid }).returning())[0]!));
  }

  /** Changes a tier, checked against the same schema as {@link createTier}. */
  async updateTier(id: string, input: UpdateTierRequest): Promise<Tier> {
    const valid = parseInput(updateTierSchema, input);
    const current = await this.getTier(id);
    return this.write(valid.name ?? current.name, async () => toTier((await this.store.db.update(schema.partnerTiers).set(valid).where(eq(schema.partnerTiers.id, id)).returning())[0]!));
  }

  /** Deletes a tier no partner is on; QD_REFERENCED otherwise. */
  async deleteTier(id: string): Promise<void> {
    await this.getTier(id);
    const [used] = await this.store.db.select({ n: count() }).from(schema.partners).where(eq(schema.partners.tierId, id));
    if ((used?.n ?? 0) > 0) throw new QudaoError('QD_REFERENCED', `tier ${id} is held by ${used!.n} partner(s); move them first`);
    await this.store.db.delete(schema.partnerTiers).where(eq(schema.partnerTiers.id, id));
  }

  private async write(name: string, op: () => Promise<Tier>): Promise<Tier> {
    try {
      return await op();
    } catch (err) {
      if (isUniqueViolation(err)) throw new QudaoError('QD_CONFLICT', `a tier named "${name}" exists`, { param: 'name' });
      throw err;
    }
  }
}
