import { describe, expect, it } from 'vitest';
import { parameterCount, PRESETS, presetSpec } from '../models/index.js';
import { presetNames } from '../shared/contract/pipeline.js';
import { presetTable, trainingFlopsPerToken } from './presets.js';

describe('model presets (step 2)', () => {
  it('offers every preset through the contract, which lists their names (it may not import the models)', () => {
    expect([...presetNames].sort()).toEqual(Object.keys(PRESETS).sort());
  });

  it('lists tiny, mid, small and the seed LSTM with the tokenizer vocabulary', () => {
    const rows = presetTable(null, 4096);
    expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(['tiny', 'small', 'mid', 'gpt2', 'lstm-seed']));
    const lstm = rows.find((r) => r.name === 'lstm-seed')!;
    expect(lstm.config).toMatchObject({ embedDim: 256, hiddenSize: 512, numLayers: 2, vocabSize: 4096 });
    expect(lstm.parameters).toBe(parameterCount(presetSpec('lstm-seed', { vocabSize: 4096 })));
    expect(rows.every((r) => r.estTokensPerSec === null && r.trainMemoryBytes > 4 * 4 * r.parameters)).toBe(true);
  });

  it('counts 6 FLOPs per weight in a product plus attention (Kaplan et al.) and scales a measured rate', () => {
    const spec = presetSpec('tiny', { vocabSize: 256 });
    if (spec.kind !== 'gpt') throw new Error('tiny is a GPT');
    const { contextLength: P, dModel: C, nLayer: L } = spec.config;
    expect(trainingFlopsPerToken(spec, 64)).toBe(6 * (parameterCount(spec) - P * C) + 12 * L * 64 * C);
    const tiny = presetTable(1e9, 256).find((r) => r.name === 'tiny')!;
    expect(tiny.estTokensPerSec).toBe(Math.round(1e9 / tiny.flopsPerToken));
  });
});
