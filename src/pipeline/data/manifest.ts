import type { CleanOptions } from './clean.js';
import type { DedupeOptions } from './dedupe.js';
import type { InputFormat } from './files.js';
import type { InputRecord } from './ingest.js';
import type { ShardInfo } from './shardFormat.js';

/** Version of `manifest.json`; readers refuse versions they do not know. */
export const MANIFEST_VERSION = 1;

/** How the tokenizer is chosen: trained on the train split, GPT-2's, bytes, or a saved `tokenizer.json`. */
export type TokenizerChoice =
  | { readonly kind: 'train'; readonly vocabSize: number }
  | { readonly kind: 'gpt2' }
  | { readonly kind: 'byte' }
  | { readonly kind: 'file'; readonly path: string };

/** The options a data set was built with, all defaults filled in (recorded so a run can be repeated). */
export interface ResolvedPrepareOptions {
  readonly format: InputFormat;
  readonly extensions: readonly string[];
  readonly textField: string;
  readonly textColumn: string;
  readonly labelField: string | null;
  readonly clean: Required<Pick<CleanOptions, 'normalize' | 'minChars' | 'minWords'>> & { readonly maxChars: number | null };
  readonly dedupe: Required<DedupeOptions>;
  readonly seed: number;
  readonly valFraction: number;
  readonly tokenizer: TokenizerChoice;
  readonly shardTokens: number;
}

/** `manifest.json`: what went in, what was dropped and why, and what came out. */
export interface DataManifest {
  readonly version: typeof MANIFEST_VERSION;
  /** ISO time the data set was written. */
  readonly created: string;
  readonly inputs: readonly InputRecord[];
  /** SHA-256 over the inputs' content hashes, in order: equal when the same data is prepared again, from any path. */
  readonly inputsSha256: string;
  readonly labeled: boolean;
  readonly counts: {
    readonly documentsRead: number;
    readonly documentsKept: number;
    /** Documents dropped by each filter, applied in this order. */
    readonly removed: { readonly empty: number; readonly tooShort: number; readonly tooLong: number; readonly exactDuplicate: number; readonly nearDuplicate: number };
    readonly documents: { readonly train: number; readonly val: number };
    /** Tokens per split, `<|endoftext|>` separators included. */
    readonly tokens: { readonly train: number; readonly val: number };
  };
  readonly tokenizer: { readonly file: string; readonly kind: string; readonly source: TokenizerChoice['kind']; readonly vocabSize: number; readonly eotId: number; readonly sha256: string };
  readonly shards: readonly ShardInfo[];
  /** For labeled data: the label names (index = label id) and the examples file. */
  readonly labels: { readonly file: string; readonly names: readonly string[] } | null;
  readonly options: ResolvedPrepareOptions;
}

/** The name the data step's API gives its result. */
export type Manifest = DataManifest;

/** `labels.json`: classification examples per split; `label` indexes `labels`. */
export interface LabeledExamples {
  readonly labels: readonly string[];
  readonly train: ReadonlyArray<{ readonly tokens: readonly number[]; readonly label: number }>;
  readonly val: ReadonlyArray<{ readonly tokens: readonly number[]; readonly label: number }>;
}
