import { join } from 'node:path';
import { UsageError, type Command } from '../command.js';
import { executeStep, numberFlag, requiredFlag, runFlags } from './pipeline-run.js';
import { classifyFlags, classifyOptions, defaultRunFolder, trainingFlags, trainingOptions, trainingReport } from './train-flags.js';

/** `qudao finetune`: step 4, continuing a pretrained checkpoint as a causal LM or as a classifier. */
export const finetuneCommand: Command = {
  name: 'finetune',
  summary: 'Fine-tune a pretrained checkpoint on new text (--task lm) or labeled text,label data (--task classify).',
  flags: {
    from: { type: 'string', doc: 'The pretrained checkpoint folder (a run\'s best/ or a bundled model).', placeholder: 'DIR' },
    task: { type: 'string', doc: 'lm (default): continue as a language model; classify: add a classification head.', placeholder: 'TASK' },
    'freeze-below': { type: 'string', doc: 'Classifier: freeze the base below this block (0 = embeddings only; large = head only).', placeholder: 'N' },
    ...classifyFlags,
    ...trainingFlags,
    ...runFlags,
  },
  usesConfig: true,
  help: 'The data must be tokenized with the checkpoint\'s tokenizer: npx qudao data prepare ... --tokenizer DIR/tokenizer.json\nExample: npx qudao finetune --from data/runs/brown/best --task classify --data data/spam --out data/runs/spam --steps 300 --lr 5e-4\nA classifier reads at most --seq-len tokens per window (up to the model\'s context): --truncation head keeps the first, head+tail the first and last halves, chunk-and-pool every window (at most 8) pooled into one feature.',
  async run(ctx) {
    const checkpoint = requiredFlag(ctx.flags, 'from', 'the pretrained checkpoint folder');
    const task = typeof ctx.flags.task === 'string' ? ctx.flags.task : 'lm';
    if (task !== 'lm' && task !== 'classify') throw new UsageError(`--task must be lm or classify, got "${task}"`);
    const freezeBelow = numberFlag(ctx.flags, 'freeze-below');
    if (freezeBelow !== undefined && task !== 'classify') throw new UsageError('--freeze-below applies to --task classify');
    const classify = classifyOptions(ctx.flags);
    if (Object.keys(classify).length > 0 && task !== 'classify') throw new UsageError('--pooling, --truncation and --class-weights apply to --task classify');
    const options = trainingOptions(ctx.flags, (data) => defaultRunFolder(join(ctx.loadConfig().dataDir, 'runs'), data, `-${task}`));
    if (typeof ctx.flags.out !== 'string') ctx.out(`run folder: ${String(options.outDir)}`);
    const params = { ...options, task, checkpoint, ...(freezeBelow === undefined ? {} : { freezeBelow }), ...classify };
    const outcome = await executeStep(ctx, 'finetune', params);
    trainingReport(ctx.out, outcome.metrics);
    return outcome.status === 'stopped' ? 130 : 0;
  },
};
