import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Rng, type Checkpoint, type Engine, type Tensor } from '../../engine/index.js';
import { parseInput, QudaoError } from '../../errors/index.js';
import { chatTemplateOf } from '../../inference/index.js';
import { GPT, parameterCount, type ModelSpec } from '../../models/index.js';
import { chatFinetuneParamsSchema, type ChatFinetuneParams, type ChatTemplateName } from '../../shared/contract/pipeline.js';
import { byteTokenizer, gpt2Tokenizer, tokenizerFromJSON, type Tokenizer, type TokenizerJSON } from '../../tokenizer/index.js';
import { parseChatJsonl } from '../data/chat-jsonl.js';
import { chatBatch, packChats, rowTokens, type PackedRow } from '../data/chat-pack.js';
import { tokenizeChats } from '../data/chat-tokens.js';
import { weightedMeanLoss } from '../eval/metrics.js';
import { runTrainingLoop, type TrainingTask } from './loop.js';
import { checkpointSpec, languageModelFrom, lmCheckpoint, readCheckpoint, readResumableCheckpoint, type LanguageModel } from './model-io.js';
import { resolveTrainOptions, type ResolvedTrainOptions } from './options.js';
import { isDir, recentThroughput, RUN_FILES, writeRunSummary, type RunSummary } from './run-folder.js';
import { loopSettingsOf, loopStateFrom, optimizerOf, withEngine, writeCheckpoint, type TrainHooks } from './session.js';

/** Options of {@link trainChat}: the contract's chat fine-tune parameters (`task` may be left out). */
export type ChatTrainOptions = Omit<ChatFinetuneParams, 'task'> & { readonly task?: 'chat' };

/** Epochs when neither `epochs` nor `steps` is given. */
const DEFAULT_EPOCHS = 3;
/** Peak learning rate of a chat fine-tune when none is given: a tenth of pretraining's. */
const DEFAULT_LR = 1e-4;
/** Sequence length for a model without a fixed context (the LSTM). */
const UNBOUNDED_SEQ_LEN = 256;

/** What a chat run adds to its summary (`run.json` → `chat`). */
export interface ChatRunFacts {
  readonly chatTemplate: ChatTemplateName;
  readonly packing: boolean;
  readonly trainExamples: number;
  readonly trainSequences: number;
  /** Ids of the training file as rendered (the conversations' own ids, no padding). */
  readonly fileTokens: number;
  /** Of those, the trained targets (assistant answers of weight 1, with their ends). */
  readonly trainedTargets: number;
  /** Passes over the training sequences the run made (fractional for a run of `steps`, or one stopped early). */
  readonly epochs: number;
  /** Where the validation loss comes from: the validation file, or the training file when none was given. */
  readonly validationSource: 'file' | 'train';
  readonly validationExamples: number;
}

/** A chat file read, checked, tokenized and packed. */
interface ChatData {
  readonly rows: PackedRow[];
  readonly examples: number;
  readonly tokens: number;
  readonly targets: number;
}

/**
 * Step 4c of the pipeline: supervised fine-tuning of a language model on chat conversations (OpenAI's chat
 * fine-tuning JSONL). Every conversation is rendered with the chat template the gateway will serve the
 * model with (inference/chat-templates.ts, one renderer for both), tokenized piece by piece, and packed
 * into sequences in a seeded random order, each conversation attending only to itself (data/chat-pack.ts);
 * the loss
 * is the mean cross-entropy over the assistants' answer tokens only (everything else is target -100).
 *
 * Both files are read, checked and tokenized before anything is written: a bad line, or a conversation too
 * long for the context, is QD_FINETUNE_FILE_INVALID naming the file and line, and leaves no run folder. The
 * checkpoint records `chatTemplate` in its config, so registering and deploying it serves the same
 * template. Resumes from `outDir/checkpoint` bit-exactly (the batch order is a function of seed and epoch).
 */
