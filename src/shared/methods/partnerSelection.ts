/**
 * Partner selection (合作伙伴选择) as one call: criterion weights from the team's AHP pairwise
 * judgements, partners ranked by TOPSIS with those weights, and the sensitivity of the winner to
 * each weight. This is the composition the API and dashboard show side by side; each step is
 * also available on its own.
 */
import { deriveAhpWeights, type AhpOptions, type AhpResult } from './ahp.js';
import type { Alternative, CriterionKind, DecisionProblem } from './decisionMatrix.js';
import { analyseWeightSensitivity, type SensitivityResult } from './sensitivity.js';
import { rankByTopsis, type TopsisResult } from './topsis.js';
import { requireLength, requireNonEmpty } from './validate.js';

/** Inputs of {@link selectPartners}. */
export interface PartnerSelectionInput {
  /** Criteria in the order of the pairwise matrix rows. */
  criteria: readonly { id: string; kind: CriterionKind }[];
  /** Saaty 1–9 pairwise comparison of the criteria (a_ij: how much more i matters than j). */
  pairwise: readonly (readonly number[])[];
  /** Candidate partners with one score per criterion. */
  partners: readonly Alternative[];
  /** AHP options (consistency threshold, reciprocal tolerance). */
  ahp?: Omit<AhpOptions, 'labels'>;
}

/** Result of {@link selectPartners}. */
export interface PartnerSelection {
  ahp: AhpResult;
  topsis: TopsisResult;
  sensitivity: SensitivityResult;
}

/**
 * AHP weights → TOPSIS ranking → weight sensitivity.
 * @throws StrategyInputError `QD_AHP_INCONSISTENT` when CR > 0.10 (naming the pairs to revisit),
 *   `QD_AHP_INVALID_MATRIX` or `QD_INVALID_INPUT` on malformed input
 */
export function selectPartners(input: PartnerSelectionInput): PartnerSelection {
  requireNonEmpty(input.criteria, 'criteria');
  requireLength(input.pairwise, input.criteria.length, 'pairwise matrix rows');
  const ahp = deriveAhpWeights(input.pairwise, { ...input.ahp, labels: input.criteria.map((c) => c.id) });
  const problem: DecisionProblem = {
    criteria: input.criteria.map((c, j) => ({ id: c.id, kind: c.kind, weight: ahp.weights[j]! })),
    alternatives: input.partners,
  };
  return { ahp, topsis: rankByTopsis(problem), sensitivity: analyseWeightSensitivity(problem, { method: 'topsis' }) };
}
