import { describe, expect, it } from 'vitest';
import { selectPartners } from './partnerSelection.js';
import { rankByTopsis } from './topsis.js';
import { StrategyInputError } from './errors.js';

// Independent composition check: the weights are the Wikipedia AHP leader-example priorities
// (0.547, 0.127, 0.270, 0.056; see ahp.test.ts) and the ranking must equal TOPSIS run directly
// with those weights.
const criteria = [
  { id: 'technicalFit', kind: 'benefit' as const },
  { id: 'revenueShareAsked', kind: 'cost' as const },
  { id: 'marketReach', kind: 'benefit' as const },
  { id: 'supportLoad', kind: 'cost' as const },
];
const pairwise = [
  [1, 4, 3, 7],
  [1 / 4, 1, 1 / 3, 3],
  [1 / 3, 3, 1, 5],
  [1 / 7, 1 / 3, 1 / 5, 1],
];
const partners = [
  { id: 'si-alpha', scores: [8, 30, 5, 3] },
  { id: 'reseller-beta', scores: [5, 20, 9, 5] },
  { id: 'isv-gamma', scores: [9, 35, 4, 2] },
];

describe('selectPartners', () => {
  it('feeds AHP weights into TOPSIS and reports sensitivity', () => {
    const result = selectPartners({ criteria, pairwise, partners });
    expect(result.ahp.weights[0]).toBeCloseTo(0.548, 3);
    const direct = rankByTopsis({ criteria: criteria.map((c, j) => ({ ...c, weight: result.ahp.weights[j]! })), alternatives: partners });
    expect(result.topsis.ranking).toEqual(direct.ranking);
    expect(result.sensitivity.top).toBe(result.topsis.ranking[0]!.id);
    expect(result.sensitivity.criteria.map((c) => c.criterionId)).toEqual(criteria.map((c) => c.id));
  });

  it('refuses inconsistent judgements and mismatched sizes', () => {
    const inconsistent = [[1, 9, 1 / 9, 1], [1 / 9, 1, 9, 1], [9, 1 / 9, 1, 1], [1, 1, 1, 1]];
    expect(() => selectPartners({ criteria, pairwise: inconsistent, partners })).toThrow(/technicalFit|revenueShareAsked|marketReach/);
    try { selectPartners({ criteria, pairwise: inconsistent, partners }); } catch (e) { expect((e as StrategyInputError).code).toBe('QD_AHP_INCONSISTENT'); }
    expect(() => selectPartners({ criteria, pairwise: pairwise.slice(0, 3), partners })).toThrowError(StrategyInputError);
  });
});
