import { measureTrainingFlops, presetTable } from '../../pipeline/index.js';
import type { Command, CommandGroup } from '../command.js';
import { pipelineRoutes as api } from '../../shared/contract/pipeline.js';
import { adminApiFlags, callApi, printRows } from './admin-api.js';
import { numberFlag, requiredFlag } from './pipeline-run.js';

const presetsCommand: Command = {
  name: 'presets',
  summary: 'Model presets: parameters, training memory, and tokens/s estimated by measuring this machine.',
  flags: {
    'vocab-size': { type: 'string', doc: 'Count parameters for this vocabulary (e.g. your tokenizer\'s).', placeholder: 'N' },
    'no-measure': { type: 'boolean', doc: 'Skip the few-second speed measurement.' },
    json: { type: 'boolean', doc: 'Print JSON.' },
  },
  async run(ctx) {
    const flops = ctx.flags['no-measure'] === true ? null : await measureTrainingFlops();
    const rows = presetTable(flops, numberFlag(ctx.flags, 'vocab-size'));
    if (ctx.flags.json === true) return ctx.out(JSON.stringify({ measuredFlopsPerSec: flops, presets: rows }, null, 2));
    if (flops !== null) ctx.out(`measured training rate on this machine: ${(flops / 1e9).toFixed(2)} GFLOP/s`);
    printRows(ctx, rows, rows.map((r) => ({
      preset: r.name,
      kind: r.kind,
      config: Object.entries(r.config).map(([k, v]) => `${k}=${v}`).join(' '),
      parameters: r.parameters.toLocaleString('en-US'),
      'train memory': `${(r.trainMemoryBytes / 2 ** 20).toFixed(0)} MiB @ ${r.batch}x${r.seqLen}`,
      'est. tokens/s': r.estTokensPerSec ?? '-',
    })), ['preset', 'kind', 'parameters', 'train memory', 'est. tokens/s', 'config']);
  },
};

const listCommand: Command = {
  name: 'list',
  summary: 'Registered models and their version counts (through the running server).',
  flags: adminApiFlags,
  usesConfig: true,
  async run(ctx) {
    const res = await callApi(ctx, api.listModels);
    printRows(ctx, res, res.data, ['name', 'kind', 'versions', 'description']);
  },
};

const versionsCommand: Command = {
  name: 'versions',
  summary: 'Versions of one model, newest first.',
  args: [{ name: 'model', doc: 'Model name.' }],
  flags: adminApiFlags,
  usesConfig: true,
  async run(ctx) {
    const res = await callApi(ctx, api.listVersions, { params: { name: ctx.positionals[0]! } });
    printRows(ctx, res, res.data.map((v) => ({ ...v, metrics: JSON.stringify(v.metrics) })), ['id', 'version', 'status', 'checkpointPath', 'metrics']);
  },
};

const registerCommand: Command = {
  name: 'register',
  summary: 'Register a checkpoint folder as a new immutable version of a model (copied into the data folder).',
  flags: {
    name: { type: 'string', doc: 'Model name (created on first use).', placeholder: 'NAME' },
    checkpoint: { type: 'string', doc: 'Checkpoint folder, e.g. a run\'s best/.', placeholder: 'DIR' },
    description: { type: 'string', doc: 'What this model is.', placeholder: 'TEXT' },
    ...adminApiFlags,
  },
  usesConfig: true,
  async run(ctx) {
    const { resolve } = await import('node:path');
    const row = await callApi(ctx, api.registerVersion, {
      body: {
        model: requiredFlag(ctx.flags, 'name', 'the model name'),
        checkpoint: resolve(requiredFlag(ctx.flags, 'checkpoint', 'the checkpoint folder')),
        ...(typeof ctx.flags.description === 'string' ? { description: ctx.flags.description } : {}),
      },
    });
    printRows(ctx, row, [{ ...row, metrics: JSON.stringify(row.metrics) }], ['id', 'version', 'checkpointPath', 'metrics']);
  },
};

/** `qudao models`: step 2 (model choice) and the model registry. */
export const modelsCommand: CommandGroup = {
  name: 'models',
  summary: 'Model presets (step 2 of the pipeline) and the model registry.',
  commands: [presetsCommand, listCommand, versionsCommand, registerCommand],
};
