import { join } from 'node:path';
import { UsageError, type Command } from '../command.js';
import { executeStep, numberFlag, requiredFlag, runFlags } from './pipeline-run.js';
import { classifyFlags, classifyOptions, defaultRunFolder, trainingFlags, trainingOptions, trainingReport } from './train-flags.js';
import { chatFinetuneFlags, runChatFinetune } from './finetune-chat.js';

/** `qudao finetune`: step 4, continuing a pretrained checkpoint as a causal LM, as a classifier or on chat conversations. */
export const finetuneCommand: Command = {
  name: 'finetune',
  summary: 'Fine-tune a pretrained checkpoint on new text (--task lm), labeled text,label data (--task classify) or chat conversations (--task chat).',
  flags: {
    from: { type: 'string', doc: 'The pretrained checkpoint folder (a run\'s best/ or a bundled model).', placeholder: 'DIR' },
    task: { type: 'string', doc: 'lm (default): continue as a language model; classify: add a classification head; chat: SFT on conversations (--train FILE.jsonl).', placeholder: 'TASK' },
    'freeze-below': { type: 'string', doc: 'Classifier: freeze the base below this block (0 = embeddings only; large = head only).', placeholder: 'N' },
    ...classifyFlags,
    ...trainingFlags,
    ...chatFinetuneFlags,
    ...runFlags,
  },
  usesConfig: true,
  help: 'The data must be tokenized with the checkpoint\'s tokenizer: npx qudao data prepare ... --tokenizer DIR/tokenizer.json\nExample: npx qudao finetune --from data/runs/brown/best --task classify --data data/spam --out data/runs/spam --steps 300 --lr 5e-4\nChat: npx qudao finetune --task chat --from models/bundled/qudao-brown --train chats.jsonl --validation chats-val.jsonl --epochs 3\nA classifier reads at most --seq-len tokens per window (up to the model\'s context): --truncation head keeps the first, head+tail the first and last halves, chunk-and-pool every window (at most 8) pooled into one feature.',
  async run(ctx) {
    const checkpoint = requiredFlag(ctx.flags, 'from', 'the pretrained checkpoint folder');
    const task = typeof ctx.flags.task === 'string' ? ctx.flags.task : 'lm';
    const classify = classifyOptions(ctx.flags);
    if (Object.keys(classify).length > 0 && task !== 'classify') throw new UsageError('--pooling, --truncation and --class-weights apply to --task classify');
    const freezeBelow = numberFlag(ctx.flags, 'freeze-below');
    if (freezeBelow !== undefined && task !== 'classify') throw new UsageError('--freeze-below applies to --task classify');
    if (task === 'chat') return runChatFinetune(ctx, checkpoint);
    if (task !== 'lm' && task !== 'classify') throw new UsageError(`--task must be lm, classify or chat, got "${task}"`);
    const options = trainingOptions(ctx.flags, (data) => defaultRunFolder(join(ctx.loadConfig().dataDir, 'runs'), data, `-${task}`));
    if (typeof ctx.flags.out !== 'string') ctx.out(`run folder: ${String(options.outDir)}`);
    const params = { ...options, task, checkpoint, ...(freezeBelow === undefined ? {} : { freezeBelow }), ...classify };
    const outcome = await executeStep(ctx, 'finetune', params);
    trainingReport(ctx.out, outcome.metrics);
    return outcome.status === 'stopped' ? 130 : 0;
  },
};
