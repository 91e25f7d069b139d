/**
 * Step 1 of the model pipeline, data: ingest text (files, folders, JSONL, CSV, Brown), clean, remove exact and
 * near duplicates, split train/validation by seed, tokenize, and write token shards with a manifest.
 * A pure library: the CLI command and the API endpoint only parse, call {@link prepareData} and format.
 */
export { prepareData, DATA_FILES } from './prepare.js';
export { resolvePrepareOptions, type PrepareOptions } from './options.js';
export { openShards, type OpenedData } from './open.js';
export type { DataManifest, Manifest, TokenizerChoice, LabeledExamples, ResolvedPrepareOptions } from './manifest.js';
export { PipelineError, DATA_ERROR_CODES, type DataErrorCode } from './errors.js';
export type { InputFormat } from './files.js';
export type { IngestOptions, RawDocument, InputRecord } from './ingest.js';
export { cleanText, lengthVerdict, type CleanOptions, type LengthVerdict } from './clean.js';
export { dedupe, type DedupeOptions, type DedupeResult } from './dedupe.js';
export { MinHashIndex, lshBands, shingleHashes, type MinHashOptions, type ShingleKind } from './minhash.js';
export { assignSplits, splitHash, type SplitName } from './split.js';
export { parseCsv } from './csv.js';
export { readShard, writeShard, bytesPerToken, SHARD_MAGIC, SHARD_VERSION, type ShardInfo, type TokenArray } from './shardFormat.js';
export { brownToText, readBrownCorpus, brownCorpusDir, type BrownDocument } from './brown.js';
export { parseChatJsonl, CHAT_EXAMPLE_ROLES, type ChatExample, type ChatExampleMessage, type ChatJsonlOptions } from './chat-jsonl.js';
export { tokenizeChat, tokenizeChats, type TokenizedChat, type ChatTokenizer } from './chat-tokens.js';
export { packChats, chatBatch, rowTokens, type PackedRow } from './chat-pack.js';
