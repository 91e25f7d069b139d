import Ajv from 'ajv';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, loadCheckpoint, type Engine } from '../../src/engine/index.js';
import { JsonAutomaton, TextGenerator, anyJsonObject, compileJsonSchema, compileToolCall } from '../../src/inference/index.js';
import { modelFromCheckpoint } from '../../src/models/index.js';
import { tokenizerFromJSON, type TokenizerJSON } from '../../src/tokenizer/index.js';
import { randomObjectSchema } from '../support/json-schemas.js';

/**
 * Constrained decoding with the bundled model (qudao-brown, 4,096-token byte-level BPE, trained on prose):
 * for random schemas of the supported subset, what it generates parses and validates with ajv, within a
 * max_tokens that covers the shortest valid text (the mask keeps the answer finishable).
 */
describe('constrained generation with the bundled model', () => {
  let engine: Engine;
  let text: TextGenerator;
  const ajv = new Ajv({ strict: false });

  beforeAll(async () => {
    const checkpoint = await loadCheckpoint(new URL('../../models/bundled/qudao-brown', import.meta.url).pathname);
    engine = await createEngine({ threads: 1 });
    const { model } = modelFromCheckpoint(engine, checkpoint);
    text = new TextGenerator(model, tokenizerFromJSON(checkpoint.tokenizer as TokenizerJSON), { maxBatch: 4 });
  }, 60_000);
  afterAll(() => {
    text?.dispose();
    engine?.dispose();
  });

  it('random schemas: every generated text parses and validates against its schema', async () => {
    await fc.assert(
      fc.asyncProperty(randomObjectSchema, fc.integer({ min: 0, max: 2 ** 31 }), fc.constantFrom(0, 0.7, 1.2), async (schema, seed, temperature) => {
        const grammar = compileJsonSchema(schema);
        const shortest = new JsonAutomaton(grammar).minBytesToFinish(new JsonAutomaton(grammar).initial);
        fc.pre(shortest <= 150);
        const o = await text.generate({ prompt: 'User: answer in JSON\nAssistant:', maxTokens: shortest + 40, temperature, seed, grammar });
        expect(o.finishReason).toBe('stop');
        expect(o.completionTokens).toBeLessThanOrEqual(shortest + 40);
        const value: unknown = JSON.parse(o.text);
        if (!ajv.validate(schema, value)) throw new Error(`${o.text} does not match ${JSON.stringify(schema)}: ${ajv.errorsText()}`);
      }),
      { seed: 4242, numRuns: 12 },
    );
  }, 300_000);

  it('json_object: a JSON object, also when max_tokens is exactly the shortest text', async () => {
    const grammar = anyJsonObject();
    for (const [maxTokens, seed] of [[2, 1], [30, 2], [30, 3]] as const) {
      const o = await text.generate({ prompt: 'The', maxTokens, temperature: 1, seed, grammar });
      expect(o.finishReason).toBe('stop');
      const value: unknown = JSON.parse(o.text);
      expect(typeof value === 'object' && value !== null && !Array.isArray(value)).toBe(true);
    }
  }, 120_000);

  it('below the shortest text, max_tokens cuts it: finish reason length, not a fake stop', async () => {
    const grammar = compileToolCall([{ name: 'lookup', parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'], additionalProperties: false } }]);
    const o = await text.generate({ prompt: 'The', maxTokens: 6, temperature: 1, seed: 5, grammar });
    expect(o.finishReason).toBe('length');
    expect(o.completionTokens).toBe(6);
    expect(() => JSON.parse(o.text)).toThrow();
  }, 60_000);
});
