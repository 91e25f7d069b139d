import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine/index.js';
import { SequenceClassifier } from './classifier.js';
import { MAX_CHUNKS, documentWindows, packDocuments, poolingWeights } from './classifier-input.js';
import { GPT } from './gpt.js';

let e: Engine;
beforeAll(async () => {
  e = await createEngine({ backend: 'reference' });
});
afterAll(async () => {
  await e.dispose();
});

const PAD = 0;
const doc = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

describe('what a classifier reads of a long document', () => {
  it('head keeps the first seqLen tokens', () => {
    expect(documentWindows(doc, 4, 'head', PAD)).toEqual([[1, 2, 3, 4]]);
  });
  it('head+tail keeps ceil(seqLen/2) first and floor(seqLen/2) last tokens in one window', () => {
    expect(documentWindows(doc, 4, 'head+tail', PAD)).toEqual([[1, 2, 10, 11]]);
    expect(documentWindows(doc, 5, 'head+tail', PAD)).toEqual([[1, 2, 3, 10, 11]]);
  });
  it('chunk-and-pool splits into consecutive windows, the last one shorter', () => {
    expect(documentWindows(doc, 4, 'chunk-and-pool', PAD)).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11]]);
    const long = Array.from({ length: 100 }, (_, i) => i + 1);
    const chunks = documentWindows(long, 4, 'chunk-and-pool', PAD);
    expect(chunks).toHaveLength(MAX_CHUNKS);
    expect(chunks.at(-1)).toEqual([29, 30, 31, 32]);
  });
  it('a document that fits is read whole by every strategy; an empty one is one pad token', () => {
    for (const t of ['head', 'head+tail', 'chunk-and-pool'] as const) {
      expect(documentWindows([7, 8], 4, t, PAD)).toEqual([[7, 8]]);
      expect(documentWindows([], 4, t, PAD)).toEqual([[PAD]]);
    }
  });
  it('packs windows as right-padded rows as wide as the longest, with the row-to-document map', () => {
    const b = packDocuments([doc, [7, 8]], 4, 'chunk-and-pool', PAD);
    expect(b.shape).toEqual([4, 4]);
    expect([...b.ids]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, PAD, 7, 8, PAD, PAD]);
    expect([...b.layout.lengths]).toEqual([4, 4, 3, 2]);
    expect([...b.layout.docOf]).toEqual([0, 0, 0, 1]);
    expect(b.layout.documents).toBe(2);
    expect(packDocuments([[1, 2], [3]], 8, 'head', PAD).shape).toEqual([2, 2]);
  });
  it('pooling weights: last = 1/k on each row end, mean = 1/n on every token', () => {
    const layout = { lengths: Int32Array.from([3, 1, 2]), docOf: Int32Array.from([0, 0, 1]), documents: 2 };
    const last = poolingWeights(layout, 3, 'last');
    expect([...last]).toEqual([0, 0, 0.5, 0.5, 0, 0, 0, 0, 0, /* doc 1 */ 0, 0, 0, 0, 0, 0, 0, 1, 0]);
    const mean = poolingWeights(layout, 3, 'mean');
    expect([...mean]).toEqual([0.25, 0.25, 0.25, 0.25, 0, 0, 0, 0, 0, /* doc 1 */ 0, 0, 0, 0, 0, 0, 0.5, 0.5, 0]);
  });
});

