// Generation throughput with the KV cache on a GPT preset. Prints one JSON line.
// Usage: tsx bench/engine/generate-case.ts <tiny|mid> <batch> <newTokens> [threads] [--kernels=native|wasm] [--profile]
// --profile also prints, to stderr, the time per kernel and per generated token over the measured runs.
import { createEngine } from '../../src/engine/index.js';
import { kernelsFlag, positional } from './flags.js';
import { GPT, presetSpec, type GptConfig } from '../../src/models/index.js';
import { generateBatch } from '../../src/inference/index.js';
import { profileKernels } from './kernel-profile.js';

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
const profile = process.argv.includes('--profile') ? profileKernels(engine) : null;
const runs: number[] = [];
let generated = 0;
let wallMs = 0;
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  const out = await generateBatch(model, requests);
  const ms = performance.now() - t0;
  const tokens = out.reduce((s, o) => s + o.tokens.length, 0);
  generated += tokens;
  wallMs += ms;
  runs.push(tokens / (ms / 1000));
}
if (profile) {
  const rows = profile.rows();
  const inKernels = rows.reduce((a, r) => a + r.ms, 0);
  for (const r of [...rows, { kernel: 'other (JavaScript)', calls: 0, ms: wallMs - inKernels }]) {
    process.stderr.write(`${r.kernel.padEnd(24)} ${((1000 * r.ms) / generated).toFixed(0).padStart(7)} µs/token ${((100 * r.ms) / wallMs).toFixed(1).padStart(5)}%  ${r.calls ? `${(r.calls / generated).toFixed(1)} calls/token` : ''}\n`);
  }
}
runs.sort((a, b) => a - b);
console.log(JSON.stringify({
  case: `generate-${name}`, engine: 'qudao', kernels: engine.backendName, batch: B, newTokensPerRow: maxTokens, promptTokens: 16,
  tokensPerSecBest: Math.round(runs[runs.length - 1]!), tokensPerSecMedian: Math.round(runs[1]!),
  peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
}));
await engine.dispose();
