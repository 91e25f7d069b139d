import type { ClassifierEvaluation, Comparison, Evaluation } from '../../pipeline/eval/index.js';
import { classifierBaselineLines, formatConfusion, lmBaselineLines } from '../../pipeline/eval/index.js';
import { UsageError, type Command } from '../command.js';
import { definedOnly, executeStep, numberFlag, requiredFlag, runFlags } from './pipeline-run.js';

/** `qudao eval`: step 5, loss and perplexity or accuracy / F1 / confusion matrix, and A/B comparison. */
export const evalCommand: Command = {
  name: 'eval',
  summary: 'Evaluate a checkpoint beside classical baselines: loss and perplexity against a Kneser-Ney n-gram (LM); accuracy, precision/recall/F1, confusion matrix against naive Bayes and logistic regression, with McNemar\'s test (classifier).',
  flags: {
    model: { type: 'string', doc: 'Checkpoint folder to evaluate.', placeholder: 'DIR' },
    data: { type: 'string', doc: 'Folder written by npx qudao data prepare (same tokenizer).', placeholder: 'DIR' },
    split: { type: 'string', doc: 'val (default) or train.', placeholder: 'SPLIT' },
    compare: { type: 'string', doc: 'A second checkpoint to score on the same split.', placeholder: 'DIR' },
    'seq-len': { type: 'string', doc: 'Tokens per window (default: the model\'s context, at most 256, as qudao train) or per example (default: as trained).', placeholder: 'N' },
    'batch-size': { type: 'string', doc: 'Default 16.', placeholder: 'N' },
    'max-batches': { type: 'string', doc: 'Score at most N batches (default all).', placeholder: 'N' },
    json: { type: 'boolean', doc: 'Print the result as JSON.' },
    ...runFlags,
  },
  usesConfig: true,
  help: 'Example: npx qudao eval --model data/runs/spam/best --data data/spam',
  async run(ctx) {
    const split = typeof ctx.flags.split === 'string' ? ctx.flags.split : 'val';
    if (split !== 'val' && split !== 'train') throw new UsageError(`--split must be val or train, got "${split}"`);
    const params = definedOnly({
      modelDir: requiredFlag(ctx.flags, 'model', 'the checkpoint folder to evaluate'),
      dataDir: requiredFlag(ctx.flags, 'data', 'a folder written by npx qudao data prepare'),
      split,
      compareWith: typeof ctx.flags.compare === 'string' ? ctx.flags.compare : undefined,
      seqLen: numberFlag(ctx.flags, 'seq-len'),
      batchSize: numberFlag(ctx.flags, 'batch-size'),
      maxBatches: numberFlag(ctx.flags, 'max-batches'),
    });
    const { metrics } = await executeStep(ctx, 'eval', params);
    if (ctx.flags.json === true) return ctx.out(JSON.stringify(metrics, null, 2));
    const comparison = metrics.comparison as Comparison | undefined;
    if (comparison) {
      printEvaluation(ctx.out, 'A', comparison.a);
      printEvaluation(ctx.out, 'B', comparison.b);
      ctx.out(`B − A ${comparison.metric}: ${comparison.delta >= 0 ? '+' : ''}${comparison.delta.toFixed(4)} → better: ${comparison.better}`);
    } else printEvaluation(ctx.out, '', metrics.evaluation as Evaluation);
  },
};

function printEvaluation(out: (line: string) => void, tag: string, e: Evaluation): void {
  const p = tag ? `${tag}: ` : '';
  if (e.task === 'lm') {
    out(`${p}${e.split}: loss ${e.loss.toFixed(4)}, perplexity ${e.perplexity.toFixed(2)} over ${e.tokens.toLocaleString('en-US')} of the split's ${e.splitTokens.toLocaleString('en-US')} tokens (windows of ${e.seqLen})`);
    for (const line of lmBaselineLines(e)) out(`${p}  ${line}`);
    return;
  }
  const c: ClassifierEvaluation = e;
  out(`${p}${c.split}: ${c.examples} examples, accuracy ${(c.accuracy * 100).toFixed(2)}%, macro F1 ${c.macro.f1.toFixed(4)}, loss ${c.loss.toFixed(4)}`);
  c.labels.forEach((name, i) => out(`${p}  ${name}: precision ${c.perClass[i]!.precision.toFixed(4)} recall ${c.perClass[i]!.recall.toFixed(4)} F1 ${c.perClass[i]!.f1.toFixed(4)} support ${c.perClass[i]!.support}`));
  for (const line of formatConfusion(c.confusion, c.labels)) out(`${p}  ${line}`);
  for (const line of classifierBaselineLines(c)) out(`${p}  ${line}`);
}
