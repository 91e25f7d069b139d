import { join } from 'node:path';
import type { Checkpoint, Engine } from '../../engine/index.js';
import { QudaoError } from '../../errors/index.js';
import { createModel, parameterCount, presetSpec, type ModelSpec } from '../../models/index.js';
import { openShards, type OpenedData } from '../data/index.js';
import { weightedMeanLoss } from '../eval/metrics.js';
import { sampleLmBatch, validationBatches } from './batches.js';
import { runTrainingLoop, type TrainingTask } from './loop.js';
import { languageModelFrom, lmCheckpoint, readCheckpoint, readResumableCheckpoint, type LanguageModel } from './model-io.js';
import { resolveTrainOptions, type ResolvedTrainOptions, type TrainOptions } from './options.js';
import { isDir, recentThroughput, RUN_FILES, writeRunSummary, type RunSummary } from './run-folder.js';
import { dataRng, loopSettingsOf, loopStateFrom, optimizerOf, withEngine, writeCheckpoint, type TrainHooks } from './session.js';

/**
 * Steps 3 and 4a of the pipeline: pretrain a language model from a preset, or continue a pretrained
 * checkpoint as a causal LM on new text (`model: { checkpoint }`), on a folder from `qudao data prepare`.
 * Resumes from `outDir/checkpoint` when it exists, bit-exactly: same batches, dropout masks and optimiser
 * moments as a run that was never stopped. Returns the run summary (also written to `outDir/run.json`).
 */
export async function trainLanguageModel(options: TrainOptions, hooks: TrainHooks = {}): Promise<RunSummary> {
  const o = resolveTrainOptions(options);
  const data = await openShards(o.dataDir);
  return withEngine(hooks, async (engine) => {
    const latestDir = join(o.outDir, RUN_FILES.latest);
    const resumeFrom = o.resume ? await readResumableCheckpoint(latestDir) : null;
    const { spec, model } = await buildModel(engine, o, data, resumeFrom);
    const seqLen = sequenceLength(o, spec);
    if (data.train.length <= seqLen || data.val.length <= seqLen) {
      throw new QudaoError('QD_DATA_EMPTY', `the data has ${data.train.length} train and ${data.val.length} validation tokens; each split needs more than --seq-len ${seqLen}`, { param: 'seqLen' });
    }
    const optimizer = optimizerOf(engine, model.parameters(), o);
    const rng = dataRng(o.seed);
    const state = loopStateFrom(resumeFrom);
    if (resumeFrom) restoreOrFail(resumeFrom, model, optimizer, rng, latestDir);
    const valBatches = validationBatches(data.val, o.batchSize, seqLen, o.evalBatches);
    const task: TrainingTask = {
      lossOf: () => {
        const batch = sampleLmBatch(data.train, o.batchSize, seqLen, rng);
        return { loss: model.forward(batch.ids, batch.shape, batch.targets).loss!, tokens: batch.ids.length };
      },
      validate: () => ({
        loss: weightedMeanLoss(valBatches.map((b) => {
          engine.resetArena();
          return { loss: model.forward(b.ids, b.shape, b.targets).loss!.item(), tokens: b.ids.length };
        })),
      }),
    };
    const tokenizer = data.tokenizer.toJSON();
    const { outcome, state: end } = await runTrainingLoop({
      engine, model, optimizer, task, state,
      trainable: [...model.parameters().values()].filter((t) => t.requiresGrad),
      ...loopSettingsOf(o, hooks),
      save: (kind, s) => kind === 'best'
        ? writeCheckpoint(join(o.outDir, RUN_FILES.best), lmCheckpoint(spec, model, tokenizer))
        : writeCheckpoint(latestDir, lmCheckpoint(spec, model, tokenizer, { step: s.step, optimizer, rngs: { data: rng }, extra: { loop: s } })),
    });
    const modelDir = (await isDir(join(o.outDir, RUN_FILES.best))) ? join(o.outDir, RUN_FILES.best) : latestDir;
    const summary: RunSummary = {
      kind: 'checkpoint' in o.model ? 'finetune' : 'train', task: 'lm', outcome, steps: end.step, plannedSteps: o.steps,
      bestStep: end.bestStep, bestValLoss: end.bestValLoss, bestValPerplexity: end.bestValLoss === null ? null : Math.exp(end.bestValLoss),
      validation: { unit: 'tokens', scored: valBatches.reduce((n, b) => n + b.ids.length, 0), total: data.val.length, seqLen, batchSize: o.batchSize, batches: valBatches.length },
      tokensPerSec: recentThroughput(end.curve), parameters: parameterCount(spec), modelDir,
      config: { kind: spec.kind, ...spec.config, seqLen, tokenizer: data.manifest.tokenizer }, options: { ...o }, curve: end.curve,
    };
    await writeRunSummary(o.outDir, summary);
    return summary;
  });
}