describe('classifier pooling against a hand computation', () => {
  const width = 8;
  /** A tiny GPT with a head whose bias is not zero, and its parameters as plain arrays. */
  function tiny(pooling: 'last' | 'mean'): SequenceClassifier {
    const base = new GPT(e, { vocabSize: 16, contextLength: 8, nLayer: 2, nHead: 2, dModel: width }, { seed: 3 });
    const clf = new SequenceClassifier(base, { numClasses: 2, padId: PAD, pooling, seed: 5 });
    clf.score.bias!.data.set([0.3, -0.2]);
    clf.score.weight.data.set(Array.from({ length: width * 2 }, (_, i) => Math.sin(i + 1)));
    clf.train(false);
    return clf;
  }
  /** Token states of one window computed alone (no padding anywhere), as rows of `width` numbers. */
  function statesAlone(clf: SequenceClassifier, tokens: number[]): number[][] {
    const h = clf.base.features(Int32Array.from(tokens), [1, tokens.length]).toArray();
    return tokens.map((_, t) => Array.from(h.subarray(t * width, (t + 1) * width)));
  }
  /** logits_c = Σ_j pooled_j · W[j, c] + b_c, the head's Linear (weight [width, classes]) by hand. */
  function head(clf: SequenceClassifier, pooled: number[]): number[] {
    const W = clf.score.weight.data;
    const b = clf.score.bias!.data;
    return [0, 1].map((c) => pooled.reduce((acc, v, j) => acc + v * W[j * 2 + c]!, b[c]!));
  }
  const meanOf = (vs: number[][]): number[] => vs[0]!.map((_, j) => vs.reduce((acc, v) => acc + v[j]!, 0) / vs.length);
  const docA = [3, 5, 7];
  const docB = [2, 9, 4, 6, 1];

  it('mean pools the non-pad token states of each row, padding left out', () => {
    const clf = tiny('mean');
    e.noGrad(() => {
      const expected = [docA, docB].map((d) => head(clf, meanOf(statesAlone(clf, d))));
      const got = clf.forwardDocuments([docA, docB], { seqLen: 8, truncation: 'head' }).logits.toArray();
      expect(got.length).toBe(4);
      expected.flat().forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
    });
  });

  it('last pools the state of the last non-pad token', () => {
    const clf = tiny('last');
    e.noGrad(() => {
      const expected = [docA, docB].map((d) => head(clf, statesAlone(clf, d).at(-1)!));
      const got = clf.forwardDocuments([docA, docB], { seqLen: 8, truncation: 'head' }).logits.toArray();
      expected.flat().forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
      // The same ids without a layout (right-padded rows): the last non-pad token is found from the ids.
      const ids = Int32Array.from([...docA, PAD, PAD, ...docB]);
      const plain = clf.forward(ids, [2, 5]).logits.toArray();
      expected.flat().forEach((v, i) => expect(plain[i]).toBeCloseTo(v, 5));
    });
  });

  it('chunk-and-pool: mean over every token of every chunk; last: the mean of the chunks\' last states', () => {
    const chunks = [[2, 9], [4, 6], [1]];
    const mean = tiny('mean');
    e.noGrad(() => {
      const all = chunks.flatMap((c) => statesAlone(mean, c));
      const got = mean.forwardDocuments([docB], { seqLen: 2, truncation: 'chunk-and-pool' }).logits.toArray();
      head(mean, meanOf(all)).forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
    });
    const last = tiny('last');
    e.noGrad(() => {
      const ends = chunks.map((c) => statesAlone(last, c).at(-1)!);
      const got = last.forwardDocuments([docB], { seqLen: 2, truncation: 'chunk-and-pool' }).logits.toArray();
      head(last, meanOf(ends)).forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
    });
  });

  it('the class-weighted loss of the head is the weighted mean of its documents\' losses', () => {
    const base = new GPT(e, { vocabSize: 16, contextLength: 8, nLayer: 1, nHead: 2, dModel: width }, { seed: 3 });
    const clf = new SequenceClassifier(base, { numClasses: 2, padId: PAD, pooling: 'mean', classWeights: [1, 3], seed: 5 });
    clf.train(false);
    e.noGrad(() => {
      const out = clf.forwardDocuments([docA, docB, [4]], { seqLen: 8, truncation: 'head' }, Int32Array.from([0, 1, 1]));
      const l = out.logits.toArray();
      const nll = (r: number, t: number) => -(l[r * 2 + t]! - Math.log(Math.exp(l[r * 2]!) + Math.exp(l[r * 2 + 1]!)));
      expect(out.loss!.item()).toBeCloseTo((nll(0, 0) + 3 * nll(1, 1) + 3 * nll(2, 1)) / 7, 5);
    });
    expect(() => new SequenceClassifier(base, { numClasses: 2, padId: PAD, classWeights: [1] })).toThrow(/1 class weights for 2 classes/);
  });
});