export async function trainChat(options: ChatTrainOptions, hooks: TrainHooks = {}): Promise<RunSummary> {
  const p = parseInput(chatFinetuneParamsSchema, { ...options, task: 'chat' }, 'options');
  if (p.epochs !== undefined && p.steps !== undefined) throw new QudaoError('QD_INVALID_REQUEST', 'give epochs or steps, not both', { param: 'epochs' });
  checkHyperParameters(p);
  const latestDir = join(p.outDir, RUN_FILES.latest);
  const resumeFrom = p.resume === false ? null : await readResumableCheckpoint(latestDir);
  const base = resumeFrom ?? (await readCheckpoint(p.checkpoint));
  const template = chosenTemplate(p, base, resumeFrom ? latestDir : null);
  const tokenizer = tokenizerOf(base);
  const spec = languageSpec(base, resumeFrom ? latestDir : p.checkpoint);
  const seqLen = sequenceLength(p.seqLen, spec);
  const vocabSize = spec.config.vocabSize;
  // Packing keeps conversations apart only where attention can be segmented (GPT); the LSTM's state
  // would run on from one conversation into the next, so it trains one per row unless asked otherwise.
  const packing = p.packing ?? spec.kind === 'gpt';
  const read = (file: string, param: string) => readChatFile(file, param, { template, tokenizer, vocabSize, seqLen, packing, seed: p.seed ?? 1337 });
  const train = await read(p.trainFile, 'trainFile');
  const val = p.validationFile === undefined ? null : await read(p.validationFile, 'validationFile');
  const rowsPerStep = (p.batchSize ?? 8) * (p.gradAccum ?? 1);
  const steps = p.steps ?? Math.ceil(((p.epochs ?? DEFAULT_EPOCHS) * train.rows.length) / rowsPerStep);
  const positions = p.steps === undefined ? (p.epochs ?? DEFAULT_EPOCHS) * train.rows.length : steps * rowsPerStep;
  const o = resolved(p, steps);
  return withEngine(hooks, async (engine) => {
    const { model } = languageModelFrom(engine, base, resumeFrom ? latestDir : p.checkpoint);
    return runChat({ engine, model, spec, base, resumeFrom, o, p, template, seqLen, packing, train, val, positions, hooks });
  });
}

interface ChatRun {
  readonly engine: Engine;
  readonly model: LanguageModel;
  readonly spec: ModelSpec;
  readonly base: Checkpoint;
  readonly resumeFrom: Checkpoint | null;
  readonly o: ResolvedTrainOptions;
  readonly p: ChatFinetuneParams;
  readonly template: ChatTemplateName;
  readonly seqLen: number;
  readonly packing: boolean;
  readonly train: ChatData;
  readonly val: ChatData | null;
  /** Row positions the whole run trains on (see BatchOrder). */
  readonly positions: number;
  readonly hooks: TrainHooks;
}

async function runChat(r: ChatRun): Promise<RunSummary> {
  const { engine, model, spec, o, train, hooks } = r;
  const latestDir = join(o.outDir, RUN_FILES.latest);
  const optimizer = optimizerOf(engine, model.parameters(), o);
  const state = loopStateFrom(r.resumeFrom);
  if (r.resumeFrom) restore(r.resumeFrom, model, optimizer, latestDir);
  const order = new BatchOrder(train.rows, r.positions, o.steps, o.gradAccum, o.seed);
  const valRows = (r.val ?? train).rows.slice(0, o.evalBatches * o.batchSize);
  const valBatches = chunk(valRows, o.batchSize).map(chatBatch);
  const task: TrainingTask = {
    lossOf: (step, micro) => {
      const rows = order.rows(step, micro);
      return { loss: lossOfBatch(model, chatBatch(rows)), tokens: rowTokens(rows) };
    },
    validate: () => ({
      loss: weightedMeanLoss(valBatches.map((b) => {
        engine.resetArena();
        return { loss: lossOfBatch(model, b).item(), tokens: b.targets };
      })),
    }),
  };
  const tokenizer = r.base.tokenizer;
  const pack = (progress?: Parameters<typeof lmCheckpoint>[3]): Checkpoint => {
    const ckpt = lmCheckpoint(spec, model, tokenizer, progress);
    return { ...ckpt, config: { ...ckpt.config, chatTemplate: r.template } };
  };
  const { outcome, state: end } = await runTrainingLoop({
    engine, model, optimizer, task, state,
    trainable: [...model.parameters().values()].filter((t) => t.requiresGrad),
    ...loopSettingsOf(o, hooks),
    save: (kind, s) => kind === 'best'
      ? writeCheckpoint(join(o.outDir, RUN_FILES.best), pack())
      : writeCheckpoint(latestDir, pack({ step: s.step, optimizer, rngs: {}, extra: { loop: s } })),
  });
  const modelDir = (await isDir(join(o.outDir, RUN_FILES.best))) ? join(o.outDir, RUN_FILES.best) : latestDir;
  const drawn = order.rowsDrawn(end.step);
  const trainedTokens = drawn.reduce((n, i) => n + train.rows[i]!.ids.length, 0);
  const chat: ChatRunFacts = {
    chatTemplate: r.template, packing: r.packing, trainExamples: train.examples, trainSequences: train.rows.length,
    fileTokens: train.tokens, trainedTargets: train.targets, epochs: drawn.length / train.rows.length,
    validationSource: r.val ? 'file' : 'train', validationExamples: (r.val ?? train).examples,
  };
  const summary: RunSummary = {
    kind: 'finetune', task: 'chat', outcome, steps: end.step, plannedSteps: o.steps,
    bestStep: end.bestStep, bestValLoss: end.bestValLoss, bestValPerplexity: end.bestValLoss === null ? null : Math.exp(end.bestValLoss),
    validation: { unit: 'tokens', scored: valBatches.reduce((n, b) => n + b.targets, 0), total: (r.val ?? train).targets, seqLen: r.seqLen, batchSize: o.batchSize, batches: valBatches.length },
    tokensPerSec: recentThroughput(end.curve), parameters: parameterCount(spec), modelDir,
    config: { kind: spec.kind, ...spec.config, seqLen: r.seqLen, chatTemplate: r.template }, options: summaryOptions(o, r.p, r.packing), curve: end.curve,
    trainedTokens, chat: { ...chat },
  };
  await writeRunSummary(o.outDir, summary);
  return summary;
}

