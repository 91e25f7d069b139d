import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { PipelineError } from './errors.js';

/**
 * Token shard file format, version 1, little-endian:
 *
 * | offset | size | field |
 * | --- | --- | --- |
 * | 0 | 4 | magic `QDTK` |
 * | 4 | 4 | format version (1) |
 * | 8 | 4 | bytes per token: 2 (uint16, vocabularies up to 65,536) or 4 (uint32) |
 * | 12 | 4 | documents in this shard |
 * | 16 | 8 | token count (uint64) |
 * | 24 | 4 | id of `<|endoftext|>` |
 * | 28 | 4 | reserved, 0 |
 * | 32 | … | tokens |
 *
 * Each document is preceded by `<|endoftext|>` (as in GPT-2 training data), so a sequence sampled anywhere sees
 * where documents start, and generation can be primed with that token alone.
 */
export const SHARD_MAGIC = 'QDTK';
export const SHARD_VERSION = 1;
export const SHARD_HEADER_BYTES = 32;

/** Token array type of a shard. */
export type TokenArray = Uint16Array | Uint32Array;

/** The smallest token width that holds every id of a vocabulary. */
export function bytesPerToken(vocabSize: number): 2 | 4 {
  return vocabSize <= 65536 ? 2 : 4;
}

/** What a written shard is, as listed in the manifest. */
export interface ShardInfo {
  readonly file: string;
  readonly split: 'train' | 'val';
  readonly documents: number;
  readonly tokens: number;
  readonly sha256: string;
}

/** Writes one shard and fsyncs it, so the atomic rename of the folder never exposes unwritten data. */
export async function writeShard(path: string, tokens: TokenArray, documents: number, eotId: number): Promise<string> {
  const header = Buffer.alloc(SHARD_HEADER_BYTES);
  header.write(SHARD_MAGIC, 0, 'latin1');
  header.writeUInt32LE(SHARD_VERSION, 4);
  header.writeUInt32LE(tokens.BYTES_PER_ELEMENT, 8);
  header.writeUInt32LE(documents, 12);
  header.writeBigUInt64LE(BigInt(tokens.length), 16);
  header.writeUInt32LE(eotId, 24);
  // Typed arrays are in platform byte order; every platform Node supports in practice is little-endian.
  const body = Buffer.from(tokens.buffer, tokens.byteOffset, tokens.byteLength);
  const fh = await open(path, 'wx');
  try {
    await fh.writev([header, body]);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return createHash('sha256').update(header).update(body).digest('hex');
}

/** Reads one shard into a typed array, checking its header against the file's size. */
export async function readShard(path: string): Promise<{ tokens: TokenArray; documents: number; eotId: number }> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (err) {
    throw new PipelineError('QD_DATA_UNREADABLE', `${path}: token shard cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err });
  }
  const bad = (why: string) => new PipelineError('QD_DATA_UNREADABLE', `${path}: not a valid token shard (${why}); prepare the data again`);
  if (buf.length < SHARD_HEADER_BYTES || buf.toString('latin1', 0, 4) !== SHARD_MAGIC) throw bad('bad magic');
  if (buf.readUInt32LE(4) !== SHARD_VERSION) throw bad(`format version ${buf.readUInt32LE(4)}, expected ${SHARD_VERSION}`);
  const width = buf.readUInt32LE(8);
  if (width !== 2 && width !== 4) throw bad(`token width ${width}`);
  const count = Number(buf.readBigUInt64LE(16));
  if (buf.length !== SHARD_HEADER_BYTES + count * width) throw bad('size does not match the token count (truncated?)');
  // Copy into a fresh, aligned buffer: a Buffer's offset in Node's pool may not be a multiple of 4.
  const body = new Uint8Array(buf.subarray(SHARD_HEADER_BYTES));
  const tokens = width === 2 ? new Uint16Array(body.buffer, 0, count) : new Uint32Array(body.buffer, 0, count);
  return { tokens, documents: buf.readUInt32LE(12), eotId: buf.readUInt32LE(24) };
}
