/**
 * Throughput and dedupe figures on the Brown corpus, run by hand (not a test; numbers depend on the machine):
 * `npx tsx src/pipeline/data/measure.ts [vocabSize ...]`. Reports BPE training time, encode speed in MB of
 * UTF-8 per second (cold piece cache, then warm) against js-tiktoken as a reference, and how many documents
 * and paragraphs the exact and near-duplicate filters remove.
 */
import { Tiktoken } from 'js-tiktoken/lite';
import r50kBase from 'js-tiktoken/ranks/r50k_base';
import { gpt2Tokenizer, trainBpe } from '../../tokenizer/index.js';
import { silentProgress } from '../progress.js';
import { readBrownCorpus } from './brown.js';
import { dedupe } from './dedupe.js';

type Encoder = { encode(text: string): number[] };

function encodeRate(tok: Encoder, texts: readonly string[], mb: number, passes: readonly string[]): string {
  return passes
    .map((pass) => {
      const t0 = performance.now();
      let n = 0;
      for (const t of texts) n += tok.encode(t).length;
      const s = (performance.now() - t0) / 1000;
      return `${pass} ${(mb / s).toFixed(1)} MB/s (${n} tokens)`;
    })
    .join(', ');
}

function dedupeLine(label: string, texts: readonly string[], opts: Parameters<typeof dedupe>[1]): string {
  const t0 = performance.now();
  const r = dedupe(texts, opts, silentProgress());
  return `${label}: ${texts.length} in, ${r.exact} exact + ${r.near} near duplicates (${((performance.now() - t0) / 1000).toFixed(2)} s)`;
}

const docs = await readBrownCorpus();
const texts = docs.map((d) => d.text);
const mb = texts.reduce((s, t) => s + Buffer.byteLength(t), 0) / 1e6;
console.log(`Brown corpus, tags stripped: ${texts.length} files, ${mb.toFixed(2)} MB of UTF-8`);

const sizes = process.argv.slice(2).map(Number);
for (const vocabSize of sizes.length ? sizes : [4096 + 257]) {
  const t0 = performance.now();
  const tok = trainBpe(texts, { vocabSize });
  console.log(`trainBpe to ${tok.vocabSize} ids (${tok.vocabSize - 257} merges): ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  console.log(`  encode: ${encodeRate(tok, texts, mb, ['cold', 'warm'])}`);
}
const t0 = performance.now();
const gpt2 = gpt2Tokenizer();
console.log(`gpt2Tokenizer() build: ${((performance.now() - t0) / 1000).toFixed(2)} s`);
console.log(`  encode: ${encodeRate(gpt2, texts, mb, ['cold', 'warm'])}`);
console.log(`  js-tiktoken r50k_base, same text: ${encodeRate(new Tiktoken(r50kBase), texts, mb, ['run 1', 'run 2'])}`);

const paragraphs = texts.flatMap((t) => t.split('\n'));
console.log(dedupeLine('documents (files)', texts, {}));
console.log(dedupeLine('paragraphs, 5-word shingles, Jaccard 0.8', paragraphs, {}));
console.log(dedupeLine('paragraphs, 5-char shingles, Jaccard 0.8', paragraphs, { shingle: 'char' }));
