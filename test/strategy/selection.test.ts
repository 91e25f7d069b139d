import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CandidateRanking, PartnerCandidate, SavedAhpMatrix, SelectionCriterion } from '../../src/strategy/index.js';
import { postgresReachable, storeKinds } from '../support/stores.js';
import { reference, strategyHarness, type StrategyHarness } from './support.js';

/**
 * A perfectly consistent pairwise matrix built from known weights (0.5, 0.3, 0.2): a_ij = w_i / w_j. AHP must
 * return exactly those weights with CR = 0 (Saaty 1980: for a consistent matrix the principal eigenvector is w
 * and λmax = n).
 */
const CONSISTENT = [
  [1, 5 / 3, 2.5],
  [3 / 5, 1, 1.5],
  [1 / 2.5, 1 / 1.5, 1],
];
/** Cyclic judgements (1 ≫ 2 ≫ 3 ≫ 1): as inconsistent as the scale allows. */
const CYCLIC = [
  [1, 9, 1 / 9],
  [1 / 9, 1, 9],
  [9, 1 / 9, 1],
];
const CANDIDATES = [
  { name: 'Alpha SI', scores: [7, 8, 300] },
  { name: 'Beta Cloud', scores: [9, 5, 500] },
  { name: 'Gamma Reseller', scores: [6, 9, 200] },
];

describe.each(storeKinds)('partner selection: AHP weights → TOPSIS → sensitivity (%s)', (kind) => {
  let h: StrategyHarness;
  let criteria: SelectionCriterion[];
  let candidates: PartnerCandidate[];
  beforeAll(async () => {
    if (kind === 'postgres' && !(await postgresReachable())) return;
    h = await strategyHarness(kind);
    criteria = [];
    for (const [i, [name, k]] of [['quality', 'benefit'], ['reach', 'benefit'], ['cost', 'cost']].entries()) {
      criteria.push((await h.api<SelectionCriterion>('POST', '/api/selection/criteria', { name, kind: k, position: i })).json);
    }
    candidates = [];
    for (const c of CANDIDATES) {
      const scores = Object.fromEntries(criteria.map((k, j) => [k.id, c.scores[j]!]));
      candidates.push((await h.api<PartnerCandidate>('POST', '/api/selection/candidates', { name: c.name, scores })).json);
    }
  });
  afterAll(async () => h?.dispose());

  it('weights criteria by AHP and ranks candidates by TOPSIS as an independent computation does', async ({ skip }) => {
    if (!h) skip();
    const r = await h.api<CandidateRanking>('POST', '/api/selection/rank', { matrix: CONSISTENT });
    expect(r.status).toBe(200);
    expect(r.json.ahp.consistencyRatio).toBeCloseTo(0, 10);
    r.json.criteria.forEach((c, j) => expect(c.weight).toBeCloseTo([0.5, 0.3, 0.2][j]!, 10));
    const ref = reference(CANDIDATES.map((c) => c.scores), [0.5, 0.3, 0.2], [false, false, true]);
    r.json.topsis.alternatives.forEach((a) => {
      const i = candidates.findIndex((c) => c.id === a.id);
      expect(a.closenessToIdeal).toBeCloseTo(ref.topsis[i]!, 12);
    });
    expect(r.json.sensitivity.top).toBe(r.json.topsis.ranking[0]!.id);
    expect(r.json.sensitivity.criteria.map((c) => c.criterionId)).toEqual(criteria.map((c) => c.id));
  });

  it('saves an inconsistent matrix for revision but refuses to rank with it, naming the judgements to revisit', async ({ skip }) => {
    if (!h) skip();
    const saved = await h.api<SavedAhpMatrix>('POST', '/api/selection/matrices', { name: 'cyclic', labels: criteria.map((c) => c.id), matrix: CYCLIC });
    expect(saved.status).toBe(201);
    expect(saved.json.acceptable).toBe(false);
    expect(saved.json.consistencyRatio).toBeGreaterThan(0.1);
    const r = await h.api<{ error: { code: string; message: string } }>('POST', '/api/selection/rank', { matrixId: saved.json.id });
    expect(r.status).toBe(422);
    expect(r.json.error.code).toBe('QD_AHP_INCONSISTENT');
    expect(r.json.error.message).toMatch(/^AHP consistency ratio \d\.\d{3} exceeds 0\.1; revisit \(/);
    expect(r.json.error.message).toContain(criteria[0]!.id);
  });

  it.each([
    ['a non-square matrix', { matrix: [[1, 2], [0.5, 1], [1, 1]] }, 400, 'QD_AHP_INVALID_MATRIX', 'not square'],
    ['a non-reciprocal matrix', { matrix: [[1, 2, 3], [2, 1, 1], [1 / 3, 1, 1]] }, 400, 'QD_AHP_INVALID_MATRIX', 'not reciprocal at (1,2)'],
    ['a zero judgement', { matrix: [[1, 0, 3], [1, 1, 1], [1 / 3, 1, 1]] }, 400, 'QD_AHP_INVALID_MATRIX', 'must be a positive number'],
    ['both matrix and matrixId', { matrix: CONSISTENT, matrixId: 'x' }, 400, 'QD_INVALID_REQUEST', 'send exactly one of matrixId and matrix'],
  ])('refuses %s', async (_what, body, status, code, message) => {
    if (!h) return;
    const r = await h.api<{ error: { code: string; message: string } }>('POST', '/api/selection/rank', body);
    expect(r.status).toBe(status);
    expect(r.json.error.code).toBe(code);
    expect(r.json.error.message).toContain(message);
  });

  it('refuses a candidate without a score on every criterion', async ({ skip }) => {
    if (!h) skip();
    await h.api('POST', '/api/selection/candidates', { name: 'Delta (unscored)' });
    const r = await h.api<{ error: { code: string; message: string } }>('POST', '/api/selection/rank', { matrix: CONSISTENT });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code: 'QD_INVALID_INPUT', message: 'candidate "Delta (unscored)" has no score on criterion "quality"' });
    const subset = await h.api<CandidateRanking>('POST', '/api/selection/rank', { matrix: CONSISTENT, candidateIds: candidates.map((c) => c.id) });
    expect(subset.status).toBe(200);
  });

  it('analyses a matrix statelessly for the dashboard tool', async ({ skip }) => {
    if (!h) skip();
    const r = await h.api<{ weights: number[]; acceptable: boolean; consistencyRatio: number }>('POST', '/api/strategy/ahp', { matrix: CYCLIC, labels: ['a', 'b', 'c'] });
    expect(r.status).toBe(200);
    expect(r.json.acceptable).toBe(false);
    r.json.weights.forEach((w) => expect(w).toBeCloseTo(1 / 3, 10));
  });
});