/** The model to train: restored from the run's own checkpoint, a pretrained checkpoint, or a fresh preset. */
async function buildModel(engine: Engine, o: ResolvedTrainOptions, data: OpenedData, resumeFrom: Checkpoint | null): Promise<{ spec: ModelSpec; model: LanguageModel }> {
  if (resumeFrom) return languageModelFrom(engine, resumeFrom, join(o.outDir, RUN_FILES.latest));
  if ('checkpoint' in o.model) {
    const base = await readCheckpoint(o.model.checkpoint);
    assertSameTokenizer(base, data, o.model.checkpoint);
    const built = languageModelFrom(engine, base, o.model.checkpoint);
    if (o.dropout !== null && 'dropout' in built.spec.config) {
      throw new QudaoError('QD_INVALID_REQUEST', 'dropout is fixed by the pretrained checkpoint; leave --dropout out when fine-tuning', { param: 'dropout' });
    }
    return built;
  }
  const overrides = { vocabSize: data.tokenizer.vocabSize, ...o.model.overrides, ...(o.dropout === null ? {} : { dropout: o.dropout }) };
  if (overrides.vocabSize !== data.tokenizer.vocabSize) {
    throw new QudaoError('QD_INVALID_REQUEST', `vocabSize ${overrides.vocabSize} differs from the data's tokenizer (${data.tokenizer.vocabSize}); leave it out`, { param: 'vocabSize' });
  }
  const spec = presetSpec(o.model.preset, overrides);
  return { spec, model: createModel(engine, spec, { seed: o.seed }) };
}

function sequenceLength(o: ResolvedTrainOptions, spec: ModelSpec): number {
  const context = spec.kind === 'gpt' ? spec.config.contextLength : Infinity;
  const seqLen = o.seqLen ?? Math.min(context, 256);
  if (seqLen > context) throw new QudaoError('QD_INVALID_REQUEST', `--seq-len ${seqLen} exceeds the model's context of ${context}`, { param: 'seqLen' });
  return seqLen;
}

/** A checkpoint's tokenizer must be the data's, or the token ids mean different things. */
export function assertSameTokenizer(ckpt: Checkpoint, data: OpenedData, dir: string): void {
  if (JSON.stringify(ckpt.tokenizer) !== JSON.stringify(data.tokenizer.toJSON())) {
    throw new QudaoError('QD_INVALID_REQUEST', `${describeData(data)} was not tokenized with the tokenizer of ${dir}; prepare it with npx qudao data prepare --tokenizer ${join(dir, 'tokenizer.json')}`, { param: 'data' });
  }
}

function describeData(data: OpenedData): string {
  return `the data (${data.manifest.tokenizer.kind}, ${data.manifest.tokenizer.vocabSize} ids)`;
}

function restoreOrFail(ckpt: Checkpoint, model: LanguageModel, optimizer: ReturnType<typeof optimizerOf>, rng: ReturnType<typeof dataRng>, dir: string): void {
  const t = ckpt.training;
  if (!t?.optimizer || !t.rng?.data) throw new QudaoError('QD_CHECKPOINT_CORRUPT', `${dir} holds no training state to resume from; delete it or pass --no-resume with a new --out`);
  try {
    optimizer.setState(t.optimizer);
  } catch (err) {
    throw new QudaoError('QD_CHECKPOINT_CORRUPT', `${dir}: ${(err as Error).message}`, { cause: err });
  }
  rng.setState(t.rng.data);
  if (t.rng.model) model.rng.setState(t.rng.model);
}
