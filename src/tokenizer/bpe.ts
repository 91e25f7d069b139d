import { applyMerges } from './applyMerges.js';
import { bytesKey, bytesToUnicode } from './byteUnicode.js';
import { pairKey } from './pairKey.js';
import { gpt2Regex } from './pretokenize.js';
import { END_OF_TEXT, type BpeTokenizerJSON, type EncodeOptions, type Tokenizer } from './types.js';

/** What a byte-level BPE tokenizer is made of; ids need not follow any order except being unique. */
export interface BpeTables {
  /** `tokens[id]` is the byte string of each ordinary id (every single byte must be present). */
  readonly tokens: ReadonlyArray<Uint8Array>;
  /** Merges in priority order: the pair (left id, right id); the result is the id of their concatenated bytes. */
  readonly merges: ReadonlyArray<readonly [number, number]>;
  /** Special token text to id; must contain `<|endoftext|>`. */
  readonly specialTokens: Readonly<Record<string, number>>;
}

/** Pre-token pieces longer than this are not cached (they are rare and would bloat the cache). */
const CACHE_MAX_PIECE = 64;
/** The cache is cleared when it reaches this many pieces, which bounds memory on endless streams of text. */
const CACHE_MAX_ENTRIES = 100_000;

/**
 * Byte-level BPE (GPT-2 style): GPT-2 pre-tokenisation, UTF-8 bytes, then merges by rank inside each piece.
 * Encoding caches each piece's ids, because natural text repeats a small set of words.
 */
export class BpeTokenizer implements Tokenizer {
  readonly kind = 'bpe';
  readonly vocabSize: number;
  readonly eotId: number;
  private readonly idBytes: Uint8Array[];
  private readonly byteToId = new Int32Array(256);
  private readonly rankOf = new Map<number, number>();
  private readonly resultOf: Int32Array;
  private readonly merges: ReadonlyArray<readonly [number, number]>;
  private readonly specials: ReadonlyMap<string, number>;
  private readonly cache = new Map<string, number[]>();
  private readonly utf8 = new TextEncoder();
  private readonly decoder = new TextDecoder('utf-8');

  constructor(tables: BpeTables) {
    const specials = new Map(Object.entries(tables.specialTokens));
    const eot = specials.get(END_OF_TEXT);
    if (eot === undefined) throw new Error(`BPE tables lack the ${END_OF_TEXT} special token`);
    this.eotId = eot;
    this.specials = specials;
    let maxId = -1;
    tables.tokens.forEach((_, id) => (maxId = Math.max(maxId, id)));
    for (const id of specials.values()) maxId = Math.max(maxId, id);
    this.vocabSize = maxId + 1;
    this.idBytes = new Array<Uint8Array>(this.vocabSize);
    const idOfBytes = new Map<string, number>();
    tables.tokens.forEach((bytes, id) => {
      this.idBytes[id] = bytes;
      idOfBytes.set(bytesKey(bytes), id);
    });
    for (const [text, id] of specials) {
      if (this.idBytes[id] !== undefined) throw new Error(`special token ${text} reuses id ${id}`);
      this.idBytes[id] = this.utf8.encode(text);
    }
    for (let b = 0; b < 256; b++) {
      const id = idOfBytes.get(String.fromCharCode(b));
      if (id === undefined) throw new Error(`BPE tables lack the single byte 0x${b.toString(16)}`);
      this.byteToId[b] = id;
    }
    this.merges = tables.merges;
    this.resultOf = new Int32Array(tables.merges.length);
    tables.merges.forEach(([a, b], rank) => {
      const left = this.idBytes[a];
      const right = this.idBytes[b];
      if (!left || !right) throw new Error(`merge ${rank} names an unknown id`);
      const joined = new Uint8Array(left.length + right.length);
      joined.set(left);
      joined.set(right, left.length);
      const result = idOfBytes.get(bytesKey(joined));
      if (result === undefined) throw new Error(`merge ${rank} produces a token missing from the vocabulary`);
      this.resultOf[rank] = result;
      const key = pairKey(a, b);
      if (!this.rankOf.has(key)) this.rankOf.set(key, rank);
    });
  }

  /** {@inheritDoc Tokenizer.encode} */
  encode(text: string, opts?: EncodeOptions): number[] {
    const out: number[] = [];
    if (!opts?.allowSpecial) {
      this.encodeOrdinary(text, out);
      return out;
    }
    let start = 0;
    for (;;) {
      let at = -1;
      let special = '';
      for (const s of this.specials.keys()) {
        const i = text.indexOf(s, start);
        if (i >= 0 && (at < 0 || i < at)) [at, special] = [i, s];
      }
      if (at < 0) break;
      this.encodeOrdinary(text.slice(start, at), out);
      out.push(this.specials.get(special)!);
      start = at + special.length;
    }
    this.encodeOrdinary(text.slice(start), out);
    return out;
  }

  /** {@inheritDoc Tokenizer.decode} */
  decode(ids: ArrayLike<number>): string {
    let total = 0;
    for (let i = 0; i < ids.length; i++) total += this.tokenBytes(ids[i]!).length;
    const buf = new Uint8Array(total);
    let at = 0;
    for (let i = 0; i < ids.length; i++) {
      const bytes = this.idBytes[ids[i]!]!;
      buf.set(bytes, at);
      at += bytes.length;
    }
    return this.decoder.decode(buf);
  }

  /** {@inheritDoc Tokenizer.tokenBytes} */
  tokenBytes(id: number): Uint8Array {
    const bytes = this.idBytes[id];
    if (bytes === undefined) throw new RangeError(`token id ${id} is outside this vocabulary (size ${this.vocabSize})`);
    return bytes;
  }

  /** {@inheritDoc Tokenizer.toJSON} */
  toJSON(): BpeTokenizerJSON {
    const vocab: Record<string, number> = {};
    const specialIds = new Set(this.specials.values());
    this.idBytes.forEach((bytes, id) => {
      if (!specialIds.has(id)) vocab[bytesToUnicode(bytes)] = id;
    });
    const merges = this.merges.map(([a, b]) => `${bytesToUnicode(this.idBytes[a]!)} ${bytesToUnicode(this.idBytes[b]!)}`);
    return { kind: 'bpe', version: 1, vocab, merges, specialTokens: Object.fromEntries(this.specials) };
  }

  private encodeOrdinary(text: string, out: number[]): void {
    const re = gpt2Regex();
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const piece = m[0];
      const cached = this.cache.get(piece);
      if (cached !== undefined) {
        for (let i = 0; i < cached.length; i++) out.push(cached[i]!);
        continue;
      }
      const ids = this.encodePiece(piece);
      if (piece.length <= CACHE_MAX_PIECE) {
        if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.clear();
        this.cache.set(piece, ids);
      }
      for (let i = 0; i < ids.length; i++) out.push(ids[i]!);
    }
  }

  private encodePiece(piece: string): number[] {
    // TextEncoder turns a lone surrogate into U+FFFD (EF BF BD), the only sensible UTF-8 for it.
    const bytes = this.utf8.encode(piece);
    const ids = new Array<number>(bytes.length);
    for (let i = 0; i < bytes.length; i++) ids[i] = this.byteToId[bytes[i]!]!;
    return applyMerges(ids, this.rankOf, this.resultOf);
  }
}
