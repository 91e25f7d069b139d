import { asc, eq } from 'drizzle-orm';
import { found, QudaoError } from '../../errors/index.js';
import { newId, schema, uniquely, type Store } from '../../store/index.js';
import { analysePairwiseMatrix, type AhpResult, type PartnerSelection } from '../../shared/methods/index.js';
import type { MethodPool } from '../compute/method-pool.js';
import { STRATEGY_BOUNDS } from '../../shared/contract/strategy/common.js';
import type { CandidateService, PartnerCandidate, SelectionCriterion } from './candidate-service.js';
import type { RankCandidatesInput, SaveMatrixInput } from '../../shared/contract/strategy/selection.js';

/** A saved AHP matrix with its analysis (weights, λmax, CI, CR, most inconsistent judgements). */
export interface SavedAhpMatrix {
  id: string;
  name: string;
  labels: string[];
  matrix: number[][];
  consistencyRatio: number;
  createdAt: Date;
  /** True when CR ≤ 0.10 (Saaty's threshold): ranking accepts the matrix. */
  acceptable: boolean;
  analysis: AhpResult;
}

/** `POST /api/selection/rank`: AHP weights → TOPSIS ranking → sensitivity, with names. */
export interface CandidateRanking extends PartnerSelection {
  criteria: (Pick<SelectionCriterion, 'id' | 'name' | 'kind'> & { weight: number })[];
  candidates: Pick<PartnerCandidate, 'id' | 'name' | 'partnerId' | 'scores'>[];
}

type MatrixRow = typeof schema.ahpMatrices.$inferSelect;

function toSaved(row: MatrixRow): SavedAhpMatrix {
  const labels = row.labels as string[];
  const matrix = row.matrix as number[][];
  const analysis = analysePairwiseMatrix(matrix, { labels });
  return { ...row, labels, matrix, acceptable: analysis.consistencyRatio <= 0.1, analysis };
}

/** Partner selection: saved AHP matrices and the AHP → TOPSIS → sensitivity ranking of candidates. */
export class SelectionService {
  constructor(private readonly store: Store, private readonly candidates: CandidateService, private readonly methods: MethodPool) {}

  /** Saved matrices, by name. */
  async listMatrices(): Promise<SavedAhpMatrix[]> {
    return (await this.store.db.select().from(schema.ahpMatrices).orderBy(asc(schema.ahpMatrices.name))).map(toSaved);
  }

  /** One saved matrix. */
  async getMatrix(id: string): Promise<SavedAhpMatrix> {
    const [row] = await this.store.db.select().from(schema.ahpMatrices).where(eq(schema.ahpMatrices.id, id));
    return toSaved(found(row, `AHP matrix ${id}`));
  }

  /**
   * Saves a pairwise matrix over criterion ids. A malformed matrix (not square, not positive, not reciprocal,
   * off the 1/9..9 scale) is QD_AHP_INVALID_MATRIX; an inconsistent one (CR > 0.10) is saved — so the team
   * can revise it — but ranking refuses it.
   */
  async saveMatrix(input: SaveMatrixInput): Promise<SavedAhpMatrix> {
    await this.criteriaFor(input.labels);
    const analysis = analysePairwiseMatrix(input.matrix, { labels: input.labels });
    const [row] = await uniquely(`AHP matrix "${input.name}"`, 'name', () =>
      this.store.db.insert(schema.ahpMatrices).values({ id: newId('ahp'), name: input.name, labels: input.labels, matrix: input.matrix, consistencyRatio: analysis.consistencyRatio }).returning(),
    );
    return toSaved(row!);
  }

  /** Deletes a saved matrix. */
  async deleteMatrix(id: string): Promise<void> {
    const gone = await this.store.db.delete(schema.ahpMatrices).where(eq(schema.ahpMatrices.id, id)).returning();
    if (gone.length === 0) throw new QudaoError('QD_NOT_FOUND', `no AHP matrix ${id}`);
  }

  /**
   * Ranks candidates: criterion weights by AHP from the matrix (refused with QD_AHP_INCONSISTENT naming the
   * most inconsistent judgements when CR > 0.10), TOPSIS over the candidates' scores with benefit and cost
   * criteria, then the weight sensitivity of the winner.
   * @throws QD_INVALID_INPUT when a candidate lacks a score on a criterion, or there are no candidates
   */
  async rank(input: RankCandidatesInput): Promise<CandidateRanking> {
    const { criteria, matrix } = await this.resolveMatrix(input);
    const candidates = await this.candidates.listCandidates(input.candidateIds);
    if (candidates.length > STRATEGY_BOUNDS.alternatives) throw new QudaoError('QD_INVALID_INPUT', `candidateIds: rank at most ${STRATEGY_BOUNDS.alternatives} candidates at once (there are ${candidates.length}); name them in candidateIds`, { param: 'candidateIds' });
    const partners = candidates.map((c) => ({ id: c.id, scores: criteria.map((k) => scoreOf(c, k)) }));
    const selection = await this.methods.run('selectPartners', {
      criteria: criteria.map((c) => ({ id: c.id, kind: c.kind as 'benefit' | 'cost' })),
      pairwise: matrix,
      partners,
      ...(input.maxConsistencyRatio === undefined ? {} : { ahp: { maxConsistencyRatio: input.maxConsistencyRatio } }),
    });
    return {
      ...selection,
      criteria: criteria.map((c, j) => ({ id: c.id, name: c.name, kind: c.kind, weight: selection.ahp.weights[j]! })),
      candidates: candidates.map((c) => ({ id: c.id, name: c.name, partnerId: c.partnerId, scores: c.scores })),
    };
  }

  private async resolveMatrix(input: RankCandidatesInput): Promise<{ criteria: SelectionCriterion[]; matrix: number[][] }> {
    if (input.matrixId !== undefined) {
      const saved = await this.getMatrix(input.matrixId);
      return { criteria: await this.criteriaFor(saved.labels), matrix: saved.matrix };
    }
    const criteria = await this.candidates.listCriteria();
    if (criteria.length === 0) throw new QudaoError('QD_INVALID_INPUT', 'criteria: define selection criteria first (POST /api/selection/criteria)');
    return { criteria, matrix: input.matrix! };
  }

  /** The criteria named by `ids`, in that order; unknown ids are QD_INVALID_INPUT. */
  private async criteriaFor(ids: readonly string[]): Promise<SelectionCriterion[]> {
    const all = new Map((await this.candidates.listCriteria()).map((c) => [c.id, c]));
    return ids.map((id) => {
      const c = all.get(id);
      if (!c) throw new QudaoError('QD_INVALID_INPUT', `labels: no selection criterion ${id}`, { param: 'labels' });
      return c;
    });
  }
}

function scoreOf(candidate: PartnerCandidate, criterion: SelectionCriterion): number {
  const score = candidate.scores[criterion.id];
  if (score === undefined) throw new QudaoError('QD_INVALID_INPUT', `candidate "${candidate.name}" has no score on criterion "${criterion.name}"`, { param: 'scores' });
  return score;
}
