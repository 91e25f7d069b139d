import { and, desc, eq, type SQL } from 'drizzle-orm';
import { QudaoError } from '../errors/index.js';
import { newId, schema, type Store } from '../store/index.js';
import type { CreateAgreementInput } from '../shared/contract/partners.js';
import { agreementAt } from './statement.js';

/** An agreement row. */
export type Agreement = typeof schema.agreements.$inferSelect;

/**
 * Agreements between us and a partner: revenue share or wholesale discount, minimum commitment, quota, SLA
 * and term. They are history: a new agreement supersedes the partner's current one (which keeps its terms
 * and gets an end date), and no agreement is ever edited or deleted.
 */
export class AgreementService {
  constructor(private readonly store: Store) {}

  /** Agreements, newest start first. */
  listAgreements(filter: { partnerId?: string | undefined; status?: string | undefined } = {}): Promise<Agreement[]> {
    const a = schema.agreements;
    const where: SQL[] = [];
    if (filter.partnerId) where.push(eq(a.partnerId, filter.partnerId));
    if (filter.status) where.push(eq(a.status, filter.status));
    return this.store.db.select().from(a).where(and(...where)).orderBy(desc(a.startsAt), desc(a.createdAt));
  }

  /** One agreement; QD_NOT_FOUND when absent. */
  async getAgreement(id: string): Promise<Agreement> {
    const [row] = await this.store.db.select().from(schema.agreements).where(eq(schema.agreements.id, id));
    if (!row) throw new QudaoError('QD_NOT_FOUND', `no agreement ${id}`);
    return row;
  }

  /** The agreement in force for a partner at `at` (default now), or undefined. */
  async agreementInForce(partnerId: string, at = new Date()): Promise<Agreement | undefined> {
    const all = await this.listAgreements({ partnerId });
    const found = agreementAt(all, at);
    return found ? all.find((a) => a.id === found.id) : undefined;
  }

  /**
   * Signs a new agreement. The partner's current agreement is superseded: its status becomes `superseded`
   * and it ends when the new one starts; its terms stay as they were, so old statements still explain.
   */
  async createAgreement(input: CreateAgreementInput): Promise<Agreement> {
    return this.store.db.transaction(async (tx) => {
      // Lock the partner so two agreements signed at once cannot both supersede the same one.
      const [partner] = await tx.select().from(schema.partners).where(eq(schema.partners.id, input.partnerId)).for('update');
      if (!partner) throw new QudaoError('QD_INVALID_REQUEST', `partnerId: no partner ${input.partnerId}`, { param: 'partnerId' });
      if (partner.status === 'archived') throw new QudaoError('QD_IMMUTABLE', `partner ${input.partnerId} is archived`);
      const startsAt = input.startsAt ? new Date(input.startsAt) : new Date();
      const [current] = await tx.select().from(schema.agreements).where(and(eq(schema.agreements.partnerId, input.partnerId), eq(schema.agreements.status, 'active')));
      if (current) {
        if (startsAt < current.startsAt) {
          throw new QudaoError('QD_INVALID_REQUEST', `startsAt: must not be before the start of the agreement it supersedes (${current.startsAt.toISOString()})`, { param: 'startsAt' });
        }
        const endsAt = current.endsAt && current.endsAt < startsAt ? current.endsAt : startsAt;
        await tx.update(schema.agreements).set({ status: 'superseded', endsAt }).where(eq(schema.agreements.id, current.id));
      }
      const values = { ...input, id: newId('agr'), startsAt, endsAt: input.endsAt ? new Date(input.endsAt) : null, supersedesId: current?.id ?? null };
      const [row] = await tx.insert(schema.agreements).values(values).returning();
      return row!;
    });
  }

  /** Ends the partner's current agreement at `endsAt` (default now); only the current one can end. */
  async endAgreement(id: string, endsAt = new Date()): Promise<Agreement> {
    const current = await this.getAgreement(id);
    if (current.status !== 'active') throw new QudaoError('QD_IMMUTABLE', `agreement ${id} is ${current.status}; only the current agreement can end`);
    if (endsAt < current.startsAt) throw new QudaoError('QD_INVALID_REQUEST', 'endsAt: must not be before the agreement starts', { param: 'endsAt' });
    const [row] = await this.store.db.update(schema.agreements).set({ status: 'ended', endsAt }).where(eq(schema.agreements.id, id)).returning();
    return row!;
  }
}
