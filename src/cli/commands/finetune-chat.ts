import { basename, extname, join } from 'node:path';
import { UsageError, type CommandContext, type FlagSpec } from '../command.js';
import { executeStep, numberFlag } from './pipeline-run.js';
import { defaultRunFolder, trainingOptions, trainingReport } from './train-flags.js';

/** The flags `qudao finetune --task chat` adds (OpenAI chat fine-tuning JSONL files). */
export const chatFinetuneFlags: Record<string, FlagSpec> = {
  train: { type: 'string', doc: 'Chat: the training file, OpenAI chat fine-tuning JSONL ({"messages": [...]} per line).', placeholder: 'FILE' },
  validation: { type: 'string', doc: 'Chat: a validation file in the same format (its loss is on the assistant answers).', placeholder: 'FILE' },
  epochs: { type: 'string', doc: 'Chat: passes over the training file (default 3; or give --steps).', placeholder: 'N' },
  template: { type: 'string', doc: 'Chat: the chat template to train and serve with: chatml (default) or plain.', placeholder: 'NAME' },
  'no-packing': { type: 'boolean', doc: 'Chat: one conversation per sequence instead of packing short ones together (packed ones attend only to themselves; the LSTM never packs).' },
};

/**
 * `qudao finetune --task chat --train FILE.jsonl [--validation FILE.jsonl] --from DIR`: the chat branch of
 * the finetune command. The run folder defaults to `<data-dir>/runs/<train file's name>-chat`.
 */
export async function runChatFinetune(ctx: CommandContext, checkpoint: string): Promise<number> {
  const train = ctx.flags.train;
  if (typeof train !== 'string') throw new UsageError('--train is required with --task chat: a chat fine-tuning JSONL file');
  if (typeof ctx.flags.data === 'string') throw new UsageError('--task chat reads --train FILE.jsonl, not --data');
  const template = ctx.flags.template;
  if (template !== undefined && template !== 'chatml' && template !== 'plain') throw new UsageError(`--template must be chatml or plain, got "${String(template)}"`);
  const name = basename(train, extname(train));
  const { dataDir: _dataDir, ...options } = trainingOptions({ ...ctx.flags, data: name }, () => defaultRunFolder(join(ctx.loadConfig().dataDir, 'runs'), name, '-chat'));
  if (typeof ctx.flags.out !== 'string') ctx.out(`run folder: ${String(options.outDir)}`);
  const epochs = numberFlag(ctx.flags, 'epochs');
  const params = {
    ...options, task: 'chat', checkpoint, trainFile: train,
    ...(typeof ctx.flags.validation === 'string' ? { validationFile: ctx.flags.validation } : {}),
    ...(epochs === undefined ? {} : { epochs }),
    ...(typeof template === 'string' ? { chatTemplate: template } : {}),
    ...(ctx.flags['no-packing'] === true ? { packing: false } : {}),
  };
  const outcome = await executeStep(ctx, 'finetune', params);
  trainingReport(ctx.out, outcome.metrics);
  const m = outcome.metrics as { trainedTokens?: number; chat?: { chatTemplate?: string } };
  if (typeof m.trainedTokens === 'number') ctx.out(`trained tokens: ${m.trainedTokens} (template ${m.chat?.chatTemplate ?? '?'})`);
  return outcome.status === 'stopped' ? 130 : 0;
}
