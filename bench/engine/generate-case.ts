// Generation throughput with the KV cache on a GPT preset. Prints one JSON line.
// Usage: tsx bench/engine/generate-case.ts <tiny|mid> <batch> <newTokens> [threads] [--kernels=native|wasm]
import { createEngine } from '../../src/engine/index.js';
import { kernelsFlag, positional } from './flags.js';
import { GPT, presetSpec, type GptConfig } from '../../src/models/index.js';
import { generateBatch } from '../../src/inference/index.js';

const [name = 'mid', batchArg = '1', tokensArg = '128', threadsArg = '2'] = positional();
const config = presetSpec(name as 'tiny' | 'mid').config as GptConfig;
const B = Number(batchArg);
const maxTokens = Math.min(Number(tokensArg), config.contextLength - 16);
const engine = await createEngine({ threads: Number(threadsArg), kernels: kernelsFlag() });
const model = new GPT(engine, config, { seed: 1 }).train(false);
const requests = Array.from({ length: B }, (_, b) => ({
  prompt: Array.from({ length: 16 }, (_, i) => (b * 31 + i * 7) % config.vocabSize),
  options: { maxTokens, temperature: 0.8, topK: 40, seed: b },
}));
await generateBatch(model, requests.map((r) => ({ ...r, options: { ...r.options, maxTokens: 8 } }))); // warm-up
const runs: number[] = [];
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  const out = await generateBatch(model, requests);
  const ms = performance.now() - t0;
  runs.push(out.reduce((s, o) => s + o.tokens.length, 0) / (ms / 1000));
}
runs.sort((a, b) => a - b);
console.log(JSON.stringify({
  case: `generate-${name}`, engine: 'qudao', kernels: engine.backendName, batch: B, newTokensPerRow: maxTokens, promptTokens: 16,
  tokensPerSecBest: Math.round(runs[runs.length - 1]!), tokensPerSecMedian: Math.round(runs[1]!),
  peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
}));
await engine.dispose();
