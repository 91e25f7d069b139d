import { z } from 'zod';
import { micros, month } from '../common.js';
import { defineRoute } from '../route.js';
import { budgetAllocationSchema, curveSchema, promotionChannelSchema, responseCurveSchema, responseModelSchema, STRATEGY_BOUNDS, windowAnswerFields, windowQueryFields } from './common.js';

const rate = z.coerce.number().min(0).max(1);

/** Assumptions the ledger cannot give over a short window: churn and the lifetime cap. */
const assumptionFields = {
  /** Monthly customer churn used for LTV (default 0.05). */
  monthlyChurn: rate.default(0.05),
  /** Cap on customer lifetime in months (default 36). */
  horizonMonths: z.coerce.number().int().min(1).max(600).default(36),
};

/** `GET /api/promotion/economics`. */
export const economicsQuerySchema = z.object({ ...windowQueryFields, ...assumptionFields }).strict();

/** What a response curve predicts: signups, or activated (paying) customers. */
export const curveOutcomeSchema = z.enum(['signups', 'activated']);

/** `GET /api/promotion/curves`: monthly spend/outcome history and a fitted curve per promotion channel. */
export const curvesQuerySchema = z.object({ ...windowQueryFields, model: responseModelSchema.default('negativeExponential'), outcome: curveOutcomeSchema.default('activated') }).strict();

/**
 * `POST /api/promotion/allocate`: split a budget across promotion channels. A channel without a `curve` gets
 * one fitted to its monthly history; without `marginPerOutcomeMicros` it earns its measured LTV per
 * activated customer (or, with outcome `signups`, LTV × its signup→activation rate).
 */
export const allocateSchema = z
  .object({
    totalBudgetMicros: micros,
    spendAll: z.boolean().default(false),
    model: responseModelSchema.default('negativeExponential'),
    outcome: curveOutcomeSchema.default('activated'),
    channels: z
      .array(
        z
          .object({
            promotionChannel: promotionChannelSchema,
            minSpendMicros: micros.optional(),
            maxSpendMicros: micros.optional(),
            curve: curveSchema.optional(),
            marginPerOutcomeMicros: micros.optional(),
          })
          .strict(),
      )
      .min(1, 'name at least one promotion channel')
      .max(STRATEGY_BOUNDS.budgetChannels),
    ...windowQueryFields,
    ...assumptionFields,
  })
  .strict();

/** LTV assumptions. */
export type EconomicsAssumptions = { monthlyChurn: number; horizonMonths: number };
/** What a response curve predicts. */
export type CurveOutcome = z.infer<typeof curveOutcomeSchema>;
/** Input of the allocator over the ledger. */
export type AllocateInput = z.infer<typeof allocateSchema>;

const funnelConversionSchema = z.object({ stage: z.string(), count: z.number(), fromPrevious: z.number().nullable(), fromFirst: z.number().nullable() });

/** One promotion channel's ledger and touchpoint facts in the window, and its unit economics. */
export const promotionChannelReportSchema = z.object({
  promotionChannel: z.string(),
  /** Σ spend in the window. */
  spendMicros: z.number(),
  /** Distinct visitors with a touchpoint on the channel. */
  reach: z.number(),
  clicks: z.number(),
  /** Customers acquired in the window whose first promotion-channel touch was this one. */
  signups: z.number(),
  /** Of the signups, those with ledger revenue before the window's end. */
  activatedCustomers: z.number(),
  revenueMicros: z.number(),
  costToServeMicros: z.number(),
  customerMonths: z.number(),
  arpaMicros: z.number(),
  grossMargin: z.number(),
  economics: z.object({
    channelId: z.string(),
    acquisitionCostMicros: z.number(),
    cacMicros: z.number().nullable(),
    monthlyMarginMicros: z.number(),
    ltvMicros: z.number().nullable(),
    ltvToCac: z.number().nullable(),
    paybackMonths: z.number().nullable(),
    conversion: z.array(funnelConversionSchema).nullable(),
  }),
});

/** `GET /api/promotion/economics`. */
export const promotionEconomicsReportSchema = z.object({
  ...windowAnswerFields,
  assumptions: z.object({ monthlyChurn: z.number(), horizonMonths: z.number() }),
  channels: z.array(promotionChannelReportSchema),
});

/** A fitted response curve with its goodness of fit (curveFitting.ts). */
export const fittedResponseCurveSchema = responseCurveSchema.extend({
  sse: z.number(),
  rmse: z.number(),
  rSquared: z.number(),
  observations: z.number(),
  iterations: z.number(),
  converged: z.boolean(),
});

/** `GET /api/promotion/curves`. */
export const responseCurvesReportSchema = z.object({
  ...windowAnswerFields,
  model: responseModelSchema,
  outcome: curveOutcomeSchema,
  channels: z.array(
    z.object({
      promotionChannel: z.string(),
      observations: z.array(z.object({ month, spendMicros: z.number(), outcome: z.number() })),
      curve: fittedResponseCurveSchema.nullable(),
      /** Why no curve: the catalogued code and message (e.g. QD_FIT_DEGENERATE). */
      error: z.object({ code: z.string(), message: z.string() }).nullable(),
    }),
  ),
});

/** `POST /api/promotion/allocate`: the allocation and what each channel's curve and margin were. */
export const allocationReportSchema = budgetAllocationSchema.extend({
  inputs: z.array(
    z.object({
      channelId: z.string(),
      curve: responseCurveSchema,
      marginPerOutcomeMicros: z.number(),
      minSpendMicros: z.number().optional(),
      maxSpendMicros: z.number().optional(),
      curveSource: z.enum(['given', 'fitted']),
      marginSource: z.enum(['given', 'ltv']),
    }),
  ),
});

/** `GET /api/promotion/economics` as answered. */
export type PromotionEconomicsAnswer = z.infer<typeof promotionEconomicsReportSchema>;
/** One channel of it. */
export type PromotionChannelAnswer = z.infer<typeof promotionChannelReportSchema>;

const tag = 'promotion';

/** Promotion channel selection: unit economics, response curves, budget allocation over the ledger (admin). */
export const promotionRoutes = {
  economics: defineRoute({
    method: 'GET',
    url: '/api/promotion/economics',
    tag,
    access: 'admin',
    summary: 'CAC, LTV, LTV/CAC, payback and funnel per promotion channel in the window',
    query: economicsQuerySchema,
    response: { 200: promotionEconomicsReportSchema },
  }),
  curves: defineRoute({
    method: 'GET',
    url: '/api/promotion/curves',
    tag,
    access: 'admin',
    summary: 'Monthly spend/outcome history and a fitted response curve per promotion channel',
    query: curvesQuerySchema,
    response: { 200: responseCurvesReportSchema },
  }),
  allocate: defineRoute({
    method: 'POST',
    url: '/api/promotion/allocate',
    // A computation that changes nothing: audited as a request, not held in a transaction while it runs.
    audit: { scope: 'request' },
    tag,
    access: 'admin',
    summary: 'Split a budget across promotion channels (422 QD_BUDGET_INFEASIBLE, QD_FIT_DEGENERATE)',
    body: allocateSchema,
    response: { 200: allocationReportSchema },
  }),
} as const;
