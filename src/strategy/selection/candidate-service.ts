import { asc, eq, inArray } from 'drizzle-orm';
import { found, QudaoError } from '../../errors/index.js';
import { newId, schema, uniquely, type Store } from '../../store/index.js';
import type { CreateCandidateInput, CreateCriterionInput, UpdateCandidateInput, UpdateCriterionInput } from '../../shared/contract/strategy/selection.js';

/** A selection criterion row. */
export type SelectionCriterion = typeof schema.selectionCriteria.$inferSelect;
/** A partner candidate with its scores keyed by criterion id. */
export type PartnerCandidate = typeof schema.partnerCandidates.$inferSelect & { scores: Record<string, number> };

/** Partner selection data (合作伙伴选择): criteria, candidates and their scores. */
export class CandidateService {
  constructor(private readonly store: Store) {}

  /** Criteria in matrix order (position, then name). */
  listCriteria(): Promise<SelectionCriterion[]> {
    return this.store.db.select().from(schema.selectionCriteria).orderBy(asc(schema.selectionCriteria.position), asc(schema.selectionCriteria.name));
  }

  /** Creates a criterion; QD_CONFLICT when the name is taken. */
  async createCriterion(input: CreateCriterionInput): Promise<SelectionCriterion> {
    const [row] = await uniquely(`criterion "${input.name}"`, 'name', () => this.store.db.insert(schema.selectionCriteria).values({ id: newId('crit'), ...input }).returning());
    return row!;
  }

  /** Changes a criterion. */
  async updateCriterion(id: string, input: UpdateCriterionInput): Promise<SelectionCriterion> {
    const [row] = await uniquely(`criterion "${input.name ?? ''}"`, 'name', () => this.store.db.update(schema.selectionCriteria).set(input).where(eq(schema.selectionCriteria.id, id)).returning());
    return found(row, `criterion ${id}`);
  }

  /** Deletes a criterion and every score on it. */
  async deleteCriterion(id: string): Promise<void> {
    const gone = await this.store.db.delete(schema.selectionCriteria).where(eq(schema.selectionCriteria.id, id)).returning();
    if (gone.length === 0) throw new QudaoError('QD_NOT_FOUND', `no criterion ${id}`);
  }

  /** Candidates by name, each with its scores; `ids` restricts (unknown ids are QD_INVALID_INPUT). */
  async listCandidates(ids?: readonly string[]): Promise<PartnerCandidate[]> {
    const q = this.store.db.select().from(schema.partnerCandidates);
    const rows = await (ids ? q.where(inArray(schema.partnerCandidates.id, [...ids])) : q).orderBy(asc(schema.partnerCandidates.name));
    const missing = (ids ?? []).filter((id) => !rows.some((r) => r.id === id));
    if (missing.length > 0) throw new QudaoError('QD_INVALID_INPUT', `candidateIds: no candidate ${missing.join(', ')}`, { param: 'candidateIds' });
    const scores = rows.length === 0 ? [] : await this.store.db.select().from(schema.candidateScores).where(inArray(schema.candidateScores.candidateId, rows.map((r) => r.id)));
    return rows.map((r) => ({ ...r, scores: Object.fromEntries(scores.filter((s) => s.candidateId === r.id).map((s) => [s.criterionId, s.score])) }));
  }

  /** One candidate with its scores. */
  async getCandidate(id: string): Promise<PartnerCandidate> {
    const [row] = await this.store.db.select().from(schema.partnerCandidates).where(eq(schema.partnerCandidates.id, id));
    found(row, `candidate ${id}`);
    return (await this.listCandidates([id]))[0]!;
  }

  /** Creates a candidate (and its scores); QD_CONFLICT when the name is taken. */
  async createCandidate(input: CreateCandidateInput): Promise<PartnerCandidate> {
    const { scores, ...fields } = input;
    await this.checkPartner(fields.partnerId);
    const id = newId('cand');
    await uniquely(`candidate "${input.name}"`, 'name', () => this.store.db.insert(schema.partnerCandidates).values({ id, ...fields }));
    if (scores) await this.setScores(id, scores);
    return this.getCandidate(id);
  }

  /** Changes a candidate's fields. */
  async updateCandidate(id: string, input: UpdateCandidateInput): Promise<PartnerCandidate> {
    await this.checkPartner(input.partnerId);
    const [row] = await uniquely(`candidate "${input.name ?? ''}"`, 'name', () => this.store.db.update(schema.partnerCandidates).set(input).where(eq(schema.partnerCandidates.id, id)).returning());
    found(row, `candidate ${id}`);
    return this.getCandidate(id);
  }

  /** Deletes a candidate and its scores. */
  async deleteCandidate(id: string): Promise<void> {
    const gone = await this.store.db.delete(schema.partnerCandidates).where(eq(schema.partnerCandidates.id, id)).returning();
    if (gone.length === 0) throw new QudaoError('QD_NOT_FOUND', `no candidate ${id}`);
  }

  /** Upserts scores `{ criterionId: score }`; unknown criteria are QD_INVALID_REQUEST. */
  async setScores(candidateId: string, scores: Record<string, number>): Promise<PartnerCandidate> {
    const [candidate] = await this.store.db.select({ id: schema.partnerCandidates.id }).from(schema.partnerCandidates).where(eq(schema.partnerCandidates.id, candidateId));
    found(candidate, `candidate ${candidateId}`);
    const criteria = new Set((await this.listCriteria()).map((c) => c.id));
    const unknown = Object.keys(scores).filter((id) => !criteria.has(id));
    if (unknown.length > 0) throw new QudaoError('QD_INVALID_REQUEST', `scores: unknown criterion ${unknown.join(', ')}`, { param: 'scores' });
    for (const [criterionId, score] of Object.entries(scores)) {
      await this.store.db
        .insert(schema.candidateScores)
        .values({ candidateId, criterionId, score })
        .onConflictDoUpdate({ target: [schema.candidateScores.candidateId, schema.candidateScores.criterionId], set: { score } });
    }
    return this.getCandidate(candidateId);
  }

  private async checkPartner(partnerId: string | null | undefined): Promise<void> {
    if (!partnerId) return;
    const [p] = await this.store.db.select({ id: schema.partners.id }).from(schema.partners).where(eq(schema.partners.id, partnerId));
    if (!p) throw new QudaoError('QD_INVALID_REQUEST', `partnerId: no partner ${partnerId}`, { param: 'partnerId' });
  }
}
