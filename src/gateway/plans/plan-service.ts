import { asc, eq } from 'drizzle-orm';
import { QudaoError } from '../../errors/index.js';
import { isUniqueViolation, newId, schema, type Store } from '../../store/index.js';
import type { GatewayCatalog } from '../catalog.js';

/** A price plan row. */
export type PlanRow = typeof schema.pricePlans.$inferSelect;

/** Fields of a plan an admin sets. Money in integer micro-units; null limits mean unlimited. */
export interface PlanInput {
  readonly name: string;
  readonly inputPer1mMicros: number;
  readonly outputPer1mMicros: number;
  readonly trainingPer1mMicros?: number | undefined;
  readonly monthlyFeeMicros?: number | undefined;
  readonly includedTokens?: number | undefined;
  readonly rpmLimit?: number | null | undefined;
  readonly tpmLimit?: number | null | undefined;
  readonly monthlyTokenQuota?: number | null | undefined;
}

/** Creates, lists, changes and archives price plans; changes reach every replica's cache. */
export class PlanService {
  constructor(
    private readonly store: Store,
    private readonly catalog: GatewayCatalog,
  ) {}

  async createPlan(input: PlanInput): Promise<PlanRow> {
    try {
      const [row] = await this.store.db.insert(schema.pricePlans).values({ id: newId('plan'), ...input }).returning();
      await this.catalog.changed();
      return row!;
    } catch (err) {
      if (isUniqueViolation(err)) throw new QudaoError('QD_CONFLICT', `a plan named "${input.name}" already exists`, { param: 'name' });
      throw err;
    }
  }

  async listPlans(): Promise<PlanRow[]> {
    return this.store.db.select().from(schema.pricePlans).orderBy(asc(schema.pricePlans.createdAt));
  }

  async getPlan(idOrName: string): Promise<PlanRow> {
    const rows = await this.store.db.select().from(schema.pricePlans).where(idOrName.startsWith('plan_') ? eq(schema.pricePlans.id, idOrName) : eq(schema.pricePlans.name, idOrName));
    if (!rows[0]) throw new QudaoError('QD_NOT_FOUND', `no plan ${idOrName}`);
    return rows[0];
  }

  /** Changes prices or limits; keys on the plan get the new limits at once (new prices apply to new requests). */
  async updatePlan(idOrName: string, patch: Partial<PlanInput> & { status?: 'active' | 'archived' }): Promise<PlanRow> {
    const plan = await this.getPlan(idOrName);
    const [row] = await this.store.db.update(schema.pricePlans).set(patch).where(eq(schema.pricePlans.id, plan.id)).returning();
    await this.catalog.changed();
    return row!;
  }
}
