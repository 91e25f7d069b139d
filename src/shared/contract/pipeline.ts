import { z } from 'zod';
import { count, id, listOf, meta, micros, timestamp } from './common.js';
import { defineRoute } from './route.js';

/**
 * The model pipeline's `/api`: runs of its steps (data, train, finetune, eval) in worker processes, the model
 * registry (immutable versions) and deployments (a public name pointing at one version, with its trail).
 * The steps' parameter schemas here are the one check of a run's options: the API validates a start with
 * them, the worker and the CLI parse a step's parameters with them (src/pipeline/runs/steps.ts), and the
 * training options' defaults are filled in from their output (src/pipeline/train/options.ts).
 */

/** The steps a run can be. */
export const runKinds = ['data', 'train', 'finetune', 'eval'] as const;
/** One of {@link runKinds}. */
export type RunKindName = (typeof runKinds)[number];

/** Where a run is. */
export const runStatuses = ['queued', 'running', 'stopped', 'completed', 'failed'] as const;

/** The model presets (src/models/presets.ts, checked to be the same names there). */
export const presetNames = ['tiny', 'mid', 'small', 'gpt2', 'lstm-seed'] as const;
/** One of {@link presetNames}. */
export type PresetName = (typeof presetNames)[number];

/** The chat templates (src/inference/chat-templates.ts, checked to be the same names there). */
export const chatTemplateNames = ['plain', 'chatml'] as const;
/** One of {@link chatTemplateNames}. */
export type ChatTemplateName = (typeof chatTemplateNames)[number];

const MAX = Number.MAX_SAFE_INTEGER;
const path = z.string().min(1, 'must be a path (a non-empty string)');
const int = (lo: number, hi = 1e9) => z.number().int().min(lo).max(hi);
const num = (lo: number, hi: number) => z.number().min(lo).max(hi);
const seed = int(0, 2 ** 32 - 1);

/** `data` (step 1, `qudao data prepare`): ingest, clean, dedupe, split, tokenize and shard. */
export const prepareParamsSchema = z
  .object({
    inputs: z.array(path).min(1, 'name at least one input file or folder'),
    outDir: path,
    format: z.enum(['auto', 'text', 'jsonl', 'csv', 'brown']).optional(),
    extensions: z.array(z.string().min(1)).optional(),
    textField: z.string().min(1).optional(),
    textColumn: z.string().min(1).optional(),
    labelField: z.string().min(1).optional(),
    normalize: z.enum(['NFC', 'NFKC', 'none']).optional(),
    minChars: int(1, MAX).optional(),
    maxChars: int(1, MAX).optional(),
    minWords: int(0, MAX).optional(),
    overwrite: z.boolean().optional(),
    seed: seed.optional(),
    valFraction: num(0, 0.99).optional(),
    dedupe: z
      .object({
        exact: z.boolean().optional(),
        near: z.boolean().optional(),
        threshold: num(0.01, 1).optional(),
        shingle: z.enum(['word', 'char']).optional(),
        shingleSize: int(1, 64).optional(),
        numPerm: int(16, 1024).optional(),
        seed: seed.optional(),
      })
      .strict()
      .optional(),
    tokenizer: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('train'), vocabSize: int(257, 1 << 20) }).strict(),
        z.object({ kind: z.literal('gpt2') }).strict(),
        z.object({ kind: z.literal('byte') }).strict(),
        z.object({ kind: z.literal('file'), path }).strict(),
      ])
      .optional(),
    shardTokens: int(1024, 2 ** 31).optional(),
  })
  .strict();

/** Where a training run's model comes from: a preset (with config overrides) or a trained checkpoint. */
export const modelSourceSchema = z.union([
  z.object({ preset: z.enum(presetNames), overrides: z.record(z.string(), z.number()).optional() }).strict(),
  z.object({ checkpoint: path }).strict(),
]);

