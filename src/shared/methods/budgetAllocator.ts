/**
 * Budget allocation across promotion channels: choose spend x_c in [min_c, max_c] with
 * Σ x_c ≤ total (or = total when `spendAll`) to maximise expected contribution margin
 *
 *   Σ_c ( marginPerOutcome_c × f_c(x_c) − x_c ).
 *
 * Karush–Kuhn–Tucker conditions: at the optimum every channel strictly inside its bounds has the
 * same marginal return m_c = marginPerOutcome_c × f_c'(x_c) = μ (the shadow price of the budget),
 * channels at their minimum have m_c ≤ μ and at their maximum m_c ≥ μ. Without `spendAll`,
 * μ ≥ 1: nobody spends a unit that returns less than a unit (μ = 1 when the budget is not binding).
 *
 * Solved by Lagrangian relaxation ("water-filling"): for a given μ each channel's spend is
 * argmax_x (m·f(x) − μx) over its bounds, found by bisection on the decreasing branch of the
 * marginal return; μ itself is found by bisection so the spends fill the budget. For concave
 * curves (negative exponential, Hill with s ≤ 1) this is the exact optimum. For S-shaped Hill
 * curves (s > 1) the per-channel choice between its minimum and its concave part is still made
 * exactly, but the relaxation can leave a small part of the budget unused (duality gap).
 * Spends are finally rounded to integer micro-units with the exact total preserved.
 */
import { StrategyInputError } from './errors.js';
import { RESPONSE_MODELS, curveParameters, type ResponseCurve } from './responseCurves.js';
import { requireCount, requireNonEmpty, requireNonNegative, requireUniqueIds } from './validate.js';

/** One channel in an allocation. Spend and bounds in micro-units. */
export interface ChannelBudgetInput {
  channelId: string;
  curve: ResponseCurve;
  /** Contribution margin earned per unit of outcome, micro-units (e.g. LTV of a customer). */
  marginPerOutcomeMicros: number;
  /** Minimum spend (committed contracts), default 0. */
  minSpendMicros?: number;
  /** Maximum spend (inventory, partner capacity), default: the whole budget. */
  maxSpendMicros?: number;
}

/** Options of {@link allocateBudget}. */
export interface AllocateBudgetOptions {
  /** Spend the whole budget even where the last unit returns less than it costs (default false). */
  spendAll?: boolean;
}

/** A channel's share of the allocation. */
export interface ChannelAllocation {
  channelId: string;
  spendMicros: number;
  expectedOutcome: number;
  /** marginPerOutcome × expected outcome, rounded to micro-units. */
  expectedMarginMicros: number;
  /** expectedMarginMicros − spendMicros. */
  contributionMicros: number;
  /**
   * Margin earned by the last micro-unit spent: marginPerOutcome × f'(spend) (dimensionless);
   * null where it is unbounded (a Hill curve with s < 1 at zero spend).
   */
  marginalReturn: number | null;
  /** Which bound the spend sits on, if any. */
  atBound: 'min' | 'max' | null;
}

/** Result of {@link allocateBudget}. */
export interface BudgetAllocation {
  totalBudgetMicros: number;
  spentMicros: number;
  contributionMicros: number;
  /** μ, the common marginal return of channels inside their bounds (≥ 1 unless spendAll). */
  shadowPrice: number;
  /** True when the budget limits spend (μ > 1 or spendAll). */
  budgetBinding: boolean;
  channels: ChannelAllocation[];
}

interface PreparedChannel { id: string; p: number[]; spec: (typeof RESPONSE_MODELS)[keyof typeof RESPONSE_MODELS]; margin: number; lo: number; hi: number }

function prepare(channels: readonly ChannelBudgetInput[], total: number): PreparedChannel[] {
  return channels.map((c) => {
    const p = curveParameters(c.curve);
    requireNonNegative(c.marginPerOutcomeMicros, `marginPerOutcomeMicros of "${c.channelId}"`);
    const lo = c.minSpendMicros ?? 0;
    const hi = c.maxSpendMicros ?? total;
    requireCount(lo, `minSpendMicros of "${c.channelId}"`);
    requireCount(hi, `maxSpendMicros of "${c.channelId}"`);
    if (lo > hi) throw new StrategyInputError('QD_BUDGET_INFEASIBLE', `channel "${c.channelId}" minimum spend ${lo} exceeds its maximum ${hi}`);
    return { id: c.channelId, p, spec: RESPONSE_MODELS[c.curve.model], margin: c.marginPerOutcomeMicros, lo, hi: Math.min(hi, total) };
  });
}

const marginalReturn = (c: PreparedChannel, x: number): number => c.margin * c.spec.slope(c.p, x);
const objective = (c: PreparedChannel, x: number, mu: number): number => c.margin * c.spec.value(c.p, x) - mu * x;

