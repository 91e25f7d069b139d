/**
 * The contract every tokenizer in Qudao fulfils. The model, the data step, the trainer and the gateway depend
 * only on this shape, so a byte tokenizer for tiny tests and GPT-2's 50,257-token vocabulary are interchangeable.
 */
export interface Tokenizer {
  /** `'bpe'` for byte-level BPE (trained or GPT-2), `'byte'` for the 256-byte tokenizer. */
  readonly kind: string;
  /** Number of ids, special tokens included: every id is in `[0, vocabSize)`. */
  readonly vocabSize: number;
  /** Id of `<|endoftext|>`, the document separator in token shards and the stop token in generation. */
  readonly eotId: number;
  /**
   * Text to ids. `<|endoftext|>` written inside the text is encoded as ordinary text unless
   * `allowSpecial` is set, so user input can never forge a document boundary.
   */
  encode(text: string, opts?: EncodeOptions): number[];
  /** Ids to text. Byte sequences that are not valid UTF-8 (e.g. a cut multi-byte character) decode to U+FFFD. */
  decode(ids: ArrayLike<number>): string;
  /** The raw bytes of one id (specials give their UTF-8 text); lets a stream decoder hold back partial characters. */
  tokenBytes?(id: number): Uint8Array;
  /** Plain JSON that {@link tokenizerFromJSON} turns back into an identical tokenizer. */
  toJSON(): TokenizerJSON;
}

/** Options of {@link Tokenizer.encode}. */
export interface EncodeOptions {
  /** When true, `<|endoftext|>` in the text becomes the special id instead of ordinary tokens. */
  readonly allowSpecial?: boolean;
}

/**
 * Serialised byte-level BPE in the Hugging Face / GPT-2 `vocab.json` + `merges.txt` convention: tokens are
 * written through GPT-2's byte-to-unicode table so that every byte sequence is a printable JSON string.
 */
export interface BpeTokenizerJSON {
  readonly kind: 'bpe';
  readonly version: 1;
  /** Token string (byte-to-unicode form) to id, specials excluded. */
  readonly vocab: Record<string, number>;
  /** Merges in priority order, each `"left right"` in byte-to-unicode form. */
  readonly merges: string[];
  /** Special token text to id, e.g. `{"<|endoftext|>": 50256}`. */
  readonly specialTokens: Record<string, number>;
}

/** Serialised {@link Tokenizer} of kind `'byte'`: nothing to store but the kind. */
export interface ByteTokenizerJSON {
  readonly kind: 'byte';
  readonly version: 1;
}

/** Any serialised tokenizer. */
export type TokenizerJSON = BpeTokenizerJSON | ByteTokenizerJSON;

/** The special token that ends every document. */
export const END_OF_TEXT = '<|endoftext|>';