/** The hyper-parameters every training run takes; each has a default (src/pipeline/train/options.ts). */
const hyperParameters = {
  batchSize: int(1, 4096).optional(),
  seqLen: int(2, 1 << 16).optional(),
  gradAccum: int(1, 1024).optional(),
  steps: int(1).optional(),
  lr: num(1e-8, 1).optional(),
  minLr: num(0, 1).optional(),
  warmupSteps: int(0).optional(),
  weightDecay: num(0, 10).optional(),
  beta1: num(0, 0.999999).optional(),
  beta2: num(0, 0.999999).optional(),
  clipNorm: num(0, 1e6).optional(),
  evalEvery: int(1).optional(),
  evalBatches: int(1, 1e6).optional(),
  checkpointEvery: int(1).optional(),
  earlyStopPatience: int(0).optional(),
  seed: seed.optional(),
  resume: z.boolean().optional(),
};

const trainFields = { dataDir: path, outDir: path, model: modelSourceSchema.optional(), ...hyperParameters, dropout: num(0, 0.95).optional() };

/**
 * A training run's options as the trainer reads them: unknown fields are left out (the classifier passes its
 * own beside them). The API refuses unknown fields ({@link trainParamsSchema}).
 */
export const trainOptionsSchema = z.object(trainFields);

/** `train` (step 3, `qudao train`): pretrain a language model. */
export const trainParamsSchema = z.object(trainFields).strict();

/**
 * What a classification fine-tune adds (src/pipeline/train/classify.ts): how token states are pooled, what is
 * read of a document longer than `seqLen`, and the loss's class weights (`balanced` = n / (k · n_c)).
 */
const classifierFields = {
  pooling: z.enum(['last', 'mean']).optional(),
  truncation: z.enum(['head', 'head+tail', 'chunk-and-pool']).optional(),
  classWeights: z.union([z.literal('balanced'), z.array(num(0, 1e6)).min(2).max(4096)]).optional(),
};

/**
 * `finetune` with `task: 'chat'`: supervised fine-tuning on chat conversations, files in OpenAI's chat
 * fine-tuning JSONL (`{"messages": [...]}` per line), rendered with `chatTemplate` (default `chatml`), the loss
 * on the assistants' answers only (src/pipeline/train/chat.ts). `epochs` (default 3) or `steps` sets the
 * length; `packing` (default true for a GPT, false for the LSTM) packs short conversations into one sequence.
 */
export const chatFinetuneParamsSchema = z
  .object({
    task: z.literal('chat'),
    checkpoint: path,
    trainFile: path,
    validationFile: path.optional(),
    outDir: path,
    epochs: int(1, 1000).optional(),
    ...hyperParameters,
    chatTemplate: z.enum(chatTemplateNames).optional(),
    packing: z.boolean().optional(),
  })
  .strict();

/** Parameters of a chat fine-tune. */
export type ChatFinetuneParams = z.infer<typeof chatFinetuneParamsSchema>;

/**
 * `finetune` (step 4, `qudao finetune`): a checkpoint fine-tuned as a language model (`task` lm, the default),
 * as a classifier, or on chat conversations (`task` chat). Discriminated by `task`, so a mistake is reported
 * against the task's own options.
 */
export const finetuneParamsSchema = z.discriminatedUnion('task', [
  z.object({ task: z.literal('lm').optional(), checkpoint: path, dataDir: path, outDir: path, ...hyperParameters, dropout: num(0, 0.95).optional() }).strict(),
  z.object({ task: z.literal('classify'), checkpoint: path, dataDir: path, outDir: path, ...hyperParameters, freezeBelow: int(-1).optional(), ...classifierFields }).strict(),
  chatFinetuneParamsSchema,
]);

/** `eval` (step 5, `qudao eval`): score a checkpoint on a split; `compareWith` scores a second one on the same. */
export const evalParamsSchema = z
  .object({
    modelDir: path,
    dataDir: path,
    split: z.enum(['train', 'val']).optional(),
    seqLen: int(1, 1 << 16).optional(),
    batchSize: int(1, 4096).optional(),
    maxBatches: int(1).optional(),
    compareWith: path.optional(),
  })
  .strict();

/** `POST /api/runs`: a run kind and that step's parameters. */
export const startRunSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('data'), params: prepareParamsSchema }).strict(),
  z.object({ kind: z.literal('train'), params: trainParamsSchema }).strict(),
  z.object({ kind: z.literal('finetune'), params: finetuneParamsSchema }).strict(),
  z.object({ kind: z.literal('eval'), params: evalParamsSchema }).strict(),
]);

