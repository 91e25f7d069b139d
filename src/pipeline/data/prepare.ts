import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Tokenizer } from '../../tokenizer/index.js';
import { silentProgress, type Progress } from '../progress.js';
import { assertWritableTarget, buildFolderAtomically, writeFileSynced } from './atomic.js';
import { chooseTokenizer } from './chooseTokenizer.js';
import { cleanText, lengthVerdict } from './clean.js';
import { dedupe } from './dedupe.js';
import { PipelineError } from './errors.js';
import { ingest, type RawDocument } from './ingest.js';
import { MANIFEST_VERSION, type DataManifest, type LabeledExamples, type ResolvedPrepareOptions } from './manifest.js';
import { resolvePrepareOptions, type PrepareOptions } from './options.js';
import { bytesPerToken, writeShard, type ShardInfo } from './shardFormat.js';
import { assignSplits, type SplitName } from './split.js';

/** File names inside a prepared data folder. */
export const DATA_FILES = { manifest: 'manifest.json', tokenizer: 'tokenizer.json', labels: 'labels.json' } as const;

interface KeptDocument extends RawDocument {
  readonly split: SplitName;
}

/**
 * Step 1 of the model pipeline: read, clean, deduplicate, split, tokenize and shard a corpus into `outDir`.
 *
 * All checks that can fail on the user's input run before anything is written, and the folder is built
 * beside the target and renamed into place at the end, so an error leaves no output folder (and an existing
 * one, with `overwrite`, intact). Errors are {@link PipelineError}s with a stable code.
 */
