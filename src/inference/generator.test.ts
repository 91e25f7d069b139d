import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, Rng, type Engine } from '../engine/index.js';
import { GPT, LstmLM } from '../models/index.js';
import { generate, generateBatch, streamTokens, BatchGenerator } from './generator.js';
import { sampleToken } from './sampler.js';

let e: Engine;
let gpt: GPT;
beforeAll(async () => {
  e = await createEngine({ threads: 2 });
  gpt = new GPT(e, { vocabSize: 40, contextLength: 16, nLayer: 2, nHead: 2, dModel: 16 }, { seed: 4 });
  // Larger weights than the init so that greedy paths are not flat.
  const r = new Rng(8);
  for (const [n, p] of gpt.parameters()) if (!n.includes('ln_')) for (let i = 0; i < p.size; i++) p.data[i] = (r.uniform() - 0.5) * 0.6;
  gpt.train(false);
});
afterAll(async () => {
  await e.dispose();
});

describe('KV-cached decoding', () => {
  it('gives the same logits as the full forward at every position', () => {
    const ids = Int32Array.from([5, 1, 33, 7, 7, 20, 2]);
    e.resetArena();
    const full = gpt.forward(ids, [1, ids.length]).logits.toArray();
    const cache = gpt.createDecodeState(3);
    const V = 40;
    const first = gpt.decode(cache, ids.subarray(0, 3), new Int32Array(3).fill(2));
    for (let v = 0; v < V; v++) expect(first[v]).toBeCloseTo(full[2 * V + v]!, 4);
    for (let t = 3; t < ids.length; t++) {
      const step = gpt.decode(cache, ids.subarray(t, t + 1), Int32Array.from([2]));
      for (let v = 0; v < V; v++) expect(step[v]).toBeCloseTo(full[t * V + v]!, 4);
    }
    expect(cache.length(2)).toBe(ids.length);
    cache.dispose();
  });
});

describe('generation', () => {
  it('greedy generation in a batch equals one request at a time', async () => {
    const prompts = [[1, 2, 3], [9], [30, 31, 32, 33, 34]];
    const alone = [];
    for (const p of prompts) alone.push((await generate(gpt, p, { maxTokens: 6, temperature: 0 })).tokens);
    const together = await generateBatch(gpt, prompts.map((p) => ({ prompt: p, options: { maxTokens: 6, temperature: 0 } })));
    expect(together.map((r) => r.tokens)).toEqual(alone);
    expect(together[0]!.finishReason).toBe('length');
  });

  it('seeded sampling is reproducible, and top-k 1 is greedy', async () => {
    const opts = { maxTokens: 8, temperature: 1.2, topP: 0.9, seed: 77 };
    const a = await generate(gpt, [4, 5], opts);
    const b = await generate(gpt, [4, 5], opts);
    expect(a.tokens).toEqual(b.tokens);
    const greedy = await generate(gpt, [4, 5], { maxTokens: 8, temperature: 0 });
    const k1 = await generate(gpt, [4, 5], { maxTokens: 8, temperature: 1, topK: 1, seed: 1 });
    expect(k1.tokens).toEqual(greedy.tokens);
  });

  it('stops at a stop token without emitting it', async () => {
    const greedy = await generate(gpt, [4, 5], { maxTokens: 6, temperature: 0 });
    const stop = greedy.tokens[greedy.tokens.length - 1]!;
    const stopped = await generate(gpt, [4, 5], { maxTokens: 6, temperature: 0, stopTokenIds: [stop] });
    expect(stopped.finishReason).toBe('stop');
    expect(stopped.tokens).toEqual(greedy.tokens.slice(0, greedy.tokens.indexOf(stop)));
  });

  it('streams tokens through an async iterator and a callback', async () => {
    const seen: number[] = [];
    const stream = streamTokens(gpt, [3], { maxTokens: 5, temperature: 0, onToken: (t) => void seen.push(t.token) });
    const iterated: number[] = [];
    for await (const t of stream) iterated.push(t.token);
    const result = await stream.result;
    expect(iterated).toEqual(result.tokens);
    expect(seen).toEqual(result.tokens);
    expect(result.logprobs.every((l) => l <= 0)).toBe(true);
  });

  it('cancels through an AbortSignal, keeping what was generated', async () => {
    const ctrl = new AbortController();
    const r = await generate(gpt, [3], { maxTokens: 12, temperature: 0, signal: ctrl.signal, onToken: (t) => { if (t.index === 1) ctrl.abort(); } });
    expect(r.finishReason).toBe('cancelled');
    expect(r.tokens.length).toBe(2);
  });

  it('ends at the context limit', async () => {
    const r = await generate(gpt, Array.from({ length: 10 }, (_, i) => i), { maxTokens: 100, temperature: 0 });
    expect(r.finishReason).toBe('length');
    expect(r.tokens.length).toBe(16 - 10 + 1);
  });

  it('serves requests that arrive while others run, reusing cache rows', async () => {
    const gen = new BatchGenerator(gpt, { maxBatch: 2 });
    const results = await Promise.all([[1], [2, 3], [4, 5, 6]].map((p) => gen.submit(p, { maxTokens: 3, temperature: 0 }).result));
    const alone = await generate(gpt, [4, 5, 6], { maxTokens: 3, temperature: 0 });
    expect(results[2]!.tokens).toEqual(alone.tokens);
    gen.dispose();
  });

  it('decodes the LSTM model incrementally', async () => {
    const m = new LstmLM(e, { vocabSize: 20, embedDim: 8, hiddenSize: 8, numLayers: 2 }, { seed: 1 });
    const [a, b] = await generateBatch(m, [{ prompt: [1, 2], options: { maxTokens: 4, temperature: 0 } }, { prompt: [3], options: { maxTokens: 4, temperature: 0 } }]);
    expect(a!.tokens).toEqual((await generate(m, [1, 2], { maxTokens: 4, temperature: 0 })).tokens);
    expect(b!.tokens.length).toBe(4);
  });

  it('rejects bad options up front', () => {
    const gen = new BatchGenerator(gpt);
    expect(() => gen.submit([1], { maxTokens: 2, temperature: -1 })).toThrow(/temperature/);
    expect(() => gen.submit([1], { maxTokens: 2, topP: 0 })).toThrow(/topP/);
    expect(() => gen.submit([99], { maxTokens: 2 })).toThrow(/vocabulary/);
    expect(() => gen.submit([], { maxTokens: 2 })).toThrow(/at least one token/);
    gen.dispose();
  });
});