/** A run's kind with its parameters, parsed. */
export type StartRunInput = z.infer<typeof startRunSchema>;
/** Parameters of a `data` run. */
export type PrepareParams = z.infer<typeof prepareParamsSchema>;
/** Parameters of a `train` run. */
export type TrainParams = z.infer<typeof trainParamsSchema>;
/** Parameters of a `finetune` run. */
export type FinetuneParamsInput = z.infer<typeof finetuneParamsSchema>;
/** Parameters of an `eval` run. */
export type EvalParamsInput = z.infer<typeof evalParamsSchema>;

/** `GET /api/runs` filters. */
export const listRunsSchema = z
  .object({ kind: z.enum(runKinds).optional(), status: z.enum(runStatuses).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) })
  .strict();

/** One point of a loss curve: a step's training loss, and the validation loss on evaluation steps. */
export const curvePointSchema = z.looseObject({
  step: count,
  /** Null when the loss was not a number (a diverged run). */
  loss: z.number().nullable(),
  lr: z.number().optional(),
  gradNorm: z.number().nullable().optional(),
  tokensPerSec: z.number().optional(),
  valLoss: z.number().nullable().optional(),
  val: z.record(z.string(), z.number().nullable()).optional(),
});

/** The model against one classical baseline on the same examples (src/pipeline/eval/baselines/classifier.ts). */
export const versusModelSchema = z.looseObject({
  /** Model accuracy minus the baseline's, a fraction. */
  accuracyDifference: z.number(),
  /** McNemar's b and c: examples only the model, or only the baseline, got right. */
  modelOnlyCorrect: count,
  baselineOnlyCorrect: count,
  /** `exact`: the binomial test (fewer than 25 discordant pairs; `statistic` is min(b, c)); else χ² with continuity correction. */
  mcnemar: z.looseObject({ statistic: z.number(), pValue: z.number(), exact: z.boolean() }),
  /** Paired bootstrap 95 % interval of `accuracyDifference`. */
  bootstrap95: z.tuple([z.number(), z.number()]),
  /** McNemar's p below 0.05. */
  significant: z.boolean(),
});

/** Naive Bayes or logistic regression trained on the data folder's train split, scored on the model's examples. */
export const classifierBaselineSchema = z.looseObject({
  name: z.enum(['naive-bayes', 'logistic-regression']),
  method: z.string().optional(),
  accuracy: z.number(),
  examples: count,
  macro: z.looseObject({ precision: z.number(), recall: z.number(), f1: z.number() }),
  perClass: z.array(z.looseObject({ precision: z.number(), recall: z.number(), f1: z.number(), support: count })),
  confusion: z.array(z.array(count)),
  versusModel: versusModelSchema,
});

/** The smoothed n-gram counted on the same train tokens, scored on the same tokens as the language model. */
export const lmBaselineSchema = z.looseObject({
  name: z.literal('ngram'),
  order: count,
  smoothing: z.string(),
  loss: z.number(),
  perplexity: z.number(),
  tokens: count,
});

/** An evaluation's figures (a language model's loss and perplexity, a classifier's accuracy), with its baselines. */
export const evaluationSchema = z.looseObject({
  task: z.enum(['lm', 'classify']),
  split: z.enum(['train', 'val']),
  loss: z.number().nullable(),
  perplexity: z.number().nullable().optional(),
  accuracy: z.number().optional(),
  tokens: count.optional(),
  examples: count.optional(),
  /** A classifier's tokens read per example, and how many examples were longer (the baselines read every token). */
  seqLen: count.optional(),
  truncatedExamples: count.optional(),
  /** A classifier's: naive Bayes and logistic regression. Absent from evaluations recorded before baselines existed. */
  baselines: z.array(classifierBaselineSchema).optional(),
  /** A language model's: the n-gram. */
  baseline: lmBaselineSchema.optional(),
});

/**
 * What a run has measured: while training, the latest step, loss, best validation loss, speed and the curve
 * so far; once finished, the run's summary (training), its counts (data) or its evaluation or comparison.
 */
