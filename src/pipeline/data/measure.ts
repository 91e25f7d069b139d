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

/**
 * Runs `fn`, returning wall seconds and CPU seconds of this process. On a shared machine the CPU figure is the
 * one to quote: wall time grows with other people's load, CPU time barely does.
 */
function timed<T>(fn: () => T): { value: T; wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const c = process.cpuUsage(c0);
  return { value, wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

const secs = (t: { wall: number; cpu: number }) => `${t.wall.toFixed(2)} s wall, ${t.cpu.toFixed(2)} s CPU`;

function encodeRate(tok: Encoder, texts: readonly string[], mb: number, passes: readonly string[]): string {
  return passes
    .map((pass) => {
      const t = timed(() => texts.reduce((n, text) => n + tok.encode(text).length, 0));
      return `${pass} ${(mb / t.cpu).toFixed(1)} MB per CPU-s, ${(mb / t.wall).toFixed(1)} MB/s wall (${t.value} tokens)`;
    })
    .join(', ');
}

function dedupeLine(label: string, texts: readonly string[], opts: Parameters<typeof dedupe>[1]): string {
  const t = timed(() => dedupe(texts, opts, silentProgress()));
  return `${label}: ${texts.length} in, ${t.value.exact} exact + ${t.value.near} near duplicates (${secs(t)})`;
}

const docs = await readBrownCorpus();
const texts = docs.map((d) => d.text);
const mb = texts.reduce((s, t) => s + Buffer.byteLength(t), 0) / 1e6;
console.log(`Brown corpus, tags stripped: ${texts.length} files, ${mb.toFixed(2)} MB of UTF-8`);

const sizes = process.argv.slice(2).map(Number);
for (const vocabSize of sizes.length ? sizes : [4096 + 257]) {
  const t = timed(() => trainBpe(texts, { vocabSize }));
  const tok = t.value;
  console.log(`trainBpe to ${tok.vocabSize} ids (${tok.vocabSize - 257} merges): ${secs(t)}`);
  console.log(`  encode: ${encodeRate(tok, texts, mb, ['cold', 'warm'])}`);
}
const g = timed(() => gpt2Tokenizer());
const gpt2 = g.value;
console.log(`gpt2Tokenizer() build: ${secs(g)}`);
console.log(`  encode: ${encodeRate(gpt2, texts, mb, ['cold', 'warm'])}`);
console.log(`  js-tiktoken r50k_base, same text: ${encodeRate(new Tiktoken(r50kBase), texts, mb, ['run 1', 'run 2'])}`);

const paragraphs = texts.flatMap((t) => t.split('\n'));
console.log(dedupeLine('documents (files)', texts, {}));
console.log(dedupeLine('paragraphs, 5-word shingles, Jaccard 0.8', paragraphs, {}));
console.log(dedupeLine('paragraphs, 5-char shingles, Jaccard 0.8', paragraphs, { shingle: 'char' }));