export async function prepareData(options: PrepareOptions, progress: Progress = silentProgress()): Promise<DataManifest> {
  const opts = resolvePrepareOptions(options);
  await assertWritableTarget(options.outDir, options.overwrite ?? false);
  const { documents, files } = await ingest({ ...options, extensions: opts.extensions, format: opts.format }, progress);
  if (documents.length === 0) {
    throw new PipelineError('QD_DATA_EMPTY', `no documents found in ${options.inputs.join(', ')}; check the paths, --format and --ext (the extensions taken from folders)`);
  }

  const removed = { empty: 0, tooShort: 0, tooLong: 0, exactDuplicate: 0, nearDuplicate: 0 };
  const cleaned = cleanAll(documents, opts, removed, progress);
  if (cleaned.length === 0) {
    throw new PipelineError('QD_DATA_EMPTY', `all ${documents.length} documents were removed by cleaning (${removed.empty} empty, ${removed.tooShort} too short, ${removed.tooLong} too long); relax --min-chars / --max-chars`);
  }
  const dups = dedupe(cleaned.map((d) => d.text), opts.dedupe, progress);
  removed.exactDuplicate = dups.exact;
  removed.nearDuplicate = dups.near;
  const unique = cleaned.filter((_, i) => dups.kind[i] === 'keep');
  const splits = assignSplits(unique.map((d) => d.id), opts.seed, opts.valFraction);
  const kept: KeptDocument[] = unique.map((d, i) => ({ ...d, split: splits[i]! }));

  const tokenizer = await chooseTokenizer(opts.tokenizer, kept.filter((d) => d.split === 'train').map((d) => d.text), progress);
  const encoded = encodeAll(kept, tokenizer, progress);

  return buildFolderAtomically(options.outDir, options.overwrite ?? false, async (dir) => {
    const shards = [
      ...(await writeSplitShards(dir, 'train', encoded.filter((_, i) => kept[i]!.split === 'train'), tokenizer, opts.shardTokens)),
      ...(await writeSplitShards(dir, 'val', encoded.filter((_, i) => kept[i]!.split === 'val'), tokenizer, opts.shardTokens)),
    ];
    const tokenizerJson = JSON.stringify(tokenizer.toJSON());
    await writeFileSynced(join(dir, DATA_FILES.tokenizer), tokenizerJson);
    const labelNames = opts.labelField === null ? null : await writeLabels(dir, kept, encoded);
    const tokensOf = (split: SplitName) => shards.filter((s) => s.split === split).reduce((n, s) => n + s.tokens, 0);
    const manifest: DataManifest = {
      version: MANIFEST_VERSION,
      created: new Date().toISOString(),
      inputs: files,
      inputsSha256: files.reduce((h, f) => h.update(`${f.sha256}\n`), createHash('sha256')).digest('hex'),
      labeled: labelNames !== null,
      counts: {
        documentsRead: documents.length,
        documentsKept: kept.length,
        removed,
        documents: { train: splits.filter((s) => s === 'train').length, val: splits.filter((s) => s === 'val').length },
        tokens: { train: tokensOf('train'), val: tokensOf('val') },
      },
      tokenizer: {
        file: DATA_FILES.tokenizer,
        kind: tokenizer.kind,
        source: opts.tokenizer.kind,
        vocabSize: tokenizer.vocabSize,
        eotId: tokenizer.eotId,
        sha256: createHash('sha256').update(tokenizerJson).digest('hex'),
      },
      shards,
      labels: labelNames === null ? null : { file: DATA_FILES.labels, names: labelNames },
      options: opts,
    };
    await writeFileSynced(join(dir, DATA_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  });
}

function cleanAll(documents: readonly RawDocument[], opts: ResolvedPrepareOptions, removed: Record<'empty' | 'tooShort' | 'tooLong', number>, progress: Progress): RawDocument[] {
  const clean = { normalize: opts.clean.normalize, minChars: opts.clean.minChars, minWords: opts.clean.minWords, ...(opts.clean.maxChars === null ? {} : { maxChars: opts.clean.maxChars }) };
  const out: RawDocument[] = [];
  progress.start(documents.length, 'clean');
  for (const d of documents) {
    const text = cleanText(d.text, clean);
    const verdict = lengthVerdict(text, clean);
    if (verdict === 'ok') out.push({ ...d, text });
    else removed[verdict]++;
    progress.tick();
  }
  progress.done();
  return out;
}

/** Each document's ids, kept as a typed array: a quarter of the memory of a number[] per token. */
function encodeAll(kept: readonly KeptDocument[], tokenizer: Tokenizer, progress: Progress): Uint32Array[] {
  progress.start(kept.reduce((n, d) => n + d.text.length, 0), 'tokenize (chars)');
  let tokens = 0;
  const out = kept.map((d) => {
    const ids = tokenizer.encode(d.text);
    tokens += ids.length;
    progress.tick(d.text.length, { tokens });
    return Uint32Array.from(ids);
  });
  progress.done();
  return out;
}

/** Packs documents (each preceded by `<|endoftext|>`) into shards of at most `shardTokens`, never splitting one. */
async function writeSplitShards(dir: string, split: SplitName, docs: readonly Uint32Array[], tokenizer: Tokenizer, shardTokens: number): Promise<ShardInfo[]> {
  const shards: ShardInfo[] = [];
  const Width = bytesPerToken(tokenizer.vocabSize) === 2 ? Uint16Array : Uint32Array;
  let start = 0;
  while (start < docs.length) {
    let end = start;
    let count = 0;
    while (end < docs.length && (end === start || count + docs[end]!.length + 1 <= shardTokens)) count += docs[end++]!.length + 1;
    const tokens = new Width(count);
    let at = 0;
    for (let i = start; i < end; i++) {
      tokens[at++] = tokenizer.eotId;
      tokens.set(docs[i]!, at);
      at += docs[i]!.length;
    }
    const file = `${split}-${String(shards.length).padStart(5, '0')}.bin`;
    const sha256 = await writeShard(join(dir, file), tokens, end - start, tokenizer.eotId);
    shards.push({ file, split, documents: end - start, tokens: count, sha256 });
    start = end;
  }
  return shards;
}

/** Writes `labels.json`; label ids follow the sorted label names, so they do not depend on input order. */
async function writeLabels(dir: string, kept: readonly KeptDocument[], encoded: readonly Uint32Array[]): Promise<string[]> {
  const names = [...new Set(kept.map((d) => d.label!))].sort();
  const idOf = new Map(names.map((n, i) => [n, i]));
  const examples = (split: SplitName) => kept.flatMap((d, i) => (d.split === split ? [{ tokens: Array.from(encoded[i]!), label: idOf.get(d.label!)! }] : []));
  const body: LabeledExamples = { labels: names, train: examples('train'), val: examples('val') };
  await writeFileSynced(join(dir, DATA_FILES.labels), JSON.stringify(body));
  return names;
}
