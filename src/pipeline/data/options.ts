import type { CleanOptions } from './clean.js';
import type { DedupeOptions } from './dedupe.js';
import { PipelineError } from './errors.js';
import { DEFAULT_EXTENSIONS, type InputFormat } from './files.js';
import type { IngestOptions } from './ingest.js';
import type { ResolvedPrepareOptions, TokenizerChoice } from './manifest.js';

/** Options of `prepareData`. Only `inputs` and `outDir` are required. */
export interface PrepareOptions extends IngestOptions, CleanOptions {
  /** Folder to create with shards, tokenizer and manifest. */
  readonly outDir: string;
  /** Replace `outDir` if it exists (atomically, only once the new data set is complete). Default false. */
  readonly overwrite?: boolean;
  /** Seed of the train/validation split (default 1337). */
  readonly seed?: number;
  /** Share of documents for validation, in [0, 1) (default 0.1). */
  readonly valFraction?: number;
  /** Duplicate removal (default: exact and near, Jaccard 0.8 over 5-word shingles). */
  readonly dedupe?: DedupeOptions;
  /** Default: train a BPE of 4,096 ids on the train split. */
  readonly tokenizer?: TokenizerChoice;
  /** Most tokens per shard file (default 16M); a document never straddles two shards. */
  readonly shardTokens?: number;
}

/**
 * Checks every option once, before any file is read, and fills in defaults. A bad value is a
 * `QD_DATA_OPTIONS` error saying which option and what is allowed.
 */
export function resolvePrepareOptions(o: PrepareOptions): ResolvedPrepareOptions {
  const fail = (msg: string): never => {
    throw new PipelineError('QD_DATA_OPTIONS', msg);
  };
  if (!Array.isArray(o.inputs) || o.inputs.length === 0) fail('no inputs given; pass at least one file or folder');
  if (typeof o.outDir !== 'string' || o.outDir === '') fail('no output folder given; pass --out DIR');
  const between = (name: string, v: number | undefined, lo: number, hi: number, def: number, int = false): number => {
    const x = v ?? def;
    if (typeof x !== 'number' || Number.isNaN(x) || x < lo || x > hi || (int && !Number.isInteger(x))) fail(`${name} must be ${int ? 'an integer ' : ''}in [${lo}, ${hi}], got ${v}`);
    return x;
  };
  const valFraction = between('valFraction', o.valFraction, 0, 0.99, 0.1);
  const seed = between('seed', o.seed, 0, 2 ** 32 - 1, 1337, true);
  const minChars = between('minChars', o.minChars, 1, Number.MAX_SAFE_INTEGER, 1, true);
  const maxChars = o.maxChars === undefined ? null : between('maxChars', o.maxChars, minChars, Number.MAX_SAFE_INTEGER, 0, true);
  const minWords = between('minWords', o.minWords, 0, Number.MAX_SAFE_INTEGER, 0, true);
  const shardTokens = between('shardTokens', o.shardTokens, 1024, 2 ** 31, 16 * 2 ** 20, true);
  const normalize = o.normalize ?? 'NFC';
  if (!['NFC', 'NFKC', 'none'].includes(normalize)) fail(`normalize must be NFC, NFKC or none, got ${normalize}`);
  const format: InputFormat = o.format ?? 'auto';
  if (!['auto', 'text', 'jsonl', 'csv', 'brown'].includes(format)) fail(`format must be auto, text, jsonl, csv or brown, got ${format}`);
  const d = o.dedupe ?? {};
  const shingle = d.shingle ?? 'word';
  if (shingle !== 'word' && shingle !== 'char') fail(`shingle must be word or char, got ${shingle}`);
  const dedupe: Required<DedupeOptions> = {
    exact: d.exact ?? true,
    near: d.near ?? true,
    threshold: between('near-duplicate threshold', d.threshold, 0.01, 1, 0.8),
    shingle,
    shingleSize: between('shingleSize', d.shingleSize, 1, 64, 5, true),
    numPerm: between('numPerm', d.numPerm, 16, 1024, 128, true),
    seed: between('dedupe seed', d.seed, 0, 2 ** 32 - 1, 1, true),
  };
  const tokenizer = o.tokenizer ?? { kind: 'train', vocabSize: 4096 };
  if (tokenizer.kind === 'train') between('vocabSize', tokenizer.vocabSize, 257, 1 << 20, 4096, true);
  else if (tokenizer.kind === 'file') {
    if (typeof tokenizer.path !== 'string' || !tokenizer.path) fail('tokenizer file path is empty');
  } else if (tokenizer.kind !== 'gpt2' && tokenizer.kind !== 'byte') fail(`tokenizer must be train, gpt2, byte or file, got ${(tokenizer as { kind: string }).kind}`);
  return Object.freeze({
    format,
    extensions: o.extensions ?? DEFAULT_EXTENSIONS,
    textField: o.textField ?? 'text',
    textColumn: o.textColumn ?? 'text',
    labelField: o.labelField ?? null,
    clean: { normalize, minChars, maxChars, minWords },
    dedupe,
    seed,
    valFraction,
    tokenizer,
    shardTokens,
  });
}