describe('sampler', () => {
  const logits = Float32Array.from([0, 3, 1, 2.9]);
  it('temperature 0 is argmax; a tiny top-p keeps only the best', () => {
    expect(sampleToken(logits, { temperature: 0 }, new Rng(1)).token).toBe(1);
    for (let s = 0; s < 20; s++) expect(sampleToken(logits, { topP: 0.01 }, new Rng(s)).token).toBe(1);
  });
  it('top-k restricts the candidates and frequencies follow the softmax', () => {
    const r = new Rng(5);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[sampleToken(logits, { topK: 2 }, r).token]!++;
    expect(counts[0]! + counts[2]!).toBe(0);
    const p1 = Math.exp(3) / (Math.exp(3) + Math.exp(2.9));
    expect(counts[1]! / 4000).toBeCloseTo(p1, 1);
  });
});

describe('a consumer that holds a request (backpressure)', () => {
  it('computes no further token of a held request while the others keep decoding, and resumes it unchanged', async () => {
    const greedy = (await generate(gpt, [4, 5], { maxTokens: 6, temperature: 0 })).tokens;
    const gen = new BatchGenerator(gpt, { maxBatch: 2 });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const seen: number[] = [];
    const a = gen.submit([4, 5], { maxTokens: 6, temperature: 0, onToken: (t) => (seen.push(t.token), t.index === 1 ? held : undefined) });
    const b = await gen.submit([9], { maxTokens: 8, temperature: 0 }).result;
    // b ran all of its 8 steps while a stayed at the token that holds it.
    expect(b.tokens).toHaveLength(8);
    expect(seen).toHaveLength(2);
    release();
    const done = await a.result;
    expect(done.tokens).toEqual(greedy);
    gen.dispose();
  });

  it('ends a held request as cancelled when it is aborted', async () => {
    const gen = new BatchGenerator(gpt, { maxBatch: 1 });
    const abort = new AbortController();
    const stream = gen.submit([4, 5], { maxTokens: 6, temperature: 0, signal: abort.signal, onToken: () => new Promise<void>(() => {}) });
    await new Promise((r) => setTimeout(r, 5));
    abort.abort();
    const r = await stream.result;
    expect(r.finishReason).toBe('cancelled');
    expect(r.tokens).toHaveLength(1);
    gen.dispose();
  });
});
