import { describe, expect, it } from 'vitest';
import { AUTO_BATCH, AUTO_EPOCHS, BASE_LEARNING_RATE, chatFinetuneParams, fineTunedModelName, requestedHyperparameters, resolveHyperparameters } from './hyperparameters.js';

const base = { model: 'tiny', training_file: 'file_1' };

describe('OpenAI job requests mapped onto the chat fine-tune', () => {
  it('resolves auto and absent values, and maps epochs, batch size and the learning-rate multiplier', () => {
    expect(resolveHyperparameters({}, 100)).toEqual({ n_epochs: AUTO_EPOCHS, batch_size: AUTO_BATCH, learning_rate_multiplier: 1 });
    expect(resolveHyperparameters({ n_epochs: 'auto', batch_size: 'auto' }, 3)).toEqual({ n_epochs: 3, batch_size: 3, learning_rate_multiplier: 1 });
    const h = resolveHyperparameters({ n_epochs: 2, batch_size: 4, learning_rate_multiplier: 0.5 }, 100);
    expect(chatFinetuneParams(h, 9, { checkpoint: '/c', trainFile: '/t', outDir: '/o' })).toEqual({ task: 'chat', checkpoint: '/c', trainFile: '/t', outDir: '/o', epochs: 2, batchSize: 4, lr: 0.5 * BASE_LEARNING_RATE, seed: 9 });
  });

  it('takes the hyper-parameters from method.supervised too, never from both places', () => {
    expect(requestedHyperparameters({ ...base, method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 4 } } } })).toEqual({ n_epochs: 4 });
    expect(requestedHyperparameters({ ...base, hyperparameters: { batch_size: 2 } })).toEqual({ batch_size: 2 });
    expect(() => requestedHyperparameters({ ...base, hyperparameters: { n_epochs: 1 }, method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 2 } } } })).toThrow(expect.objectContaining({ param: 'hyperparameters' }));
  });

  it('refuses what it does not implement, naming the field', () => {
    const refused = (body: Record<string, unknown>) => {
      try {
        requestedHyperparameters({ ...base, ...body });
      } catch (err) {
        return [(err as { code: string }).code, (err as { param: string }).param];
      }
      return null;
    };
    expect(refused({ integrations: [{ type: 'wandb' }] })).toEqual(['QD_UNSUPPORTED_PARAMETER', 'integrations']);
    expect(refused({ integrations: [] })).toBeNull();
    expect(refused({ integrations: null })).toBeNull();
    expect(refused({ method: { type: 'dpo' } })).toEqual(['QD_UNSUPPORTED_PARAMETER', 'method.type']);
    expect(refused({ method: { type: 'supervised', dpo: {} } })).toEqual(['QD_UNSUPPORTED_PARAMETER', 'method.dpo']);
    expect(refused({ warmup_steps: 3 })).toEqual(['QD_UNSUPPORTED_PARAMETER', 'warmup_steps']);
  });

  it("names the model OpenAI's way and refuses a name too long to deploy", () => {
    expect(fineTunedModelName('tiny', 'cus_1', 'door', 'ftjob_abc')).toBe('ft:tiny:cus_1:door:abc');
    expect(fineTunedModelName('org/m', 'cus_1', null, 'ftjob_abc')).toBe('ft:org/m:cus_1::abc');
    expect(() => fineTunedModelName('m'.repeat(100), 'cus_1', 'x'.repeat(30), 'ftjob_abc')).toThrow(expect.objectContaining({ param: 'suffix' }));
  });
});
