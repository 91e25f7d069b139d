/** Test fixture, not exported from the package. */
import type { DecisionProblem } from './decisionMatrix.js';

// Published worked example: Hwang, C.L. & Yoon, K. (1981), Multiple Attribute Decision Making,
// Springer, §3.5 (TOPSIS), fighter-aircraft selection: 4 aircraft × 6 attributes (max speed,
// ferry range, max payload, acquisition cost [cost], reliability, maneuverability), weights
// (0.2, 0.1, 0.1, 0.1, 0.2, 0.3). Published relative closeness C* = 0.643, 0.268, 0.614, 0.312,
// ranking A1 > A3 > A4 > A2.
/** Hwang & Yoon (1981) fighter-aircraft decision matrix. */
export const fighterAircraft: DecisionProblem = {
  criteria: [
    { id: 'maxSpeed', weight: 0.2, kind: 'benefit' },
    { id: 'ferryRange', weight: 0.1, kind: 'benefit' },
    { id: 'maxPayload', weight: 0.1, kind: 'benefit' },
    { id: 'acquisitionCost', weight: 0.1, kind: 'cost' },
    { id: 'reliability', weight: 0.2, kind: 'benefit' },
    { id: 'maneuverability', weight: 0.3, kind: 'benefit' },
  ],
  alternatives: [
    { id: 'A1', scores: [2.0, 1500, 20000, 5.5, 5, 9] },
    { id: 'A2', scores: [2.5, 2700, 18000, 6.5, 3, 5] },
    { id: 'A3', scores: [1.8, 2000, 21000, 4.5, 7, 7] },
    { id: 'A4', scores: [2.2, 1800, 20000, 5.0, 5, 5] },
  ],
};