/**
 * The mean loss over a batch's trained targets. A GPT keeps packed conversations apart (each attends only
 * to itself, from position 0: data/chat-pack.ts); the LSTM's state runs on across a packed row.
 */
function lossOfBatch(model: LanguageModel, b: ReturnType<typeof chatBatch>): Tensor {
  const { ids, shape, targets } = b.batch;
  return (model instanceof GPT ? model.forward(ids, shape, targets, b.segments) : model.forward(ids, shape, targets)).loss!;
}

/** The options as run: the chat parameters with every training default filled in (no stand-in data folder). */
function summaryOptions(o: ResolvedTrainOptions, p: ChatFinetuneParams, packing: boolean): Record<string, unknown> {
  const { dataDir: _dataDir, model: _model, ...trainOptions } = o;
  return { ...trainOptions, ...p, steps: o.steps, lr: o.lr, chatTemplate: p.chatTemplate, packing };
}

/**
 * The order rows are trained in: one pass (epoch) after another, each a permutation of the rows drawn from
 * an RNG seeded by (seed, epoch), read as one stream of `total` row positions (`epochs` × rows, or steps ×
 * micro-batches × batchSize when `steps` is given) cut evenly into the run's micro-batches: micro-batch g
 * takes positions [⌊g·total/M⌋, ⌊(g+1)·total/M⌋) of M. So a run of whole epochs trains every row exactly
 * `epochs` times (some micro-batches one row short of batchSize), and a run of steps has full batches. A
 * pure function of the step, so a resumed run trains on exactly the batches an uninterrupted one would
 * have, with no RNG state to save. (With fewer positions than micro-batches, an empty one takes one row.)
 */
class BatchOrder {
  private readonly perms = new Map<number, number[]>();
  private readonly micros: number;

  constructor(private readonly all: readonly PackedRow[], private readonly total: number, steps: number, private readonly gradAccum: number, private readonly seed: number) {
    this.micros = steps * gradAccum;
  }

  /** The rows of micro-batch `micro` of step `step` (0-based). */
  rows(step: number, micro: number): PackedRow[] {
    return this.positions(step * this.gradAccum + micro).map((p) => this.all[this.at(p)]!);
  }

  /** The row indices the first `steps` steps trained on. */
  rowsDrawn(steps: number): number[] {
    const out: number[] = [];
    for (let g = 0; g < steps * this.gradAccum; g++) for (const p of this.positions(g)) out.push(this.at(p));
    return out;
  }

  private positions(g: number): number[] {
    const from = Math.floor((g * this.total) / this.micros);
    const to = Math.floor(((g + 1) * this.total) / this.micros);
    return to > from ? Array.from({ length: to - from }, (_, k) => from + k) : [g % this.total];
  }

  private at(position: number): number {
    const n = this.all.length;
    const epoch = Math.floor(position / n);
    let perm = this.perms.get(epoch);
    if (!perm) {
      perm = permutationOf(n, new Rng((this.seed ^ 0x5eed ^ Math.imul(epoch + 1, 0x9e3779b9)) >>> 0));
      if (this.perms.size > 4) this.perms.clear();
      this.perms.set(epoch, perm);
    }
    return perm[position % n]!;
  }
}

function permutationOf(n: number, rng: Rng): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Reads, parses, tokenizes and packs one chat file; every problem names the file (and line) and `param`. */
async function readChatFile(file: string, param: string, how: { template: ChatTemplateName; tokenizer: Tokenizer; vocabSize: number; seqLen: number; packing: boolean; seed: number }): Promise<ChatData> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new QudaoError('QD_DATA_UNREADABLE', `${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}); pass a chat fine-tuning JSONL file`, { param, cause: err });
  }
  let examples;
  try {
    examples = parseChatJsonl(text, { file });
  } catch (err) {
    if (err instanceof QudaoError) throw new QudaoError(err.code, err.message, { param });
    throw err;
  }
  const chats = tokenizeChats(examples, chatTemplateOf(how.template), how.tokenizer, { vocabSize: how.vocabSize, seqLen: how.seqLen, file, param });
  // Packed in a seeded random order, not the file's: a file's order is often systematic (topics in turn),
  // and where neighbours in a row are visible to each other (the LSTM) a model can learn the order
  // instead of the question (measured: README, chat fine-tuning).
  const shuffled = permutationOf(chats.length, new Rng((how.seed ^ 0xc4a7) >>> 0)).map((i) => chats[i]!);
  const rows = packChats(shuffled, how.seqLen, how.packing);
  const targets = chats.reduce((n, c) => n + c.trained.reduce((s, v) => s + v, 0), 0);
  return { rows, examples: chats.length, tokens: rowTokens(rows), targets };
}

