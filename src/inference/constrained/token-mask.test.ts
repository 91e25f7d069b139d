import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteTokenizer, tokenizerFromJSON, type TokenizerJSON } from '../../tokenizer/index.js';
import { randomObjectSchema } from '../../../test/support/json-schemas.js';
import { compileJsonSchema } from './grammar.js';
import { GrammarMasks, MaskCache, tokenVocabulary } from './token-mask.js';

const bundled = tokenizerFromJSON(JSON.parse(readFileSync(new URL('../../../models/bundled/qudao-brown/tokenizer.json', import.meta.url), 'utf8')) as TokenizerJSON);

describe('token masks over a BPE vocabulary', () => {
  const ajv = new Ajv({ strict: false });

  it('random schemas, random allowed tokens: the decoded text always parses and validates, within the budget', () => {
    const vocab = tokenVocabulary(bundled, bundled.vocabSize);
    fc.assert(
      fc.property(randomObjectSchema, fc.array(fc.nat(), { minLength: 1, maxLength: 64 }), fc.integer({ min: 0, max: 60 }), (schema, picks, slack) => {
        const masks = new GrammarMasks(compileJsonSchema(schema), vocab);
        const shortest = masks.automaton.minBytesToFinish(masks.automaton.initial);
        fc.pre(shortest < 400);
        const budget = shortest + slack;
        const c = masks.start();
        const logits = new Float32Array(bundled.vocabSize);
        const ids: number[] = [];
        while (!c.complete) {
          expect(ids.length).toBeLessThan(budget);
          logits.fill(0);
          expect(c.mask(logits, budget - ids.length - 1)).toBe(true);
          const allowed = [...logits.keys()].filter((i) => logits[i] === 0);
          expect(allowed).not.toContain(bundled.eotId);
          const id = allowed[picks[ids.length % picks.length]! % allowed.length]!;
          c.advance(id);
          ids.push(id);
        }
        const value: unknown = JSON.parse(bundled.decode(ids));
        expect(ajv.validate(schema, value)).toBe(true);
      }),
      { seed: 77, numRuns: 60 },
    );
  });

  it('works on the byte tokenizer too (every byte a token)', () => {
    const tok = byteTokenizer();
    const masks = new GrammarMasks(compileJsonSchema({ type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'], additionalProperties: false }), tokenVocabulary(tok, tok.vocabSize));
    const c = masks.start();
    const text = '{"ok":true}';
    for (const id of tok.encode(text)) {
      const logits = new Float32Array(tok.vocabSize);
      c.mask(logits, 100);
      expect(logits[id]).toBe(0);
      c.advance(id);
    }
    expect(c.complete).toBe(true);
  });

  it('keeps the cache of every grammar within its byte budget, dropping the least recently used', () => {
    const vocab = tokenVocabulary(bundled, bundled.vocabSize);
    const cache = new MaskCache(200_000);
    const masks = new GrammarMasks(compileJsonSchema({ type: 'object', properties: { a: { type: 'array', items: { type: 'integer' }, maxItems: 40 } }, required: ['a'], additionalProperties: false }), vocab, cache);
    const a = masks.automaton;
    let state = a.run(Buffer.from('{"a":['));
    for (let i = 0; i < 40; i++) {
      masks.entry(state);
      state = a.run(Buffer.from(i === 39 ? '1' : '1,'), state);
    }
    const held = cache.heldBytes;
    expect(held).toBeLessThanOrEqual(200_000);
    expect(held).toBeGreaterThan(0);
  });
});
