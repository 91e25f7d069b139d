import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, Rng, type Engine } from '../engine/index.js';
import { GPT } from '../models/index.js';
import { byteTokenizer } from '../tokenizer/index.js';
import { generate, type GeneratedToken } from './generator.js';
import { adjustLogits, topLogprobs } from './sampler.js';
import { TextGenerator, type PieceDetail } from './text.js';

let e: Engine;
let gpt: GPT;
let bytes: GPT;
const V = 40;

/** A model with weights large enough that its distributions are far from flat. */
function sharpen(model: GPT, seed: number): void {
  const r = new Rng(seed);
  for (const [n, p] of model.parameters()) if (!n.includes('ln_')) for (let i = 0; i < p.size; i++) p.data[i] = (r.uniform() - 0.5) * 0.6;
  model.train(false);
}

beforeAll(async () => {
  e = await createEngine({ threads: 1 });
  gpt = new GPT(e, { vocabSize: V, contextLength: 32, nLayer: 2, nHead: 2, dModel: 16 }, { seed: 4 });
  sharpen(gpt, 8);
  bytes = new GPT(e, { vocabSize: 256, contextLength: 64, nLayer: 1, nHead: 2, dModel: 16 }, { seed: 5 });
  sharpen(bytes, 9);
});
afterAll(async () => {
  await e.dispose();
});

/** The model's next-token logits after each prefix of `ids`, computed by a full forward (no KV cache). */
function logitsAfter(ids: number[]): Float32Array[] {
  e.resetArena();
  const full = gpt.forward(Int32Array.from(ids), [1, ids.length]).logits.toArray();
  return ids.map((_, t) => full.subarray(t * V, (t + 1) * V));
}

function logSoftmax(logits: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!);
  let z = 0;
  for (let i = 0; i < logits.length; i++) z += Math.exp(logits[i]! - max);
  return Array.from(logits, (l) => l - max - Math.log(z));
}

describe('log-probabilities and logit adjustments', () => {
  it('reports each token\'s log-probability and top alternatives as a softmax of the logits computed independently', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: V - 1 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 8 }), async (prompt, seed, k) => {
        const seen: GeneratedToken[] = [];
        const out = await generate(gpt, prompt, { maxTokens: 6, temperature: 1, seed, topLogprobs: k, onToken: (t) => void seen.push(t) });
        const rows = logitsAfter([...prompt, ...out.tokens]);
        let sum = 0;
        for (const [j, t] of seen.entries()) {
          const expected = logSoftmax(rows[prompt.length - 1 + j]!);
          expect(t.logprob).toBeLessThanOrEqual(0);
          expect(t.logprob).toBeCloseTo(expected[t.token]!, 4);
          sum += t.logprob;
          const top = t.top!;
          expect(top).toHaveLength(k);
          for (let i = 1; i < top.length; i++) expect(top[i - 1]!.logprob).toBeGreaterThanOrEqual(top[i]!.logprob);
          const order = expected.map((lp, id) => ({ id, lp })).sort((a, b) => b.lp - a.lp || a.id - b.id);
          top.forEach((a, i) => expect(a.logprob).toBeCloseTo(order[i]!.lp, 4));
          // The chosen token is among the alternatives whenever it is at least as likely as the k-th.
          if (t.logprob >= top[k - 1]!.logprob + 1e-6) expect(top.map((a) => a.token)).toContain(t.token);
        }
        expect(sum).toBeLessThanOrEqual(0);
      }),
      { numRuns: 15, seed: 11 },
    );
  });

  it('applies frequency and presence penalties as OpenAI documents: logit − count·frequency − (count > 0)·presence', async () => {
    await fc.assert(
      fc.asyncProperty(fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true }), fc.array(fc.integer({ min: 0, max: V - 1 }), { minLength: 1, maxLength: 4 }), async (frequencyPenalty, presencePenalty, prompt) => {
        const seen: GeneratedToken[] = [];
        const out = await generate(gpt, prompt, { maxTokens: 8, temperature: 0, frequencyPenalty, presencePenalty, topLogprobs: 3, onToken: (t) => void seen.push(t) });
        const rows = logitsAfter([...prompt, ...out.tokens]);
        const counts = new Map<number, number>();
        for (const [j, t] of seen.entries()) {
          const raw = rows[prompt.length - 1 + j]!;
          // Computed here from the raw logits, not with the code under test.
          const shaped = Array.from(raw, (l, id) => {
            const c = counts.get(id) ?? 0;
            return l - c * frequencyPenalty - (c > 0 ? presencePenalty : 0);
          });
          const expected = logSoftmax(shaped);
          const argmax = expected.indexOf(Math.max(...expected));
          expect(t.token).toBe(argmax);
          expect(t.logprob).toBeCloseTo(expected[t.token]!, 4);
          counts.set(t.token, (counts.get(t.token) ?? 0) + 1);
        }
      }),
      { numRuns: 15, seed: 12 },
    );
  });

  it('adds logit_bias, and a bias of −100 bans the token outright', async () => {
    const plain = await generate(gpt, [3, 4], { maxTokens: 5, temperature: 0 });
    const first = plain.tokens[0]!;
    const banned = await generate(gpt, [3, 4], { maxTokens: 5, temperature: 0, logitBias: new Map([[first, -100]]) });
    expect(banned.tokens).not.toContain(first);
    const forced = await generate(gpt, [3, 4], { maxTokens: 3, temperature: 1, seed: 1, logitBias: new Map([[17, 100]]) });
    expect(forced.tokens).toEqual([17, 17, 17]);
    // Sampling at temperature 1 never draws a banned token either.
    const many = await generate(gpt, [1], { maxTokens: 25, temperature: 1.5, seed: 3, logitBias: new Map(Array.from({ length: V - 2 }, (_, i) => [i, -100] as [number, number])) });
    for (const t of many.tokens) expect(t).toBeGreaterThanOrEqual(V - 2);
    const shaped = adjustLogits(Float32Array.from([1, 2, 3]), { logitBias: new Map([[0, 0.5], [2, -100]]) }, new Map());
    expect(Array.from(shaped)).toEqual([1.5, 2, -Infinity]);
    expect(topLogprobs(shaped, 3).map((t) => t.token)).toEqual([1, 0]);
  });
});