/** The template: as asked; else the one the base (or the run being resumed) recorded; else chatml. */
function chosenTemplate(p: ChatFinetuneParams, base: Checkpoint, resumedDir: string | null): ChatTemplateName {
  const recorded = typeof base.config.chatTemplate === 'string' ? (base.config.chatTemplate as ChatTemplateName) : undefined;
  if (resumedDir && recorded && p.chatTemplate && p.chatTemplate !== recorded) {
    throw new QudaoError('QD_INVALID_REQUEST', `${resumedDir} was trained with the ${recorded} template; resume with it or start a new --out`, { param: 'chatTemplate' });
  }
  return p.chatTemplate ?? recorded ?? 'chatml';
}

/** The checkpoint's tokenizer (stored in it; else bytes for a ≤ 256-id vocabulary, GPT-2 otherwise, as serving does). */
function tokenizerOf(ckpt: Checkpoint): Tokenizer {
  if (ckpt.tokenizer) return tokenizerFromJSON(ckpt.tokenizer as TokenizerJSON);
  return Number(ckpt.config.vocabSize) <= 256 ? byteTokenizer() : gpt2Tokenizer();
}

/** The architecture of a language-model checkpoint (a classifier is refused before any file is read). */
function languageSpec(ckpt: Checkpoint, dir: string): ModelSpec {
  if (ckpt.config.classifier !== undefined) throw new QudaoError('QD_CHECKPOINT_CORRUPT', `${dir} holds a classifier, not a language model`, { param: 'checkpoint' });
  try {
    return checkpointSpec(ckpt);
  } catch (err) {
    throw new QudaoError('QD_CHECKPOINT_CORRUPT', `${dir}: ${(err as Error).message}`, { cause: err });
  }
}

function sequenceLength(asked: number | undefined, spec: ModelSpec): number {
  const context = spec.kind === 'gpt' ? spec.config.contextLength : Infinity;
  const seqLen = asked ?? (Number.isFinite(context) ? context : UNBOUNDED_SEQ_LEN);
  if (seqLen > context) throw new QudaoError('QD_INVALID_REQUEST', `seqLen ${seqLen} exceeds the model's context of ${context}`, { param: 'seqLen' });
  return seqLen;
}

/** The shared training options' checks and defaults (options.ts), with a chat fine-tune's learning rate. */
function resolved(p: ChatFinetuneParams, steps: number): ResolvedTrainOptions {
  const { task: _task, checkpoint, trainFile, validationFile: _v, epochs: _e, chatTemplate: _c, packing: _k, ...rest } = p;
  return resolveTrainOptions({ ...rest, lr: p.lr ?? DEFAULT_LR, steps, dataDir: trainFile, model: { checkpoint } });
}

/**
 * Checks the hyper-parameters before any file is read, as the API does before a run is queued
 * ({@link validateChatParams}); warm-up against steps is checked once the steps are known.
 */
function checkHyperParameters(p: ChatFinetuneParams): void {
  resolved(p, p.steps ?? 1e9);
}

/**
 * Checks a chat fine-tune's parameters without reading a file (the run API's pre-flight check): the
 * schema, epochs or steps, and the options that relate to each other. A problem names its option.
 */
export function validateChatParams(p: ChatFinetuneParams): void {
  if (p.epochs !== undefined && p.steps !== undefined) throw new QudaoError('QD_INVALID_REQUEST', 'give epochs or steps, not both', { param: 'epochs' });
  checkHyperParameters(p);
}

function restore(ckpt: Checkpoint, model: LanguageModel, optimizer: ReturnType<typeof optimizerOf>, dir: string): void {
  const t = ckpt.training;
  if (!t?.optimizer) throw new QudaoError('QD_CHECKPOINT_CORRUPT', `${dir} holds no training state to resume from; delete it or pass --no-resume with a new --out`);
  try {
    optimizer.setState(t.optimizer);
  } catch (err) {
    throw new QudaoError('QD_CHECKPOINT_CORRUPT', `${dir}: ${(err as Error).message}`, { cause: err });
  }
  if (t.rng?.model) model.rng.setState(t.rng.model);
}
