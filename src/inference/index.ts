/**
 * Generation on token ids: KV-cached (GPT) or stateful (LSTM) decoding, temperature / top-k /
 * top-p sampling with a seeded RNG, stop tokens, streaming, cancellation, and batching of
 * concurrent requests; and on text (`TextGenerator`): the one sampling path of the gateway's
 * in-process models and `qudao generate`.
 */
export { sampleToken, validateSampling, type SamplingOptions, type SampledToken } from './sampler.js';
export {
  BatchGenerator, generate, streamTokens, generateBatch,
  type GenerateOptions, type GeneratedToken, type FinishReason, type GenerationResult, type GenerationStream,
  type BatchGeneratorOptions, type BatchRequest,
} from './generator.js';
export { TextGenerator, promptIds, choiceSeed, type TextRequest, type TextOutcome } from './text.js';
