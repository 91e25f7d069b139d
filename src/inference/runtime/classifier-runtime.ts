/**
 * In-process classifiers (owned by inference): a registered classifier version (a language model with a
 * classification head, fine-tuned by the pipeline's `trainClassifier`, e.g. `npm run finetune:spam`)
 * loaded into the engine once, then scoring texts: the tokens of the text read as it was trained (its
 * `seqLen`, truncation and pooling), through the model and the head, softmax over the labels. The gateway's classifier guardrails
 * reach it through {@link LocalClassifiers}.
 */
import { createEngine, loadCheckpoint, type Engine, type KernelChoice } from '../../engine/index.js';
import { SequenceClassifier, createModel, documentWindows, loadStateDict, specOf, type Pooling, type Truncation } from '../../models/index.js';
import { tokenizerFromJSON, type TokenizerJSON } from '../../tokenizer/index.js';
import type { VersionLookup } from './contract.js';

/** The probability of each label for one text, and the tokens the classifier read. */
export interface Classification {
  readonly probabilities: Readonly<Record<string, number>>;
  readonly tokens: number;
}

/** A loaded classifier. */
export interface ClassifierRuntime {
  readonly labels: readonly string[];
  classify(text: string): Promise<Classification>;
}

/** Loads the classifier of a model version (the engine's, or a fake in tests). */
export type ClassifierLoader = (modelVersionId: string) => Promise<ClassifierRuntime>;

/** The classifiers as a caller sees them: one runtime per version, loaded on first use. */
export interface LocalClassifiers {
  classify(modelVersionId: string, text: string): Promise<Classification>;
}

/** The classifier section a classifier checkpoint's config holds (written by the pipeline). */
interface ClassifierMeta {
  readonly labels: readonly string[];
  readonly padId: number;
  readonly seqLen: number;
  /** Absent in checkpoints from before pooling was a choice: `last`. */
  readonly pooling?: Pooling;
  /** Absent before truncation was a choice: `head`. */
  readonly truncation?: Truncation;
}

function metaOf(config: Record<string, unknown>): ClassifierMeta | undefined {
  const meta = config.classifier as Partial<ClassifierMeta> | undefined;
  if (!meta || !Array.isArray(meta.labels) || typeof meta.padId !== 'number' || typeof meta.seqLen !== 'number') return undefined;
  return meta as ClassifierMeta;
}

/** Softmax of `k` logits, as probabilities by label. */
function probabilitiesOf(labels: readonly string[], logits: ArrayLike<number>): Record<string, number> {
  let max = -Infinity;
  for (let i = 0; i < labels.length; i++) max = Math.max(max, logits[i]!);
  const exps = labels.map((_, i) => Math.exp(logits[i]! - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return Object.fromEntries(labels.map((l, i) => [l, exps[i]! / sum]));
}

/** Options of {@link engineClassifierLoader}. */
export interface ClassifierLoaderOptions {
  readonly lookup: VersionLookup;
  readonly threads: number;
  readonly kernels?: KernelChoice;
}

/**
 * Loads classifier versions into the engine (its own engine, created on first use, so a classification
 * never shares an arena with a generation step in flight).
 */
export function engineClassifierLoader(options: ClassifierLoaderOptions): ClassifierLoader {
  let engine: Promise<Engine> | undefined;
  return async (modelVersionId) => {
    const version = await options.lookup(modelVersionId);
    if (!version) throw new Error(`no model version ${modelVersionId}`);
    const ckpt = await loadCheckpoint(version.checkpointPath);
    const meta = metaOf(ckpt.config);
    if (!meta) throw new Error(`model version ${modelVersionId} is a language model, not a classifier`);
    if (!ckpt.tokenizer) throw new Error(`model version ${modelVersionId} holds no tokenizer`);
    const { classifier: _section, ...baseConfig } = ckpt.config;
    engine ??= createEngine({ threads: options.threads, kernels: options.kernels });
    const e = await engine;
    const base = createModel(e, specOf({ ...ckpt, config: baseConfig }));
    const model = new SequenceClassifier(base, { numClasses: meta.labels.length, padId: meta.padId, pooling: meta.pooling ?? 'last' });
    const reading = { seqLen: meta.seqLen, truncation: meta.truncation ?? 'head' };
    loadStateDict(model, ckpt.weights);
    model.train(false);
    const tokenizer = tokenizerFromJSON(ckpt.tokenizer as TokenizerJSON);
    return {
      labels: meta.labels,
      async classify(text) {
        // Read as it was trained: the checkpoint's truncation and pooling (pipeline's documentWindows).
        const all = tokenizer.encode(text);
        const logits = e.noGrad(() => {
          e.resetArena();
          return Array.from(model.forwardDocuments([all], reading).logits.data);
        });
        e.resetArena();
        const tokens = documentWindows(all, reading.seqLen, reading.truncation, meta.padId).reduce((n, w) => n + w.length, 0);
        return { probabilities: probabilitiesOf(meta.labels, logits), tokens };
      },
    };
  };
}

/** One loaded classifier per version, loaded on first use (a failed load is retried on the next call). */
export class ClassifierPool implements LocalClassifiers {
  private readonly loaded = new Map<string, Promise<ClassifierRuntime>>();

  constructor(private readonly load: ClassifierLoader) {}

  async classify(modelVersionId: string, text: string): Promise<Classification> {
    let runtime = this.loaded.get(modelVersionId);
    if (!runtime) {
      runtime = this.load(modelVersionId);
      runtime.catch(() => this.loaded.delete(modelVersionId));
      this.loaded.set(modelVersionId, runtime);
    }
    return (await runtime).classify(text);
  }
}
