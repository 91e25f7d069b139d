import { join } from 'node:path';
import { PRESETS } from '../../models/index.js';
import { UsageError, type Command } from '../command.js';
import { executeStep, runFlags } from './pipeline-run.js';
import { configOverrides, defaultRunFolder, trainingFlags, trainingOptions, trainingReport } from './train-flags.js';

/** `qudao train`: step 3 of the pipeline, pretraining a language model from a preset. */
export const trainCommand: Command = {
  name: 'train',
  summary: 'Pretrain a language model (AdamW, warm-up + cosine, clipping, validation, checkpoints, resume).',
  flags: {
    ...trainingFlags,
    preset: { type: 'string', doc: `Model preset: ${Object.keys(PRESETS).join(', ')} (default tiny); see npx qudao models presets.`, placeholder: 'NAME' },
    set: { type: 'string', multiple: true, doc: 'Override a preset field, e.g. --set nLayer=2 --set dModel=64.', placeholder: 'KEY=N' },
    dropout: { type: 'string', doc: 'Dropout probability (default: the preset\'s).', placeholder: 'X' },
    ...runFlags,
  },
  usesConfig: true,
  help: 'Example: npx qudao train --data data/brown --out data/runs/brown --preset tiny --steps 2000\nCtrl-C stops after the current step with a checkpoint; the same command resumes it.',
  async run(ctx) {
    const preset = typeof ctx.flags.preset === 'string' ? ctx.flags.preset : 'tiny';
    if (!Object.hasOwn(PRESETS, preset)) throw new UsageError(`unknown preset "${preset}"; known: ${Object.keys(PRESETS).join(', ')}`);
    const dropout = typeof ctx.flags.dropout === 'string' ? Number(ctx.flags.dropout) : undefined;
    const options = trainingOptions(ctx.flags, (data) => defaultRunFolder(join(ctx.loadConfig().dataDir, 'runs'), data));
    if (typeof ctx.flags.out !== 'string') ctx.out(`run folder: ${String(options.outDir)}`);
    const params = { ...options, model: { preset, overrides: configOverrides(ctx.flags) }, ...(dropout === undefined ? {} : { dropout }) };
    const outcome = await executeStep(ctx, 'train', params);
    trainingReport(ctx.out, outcome.metrics);
    return outcome.status === 'stopped' ? 130 : 0;
  },
};