export const runMetricsSchema = z.looseObject({
  step: count.optional(),
  loss: z.number().nullable().optional(),
  bestValLoss: z.number().nullable().optional(),
  tokensPerSec: z.number().optional(),
  /** What the validation loss is the mean over. */
  validation: z.looseObject({ unit: z.enum(['tokens', 'examples']), scored: count, total: count }).optional(),
  curve: z.array(curvePointSchema).optional(),
  evaluation: evaluationSchema.optional(),
  comparison: z.looseObject({ a: evaluationSchema, b: evaluationSchema, metric: z.enum(['loss', 'accuracy']), delta: z.number(), better: z.enum(['a', 'b', 'tie']) }).optional(),
});

/** A pipeline run: its step, parameters, progress and what it wrote. */
export const runSchema = z.object({
  id,
  kind: z.enum(runKinds),
  status: z.enum(runStatuses),
  /** The options the step was started with. */
  params: meta,
  metrics: runMetricsSchema,
  /** Paths written: the data folder, the model folder, the run folder. */
  artifacts: z.looseObject({ dataDir: z.string().optional(), modelDir: z.string().optional(), outDir: z.string().nullable().optional(), compareWith: z.string().optional() }),
  /** True when a checkpoint exists from which the run can continue. */
  resumable: z.boolean(),
  /** What failed, with its QD_* code; null unless failed. */
  error: z.string().nullable(),
  parentRunId: z.string().nullable(),
  startedAt: timestamp.nullable(),
  finishedAt: timestamp.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** A model family with its number of versions. */
export const modelSchema = z.object({
  id,
  name: z.string(),
  /** `gpt`, `lstm`, or `<arch>-classifier`. */
  kind: z.string(),
  description: z.string(),
  ownerPartnerId: z.string().nullable(),
  createdAt: timestamp,
  versions: count,
});

/** An immutable model version: config, checkpoint folder and metrics. */
export const modelVersionSchema = z.object({
  id,
  modelId: id,
  version: count,
  /** The model's config as JSON (architecture, preset, tokenizer, training summary). */
  config: z.unknown(),
  checkpointPath: z.string(),
  metrics: meta,
  status: z.enum(['ready', 'archived']),
  parentVersionId: z.string().nullable(),
  createdAt: timestamp,
});

/** `GET /api/model-versions/:ref`: a version and its model's name. */
export const modelVersionWithNameSchema = modelVersionSchema.extend({ modelName: z.string() });

/** One preset: its size, training memory and FLOPs per token. */
export const presetSchema = z.object({
  name: z.enum(presetNames),
  kind: z.enum(['gpt', 'lstm']),
  config: z.record(z.string(), z.number()),
  parameters: count,
  /** Tensor memory of one training step at `batch` × `seqLen` with AdamW, bytes. */
  trainMemoryBytes: count,
  batch: count,
  seqLen: count,
  flopsPerToken: z.number(),
  /** Null from the API (the server does not measure its speed on request; `qudao models presets` does). */
  estTokensPerSec: z.number().nullable(),
});

/** A deployment: a public model name served from a local version or an upstream. */
export const deploymentSchema = z.object({
  id,
  name: z.string(),
  kind: z.enum(['local', 'upstream']),
  modelVersionId: z.string().nullable(),
  upstreamUrl: z.string().nullable(),
  upstreamModel: z.string().nullable(),
  upstreamKeyEnv: z.string().nullable(),
  fallbackDeploymentId: z.string().nullable(),
  timeoutMs: count,
  maxRetries: count,
  costInputPer1mMicros: micros,
  costOutputPer1mMicros: micros,
  ownerPartnerId: z.string().nullable(),
  ownerCustomerId: z.string().nullable(),
  status: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** A deployment and its trail (every version it has pointed at, oldest first). */
export const deploymentViewSchema = z.object({
  deployment: deploymentSchema,
  history: z.array(z.object({ id, deploymentId: id, modelVersionId: z.string().nullable(), upstreamUrl: z.string().nullable(), changedAt: timestamp })),
});

/** `POST /api/model-versions`: register a checkpoint folder (on the server) as a model's next version. */
export const registerVersionSchema = z.object({ model: z.string().min(1), checkpoint: path, description: z.string().optional(), parentVersionId: id.optional() }).strict();

/** `POST /api/deploy`: point a public name at a version (`mv_…`, `model@3`, or a model name for its newest). */
export const deploySchema = z.object({ name: z.string().min(1), version: z.string().min(1) }).strict();

/** `POST /api/deploy/rollback`: back to the previous version, or to the version named by `to`. */
export const rollbackSchema = z.object({ name: z.string().min(1), to: z.string().min(1).optional() }).strict();

/** A run as `/api` answers it. */
export type RunView = z.infer<typeof runSchema>;
/** A run's metrics. */
export type RunMetrics = z.infer<typeof runMetricsSchema>;
/** An evaluation's figures. */
export type EvaluationView = z.infer<typeof evaluationSchema>;
/** A classifier evaluation's baseline, as `/api` answers it. */
export type ClassifierBaselineView = z.infer<typeof classifierBaselineSchema>;
/** A language-model evaluation's n-gram baseline. */
export type LmBaselineView = z.infer<typeof lmBaselineSchema>;

const tag = 'pipeline';
const runParams = z.object({ id }).strict();

/** The model pipeline routes (admin only). */
export const pipelineRoutes = {
  listRuns: defineRoute({ method: 'GET', url: '/api/runs', tag, access: 'admin', summary: 'Pipeline runs, newest first', query: listRunsSchema, response: { 200: listOf(runSchema) } }),
  getRun: defineRoute({ method: 'GET', url: '/api/runs/:id', tag, access: 'admin', summary: 'One run with its loss curve', params: runParams, response: { 200: runSchema } }),
  startRun: defineRoute({
    method: 'POST',
    url: '/api/runs',
    tag,
    access: 'admin',
    summary: 'Start a pipeline step in a worker process',
    body: startRunSchema,
    response: { 202: runSchema },
  }),
  stopRun: defineRoute({ method: 'POST', url: '/api/runs/:id/stop', tag, access: 'admin', summary: 'Stop a run after its current step (it writes a checkpoint)', params: runParams, response: { 200: runSchema } }),
  resumeRun: defineRoute({ method: 'POST', url: '/api/runs/:id/resume', tag, access: 'admin', summary: 'Continue a stopped run from its checkpoint', params: runParams, response: { 202: runSchema } }),
  listModels: defineRoute({ method: 'GET', url: '/api/models', tag, access: 'admin', summary: 'Model families with version counts', response: { 200: listOf(modelSchema) } }),
  presets: defineRoute({
    method: 'GET',
    url: '/api/models/presets',
    tag,
    access: 'admin',
    summary: 'Model presets: parameters, training memory, FLOPs per token',
    query: z.object({ vocabSize: z.coerce.number().int().min(2).max(1 << 24).optional() }).strict(),
    response: { 200: listOf(presetSchema) },
  }),
  listVersions: defineRoute({
    method: 'GET',
    url: '/api/models/:name/versions',
    tag,
    access: 'admin',
    summary: 'Versions of one model, newest first',
    params: z.object({ name: z.string().min(1) }).strict(),
    response: { 200: listOf(modelVersionSchema) },
  }),
  getVersion: defineRoute({
    method: 'GET',
    url: '/api/model-versions/:ref',
    tag,
    access: 'admin',
    summary: 'One model version (by id, name@N, or name for its newest)',
    params: z.object({ ref: z.string().min(1) }).strict(),
    response: { 200: modelVersionWithNameSchema },
  }),
  registerVersion: defineRoute({
    method: 'POST',
    url: '/api/model-versions',
    tag,
    access: 'admin',
    summary: 'Register a checkpoint folder as a new immutable version',
    body: registerVersionSchema,
    response: { 201: modelVersionSchema },
  }),
  deploy: defineRoute({ method: 'POST', url: '/api/deploy', tag, access: 'admin', summary: 'Point a public model name at a version', body: deploySchema, response: { 200: deploymentViewSchema } }),
  rollback: defineRoute({ method: 'POST', url: '/api/deploy/rollback', tag, access: 'admin', summary: 'Roll a deployment back along its trail', body: rollbackSchema, response: { 200: deploymentViewSchema } }),
  viewDeployment: defineRoute({
    method: 'GET',
    url: '/api/deploy/:name',
    tag,
    access: 'admin',
    summary: 'A deployment and its trail',
    params: z.object({ name: z.string().min(1) }).strict(),
    response: { 200: deploymentViewSchema },
  }),
} as const;
