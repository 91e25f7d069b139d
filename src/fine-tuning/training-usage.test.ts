import { describe, expect, it } from 'vitest';
import { failureOf, trainedTokensOf } from './run-outcome.js';
import { trainingUsageRow, type TrainingUsageFacts } from './training-usage.js';

const facts = (over: Partial<TrainingUsageFacts> = {}): TrainingUsageFacts => ({
  job: { id: 'ftjob_1', customerId: 'cus_1', keyId: 'key_1', baseModel: 'tiny', createdAt: new Date('2026-12-01T00:00:00Z'), startedAt: new Date('2026-12-01T00:00:10Z'), error: null },
  outcome: 'succeeded',
  trainedTokens: 1_234_567,
  endedAt: new Date('2026-12-01T00:01:10Z'),
  key: { channelId: 'chn_1', partnerId: null },
  plan: { trainingPer1mMicros: 3_000_000 },
  customer: { acquiredPartnerId: 'ptn_1', acquiredCampaignId: 'cmp_1' },
  base: { id: 'dep_1', costInputPer1mMicros: 100_000 },
  ...over,
});

describe("a fine-tuning job's ledger row", () => {
  it('prices the trained tokens at the plan\'s training price, rounded up to the micro-unit, and costs them at 3 × the prompt cost', () => {
    const row = trainingUsageRow(facts());
    // 1,234,567 tokens × 3.000000 per 1M = 3.703701 units; × 0.3 per 1M = 0.3703701 → 370,371 micros (up).
    expect(row).toMatchObject({ requestId: 'ftjob_1', endpoint: 'fine_tuning', model: 'tiny', deploymentId: 'dep_1', trainingTokens: 1_234_567, promptTokens: 0, completionTokens: 0, priceMicros: 3_703_701, costMicros: 370_371, status: 'ok', latencyMs: 60_000 });
    // Attribution as on gateway rows: the key's partner, else the customer's acquiring partner.
    expect(row).toMatchObject({ channelId: 'chn_1', partnerId: 'ptn_1', campaignId: 'cmp_1' });
  });

  it('keeps the outcome and error of a cancelled or failed job, and prices nothing without a plan', () => {
    expect(trainingUsageRow(facts({ outcome: 'cancelled' })).status).toBe('cancelled');
    const failed = trainingUsageRow(facts({ outcome: 'failed', job: { ...facts().job, error: { code: 'QD_FINETUNE_FILE_INVALID' } } }));
    expect([failed.status, failed.errorCode]).toEqual(['error', 'QD_FINETUNE_FILE_INVALID']);
    expect(trainingUsageRow(facts({ plan: null, base: null })).priceMicros).toBe(0);
  });

  it('reads the trained tokens and the failure from the run', () => {
    expect(trainedTokensOf({ metrics: { trainedTokens: 4_096, steps: 3 } })).toBe(4_096);
    expect(trainedTokensOf({ metrics: { step: 3, loss: 1 } })).toBe(0);
    expect(failureOf('QD_FINETUNE_FILE_INVALID: train.jsonl, line 2: too long')).toEqual({ code: 'QD_FINETUNE_FILE_INVALID', message: 'train.jsonl, line 2: too long', param: null });
    expect(failureOf('the worker exited (SIGKILL): ')).toEqual({ code: 'QD_INTERNAL', message: 'the worker exited (SIGKILL): ', param: null });
  });
});