/** argmax over [lo, hi] of margin·f(x) − μx: the endpoints or where the marginal return falls to μ. */
function bestSpendAt(c: PreparedChannel, mu: number): number {
  const start = Math.max(c.lo, c.spec.inflection(c.p));
  let candidate = c.hi;
  if (start < c.hi && marginalReturn(c, c.hi) < mu) {
    let lo = start;
    let hi = c.hi;
    if (marginalReturn(c, lo) <= mu) candidate = lo;
    else {
      for (let i = 0; i < 200 && hi - lo > 1e-6; i++) {
        const mid = (lo + hi) / 2;
        if (marginalReturn(c, mid) > mu) lo = mid; else hi = mid;
      }
      candidate = (lo + hi) / 2;
    }
  }
  return objective(c, candidate, mu) >= objective(c, c.lo, mu) ? candidate : c.lo;
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);
const spendAt = (cs: readonly PreparedChannel[], mu: number): number[] => cs.map((c) => bestSpendAt(c, mu));
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** Smallest μ ≥ lo at which Σ spend(μ) ≤ total (spend falls as μ rises). */
function solveShadowPrice(cs: readonly PreparedChannel[], total: number, lo: number): number {
  let hi = Math.max(lo * 2, 1);
  while (sum(spendAt(cs, hi)) > total && hi < 1e300) hi *= 4;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (sum(spendAt(cs, mid)) > total) lo = mid; else hi = mid;
  }
  return hi;
}

/**
 * Splits `totalBudgetMicros` across channels to maximise expected contribution margin.
 * @throws StrategyInputError `QD_INVALID_INPUT` on no channels, bad curves or negative amounts;
 *   `QD_BUDGET_INFEASIBLE` when minimums exceed the budget or (spendAll) maximums fall short of it
 */
export function allocateBudget(totalBudgetMicros: number, channels: readonly ChannelBudgetInput[], options: AllocateBudgetOptions = {}): BudgetAllocation {
  requireCount(totalBudgetMicros, 'totalBudgetMicros');
  requireNonEmpty(channels, 'channels');
  requireUniqueIds(channels.map((c) => c.channelId), 'channels');
  const cs = prepare(channels, totalBudgetMicros);
  const minimums = sum(cs.map((c) => c.lo));
  const maximums = sum(cs.map((c) => c.hi));
  if (minimums > totalBudgetMicros) {
    throw new StrategyInputError('QD_BUDGET_INFEASIBLE', `channel minimums (${minimums}) exceed the budget ${totalBudgetMicros}`);
  }
  if (options.spendAll === true && maximums < totalBudgetMicros) {
    throw new StrategyInputError('QD_BUDGET_INFEASIBLE', `channel maximums (${maximums}) cannot absorb the budget ${totalBudgetMicros}`);
  }
  const floor = options.spendAll === true ? 0 : 1;
  // With spendAll, μ = 0 puts every channel at its maximum (Σ max ≥ total, checked above), so
  // the budget always binds unless the maximums add up to it exactly.
  const unconstrained = sum(spendAt(cs, floor));
  const shadowPrice = unconstrained <= totalBudgetMicros ? floor : solveShadowPrice(cs, totalBudgetMicros, floor);
  const spends = roundSpends(cs, spendAt(cs, shadowPrice), options.spendAll === true ? totalBudgetMicros : null);
  return summarise(cs, spends, totalBudgetMicros, shadowPrice, shadowPrice > 1 || options.spendAll === true);
}

/** Rounds to integer micro-units; with a target, the sum is made exact (largest remainders first). */
function roundSpends(cs: readonly PreparedChannel[], spends: readonly number[], target: number | null): number[] {
  const floors = spends.map((x, i) => Math.max(cs[i]!.lo, Math.min(cs[i]!.hi, Math.floor(x))));
  const goal = target ?? Math.min(Math.round(sum(spends)), sum(floors) + cs.length);
  let left = goal - sum(floors);
  const order = spends.map((x, i) => ({ i, rem: x - Math.floor(x) })).sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (let pass = 0; left > 0 && pass < 2 * cs.length + 2; pass++) {
    for (const { i } of order) {
      if (left <= 0) break;
      const room = cs[i]!.hi - floors[i]!;
      const add = Math.min(room, pass === 0 ? 1 : left);
      floors[i]! += add;
      left -= add;
    }
  }
  return floors;
}

function summarise(cs: readonly PreparedChannel[], spends: readonly number[], total: number, shadowPrice: number, budgetBinding: boolean): BudgetAllocation {
  const channels = cs.map((c, i): ChannelAllocation => {
    const x = spends[i]!;
    const expectedOutcome = c.spec.value(c.p, x);
    const expectedMarginMicros = Math.round(c.margin * expectedOutcome);
    const atBound = x <= c.lo && c.lo < c.hi ? 'min' : x >= c.hi ? 'max' : null;
    return {
      channelId: c.id, spendMicros: x, expectedOutcome, expectedMarginMicros,
      contributionMicros: expectedMarginMicros - x, marginalReturn: finiteOrNull(marginalReturn(c, x)), atBound,
    };
  });
  return {
    totalBudgetMicros: total,
    spentMicros: sum(spends),
    contributionMicros: sum(channels.map((c) => c.contributionMicros)),
    shadowPrice,
    budgetBinding,
    channels,
  };
}
