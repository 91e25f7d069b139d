import {
  allocateBudget,
  analyseWeightSensitivity,
  compareAttributionModels,
  rankByTopsis,
  scoreWeightedSum,
  selectPartners,
  type DecisionProblem,
  type SensitivityResult,
  type TopsisResult,
  type WeightedSumResult,
} from '../../shared/methods/index.js';

/** `POST /api/strategy/topsis`: TOPSIS, the weighted sum and the TOPSIS winner's weight sensitivity. */
function decideByTopsis(problem: DecisionProblem): { topsis: TopsisResult; weightedSum: WeightedSumResult; sensitivity: SensitivityResult } {
  return { topsis: rankByTopsis(problem), weightedSum: scoreWeightedSum(problem), sensitivity: analyseWeightSensitivity(problem, { method: 'topsis' }) };
}

/**
 * The strategy methods that may run for long (weight sensitivity re-scores the whole decision matrix up to
 * 2 × steps times per criterion; the allocator bisects twice per channel), run in a worker thread by
 * {@link MethodPool} so that they never hold the server's event loop. All are pure functions of plain,
 * structured-clonable data; this table is what the worker may call.
 */
export const offloadedMethods = {
  allocateBudget,
  analyseWeightSensitivity,
  compareAttributionModels,
  decideByTopsis,
  selectPartners,
};

/** The table's type: method name → function. */
export type OffloadedMethods = typeof offloadedMethods;
/** The name of a method the pool runs. */
export type OffloadedMethodName = keyof OffloadedMethods;
