/**
 * Tokenizers: byte-level BPE (trained here or GPT-2's) and a byte tokenizer for tiny tests. This folder imports
 * nothing else from `src`, so the model, the data step and the gateway can all depend on it.
 */
export type { Tokenizer, TokenizerJSON, BpeTokenizerJSON, ByteTokenizerJSON, EncodeOptions } from './types.js';
export { END_OF_TEXT } from './types.js';
export { trainBpe, type TrainBpeOptions } from './train.js';
export { gpt2Tokenizer } from './gpt2.js';
export { byteTokenizer } from './byte.js';
export { tokenizerFromJSON } from './json.js';
export { createStreamDecoder, type StreamDecoder } from './stream.js';
export { pretokenize, GPT2_PATTERN } from './pretokenize.js';
