import { z } from 'zod';
import { boundedRecord, STRATEGY_BOUNDS } from '../http/bounds.js';
import { microsSchema, promotionChannelSchema } from '../http/request.js';
import { windowQueryFields } from '../http/window.js';

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

const responseModel = z.enum(['negativeExponential', 'hill']);
const outcome = z.enum(['signups', 'activated']);

/** `GET /api/promotion/curves`: monthly spend/outcome history and a fitted curve per promotion channel. */
export const curvesQuerySchema = z.object({ ...windowQueryFields, model: responseModel.default('negativeExponential'), outcome: outcome.default('activated') }).strict();

const curveSchema = z.object({ model: responseModel, params: boundedRecord(z.number(), STRATEGY_BOUNDS.curveParams, 'parameters') }).strict();

/**
 * `POST /api/promotion/allocate`: split a budget across promotion channels. A channel without a `curve` gets
 * one fitted to its monthly history; without `marginPerOutcomeMicros` it earns its measured LTV per
 * activated customer (or, with outcome `signups`, LTV × its signup→activation rate).
 */
export const allocateSchema = z
  .object({
    totalBudgetMicros: microsSchema,
    spendAll: z.boolean().default(false),
    model: responseModel.default('negativeExponential'),
    outcome: outcome.default('activated'),
    channels: z
      .array(
        z
          .object({
            promotionChannel: promotionChannelSchema,
            minSpendMicros: microsSchema.optional(),
            maxSpendMicros: microsSchema.optional(),
            curve: curveSchema.optional(),
            marginPerOutcomeMicros: microsSchema.optional(),
          })
          .strict(),
      )
      .min(1, 'name at least one promotion channel')
      .max(STRATEGY_BOUNDS.budgetChannels),
    ...windowQueryFields,
    ...assumptionFields,
  })
  .strict();

/** `POST /api/strategy/allocate`: the allocator with every curve and margin given. */
export const allocateDirectSchema = z
  .object({
    totalBudgetMicros: microsSchema,
    spendAll: z.boolean().default(false),
    channels: z.array(
      z
        .object({ channelId: z.string().min(1), curve: curveSchema, marginPerOutcomeMicros: z.number(), minSpendMicros: z.number().optional(), maxSpendMicros: z.number().optional() })
        .strict(),
    ).max(STRATEGY_BOUNDS.budgetChannels),
  })
  .strict();

/** LTV assumptions. */
export type EconomicsAssumptions = { monthlyChurn: number; horizonMonths: number };
/** What a response curve predicts. */
export type CurveOutcome = z.infer<typeof outcome>;
/** Input of the allocator over the ledger. */
export type AllocateInput = z.infer<typeof allocateSchema>;