describe('stop sequences in a stream', () => {
  it('never hands out part of a stop sequence, and cuts the text before it', async () => {
    const text = new TextGenerator(bytes, byteTokenizer());
    // Printable ASCII only (one character per token), by banning every other byte.
    const logitBias = new Map(Array.from({ length: 256 }, (_, b) => b).filter((b) => b < 32 || b > 126).map((b) => [b, -100] as [number, number]));
    try {
      const whole = await text.generate({ prompt: 'ab', maxTokens: 30, temperature: 0, logitBias });
      expect(whole.text.length).toBeGreaterThan(8);
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 2, max: 4 }), async (at, length) => {
          const stop = whole.text.slice(at, at + length);
          const pieces: string[] = [];
          const details: PieceDetail[] = [];
          const out = await text.generate({
            prompt: 'ab',
            maxTokens: 30,
            temperature: 0,
            logitBias,
            stop: [stop],
            logprobs: true,
            onText: (piece, detail) => {
              pieces.push(piece);
              details.push(detail);
            },
          });
          const expected = whole.text.slice(0, whole.text.indexOf(stop));
          expect(out.text).toBe(expected);
          expect(pieces.join('')).toBe(expected);
          expect(out.finishReason).toBe('stop');
          // Every token shown is reported once, in order; the stop's own tokens are not.
          expect(details.flatMap((d) => d.logprobs ?? []).map((t) => t.token).join('')).toBe(expected);
        }),
        { numRuns: 12, seed: 13 },
      );
      // Text held back because it might begin a stop sequence is handed out when the answer ends without one.
      const never = whole.text.slice(-3) + '\u0001';
      const pieces: string[] = [];
      const out = await text.generate({ prompt: 'ab', maxTokens: 30, temperature: 0, logitBias, stop: [never], onText: (p) => void pieces.push(p) });
      expect(pieces.join('')).toBe(whole.text);
      expect(out.text).toBe(whole.text);
    } finally {
      text.dispose();
    }
  });
});
