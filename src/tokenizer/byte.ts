import { END_OF_TEXT, type ByteTokenizerJSON, type EncodeOptions, type Tokenizer } from './types.js';

/** Id of `<|endoftext|>` in the byte tokenizer: the first id after the 256 bytes. */
const BYTE_EOT = 256;

/**
 * The simplest tokenizer: one id per UTF-8 byte, plus `<|endoftext|>` as id 256. Vocabulary 257, so tiny models
 * in tests need no trained vocabulary, and every string (emoji, Chinese) still round-trips.
 */
class ByteTokenizer implements Tokenizer {
  readonly kind = 'byte';
  readonly vocabSize = 257;
  readonly eotId = BYTE_EOT;
  private readonly utf8 = new TextEncoder();
  private readonly decoder = new TextDecoder('utf-8');
  private readonly eotBytes = new TextEncoder().encode(END_OF_TEXT);

  /** {@inheritDoc Tokenizer.encode} */
  encode(text: string, opts?: EncodeOptions): number[] {
    const parts = opts?.allowSpecial ? text.split(END_OF_TEXT) : [text];
    const out: number[] = [];
    parts.forEach((part, i) => {
      if (i > 0) out.push(BYTE_EOT);
      for (const b of this.utf8.encode(part)) out.push(b);
    });
    return out;
  }

  /** {@inheritDoc Tokenizer.decode} */
  decode(ids: ArrayLike<number>): string {
    const bytes: number[] = [];
    for (let i = 0; i < ids.length; i++) for (const b of this.tokenBytes(ids[i]!)) bytes.push(b);
    return this.decoder.decode(Uint8Array.from(bytes));
  }

  /** {@inheritDoc Tokenizer.tokenBytes} */
  tokenBytes(id: number): Uint8Array {
    if (id === BYTE_EOT) return this.eotBytes;
    if (!Number.isInteger(id) || id < 0 || id > 255) throw new RangeError(`token id ${id} is outside the byte vocabulary (size 257)`);
    return Uint8Array.of(id);
  }

  /** {@inheritDoc Tokenizer.toJSON} */
  toJSON(): ByteTokenizerJSON {
    return { kind: 'byte', version: 1 };
  }
}

/** A new {@link ByteTokenizer}: ids 0-255 are bytes, 256 is `<|endoftext|>`. */
export function byteTokenizer(): Tokenizer {
  return new ByteTokenizer();
}
