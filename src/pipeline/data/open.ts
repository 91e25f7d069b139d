import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tokenizerFromJSON, type Tokenizer, type TokenizerJSON } from '../../tokenizer/index.js';
import { PipelineError } from './errors.js';
import { MANIFEST_VERSION, type DataManifest, type LabeledExamples } from './manifest.js';
import { DATA_FILES } from './prepare.js';
import { readShard, type TokenArray } from './shardFormat.js';

/** A prepared data set loaded for training. */
export interface OpenedData {
  readonly manifest: DataManifest;
  readonly tokenizer: Tokenizer;
  /** All train tokens, shards concatenated; each document starts with `<|endoftext|>`. */
  readonly train: TokenArray;
  readonly val: TokenArray;
  /** Classification examples when the data set is labeled, else null. */
  readonly labels: LabeledExamples | null;
}

/**
 * Loads a folder written by `prepareData`: manifest, tokenizer, and each split's shards read into one typed
 * array (uint16 or uint32 as written). Token counts are checked against the manifest.
 */
export async function openShards(dir: string): Promise<OpenedData> {
  const manifest = await readJson<DataManifest>(join(dir, DATA_FILES.manifest));
  if (manifest.version !== MANIFEST_VERSION) {
    throw new PipelineError('QD_DATA_UNREADABLE', `${dir}: manifest version ${manifest.version} is not supported (expected ${MANIFEST_VERSION}); prepare the data again`);
  }
  const tokenizer = tokenizerFromJSON(await readJson<TokenizerJSON>(join(dir, manifest.tokenizer.file)));
  const load = async (split: 'train' | 'val'): Promise<TokenArray> => {
    const infos = manifest.shards.filter((s) => s.split === split);
    const parts = await Promise.all(infos.map((s) => readShard(join(dir, s.file))));
    const total = parts.reduce((n, p) => n + p.tokens.length, 0);
    if (total !== manifest.counts.tokens[split]) {
      throw new PipelineError('QD_DATA_UNREADABLE', `${dir}: ${split} shards hold ${total} tokens, the manifest says ${manifest.counts.tokens[split]}; prepare the data again`);
    }
    const out = tokenizer.vocabSize <= 65536 ? new Uint16Array(total) : new Uint32Array(total);
    let at = 0;
    for (const p of parts) {
      out.set(p.tokens, at);
      at += p.tokens.length;
    }
    return out;
  };
  const [train, val] = await Promise.all([load('train'), load('val')]);
  const labels = manifest.labels ? await readJson<LabeledExamples>(join(dir, manifest.labels.file)) : null;
  return { manifest, tokenizer, train, val, labels };
}

async function readJson<T>(path: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new PipelineError('QD_DATA_UNREADABLE', `${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}); is this a folder written by npx qudao data prepare?`, { cause: err });
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new PipelineError('QD_DATA_UNREADABLE', `${path}: not valid JSON; prepare the data again`, { cause: err });
  }
}
