// Training throughput of a GPT or LSTM preset on the Qudao engine. Prints one JSON line.
// Usage: tsx bench/engine/train-case.ts <tiny|mid|lstm-seed> <batch> <steps> [threads] [--kernels=native|wasm] [--profile]
// The LSTM trains on sequences of LSTM_T tokens (truncated backpropagation through time, as the seed's model).
// --profile also prints, to stderr, the time per kernel over the measured steps (kernel-profile.ts).
import { createEngine, AdamW, Rng } from '../../src/engine/index.js';
import { kernelsFlag, positional } from './flags.js';
import { profileKernels } from './kernel-profile.js';
import { createModel, presetSpec, trainStep, estimateMemory, type GptConfig } from '../../src/models/index.js';

const LSTM_T = 64;

const profiling = process.argv.includes('--profile');
const [name = 'tiny', batchArg = '16', stepsArg = '20', threadsArg = '2'] = positional();
const spec = presetSpec(name as 'tiny' | 'mid' | 'lstm-seed');
const config = spec.config;
const B = Number(batchArg);
const T = spec.kind === 'gpt' ? (spec.config as GptConfig).contextLength : LSTM_T;
const steps = Number(stepsArg);
const engine = await createEngine({ threads: Number(threadsArg), kernels: kernelsFlag() });
const profile = profiling ? profileKernels(engine) : null;
const model = createModel(engine, spec, { seed: 1 });
const opt = new AdamW(engine, model.parameters(), { beta2: 0.95, weightDecay: 0.1 });
const rng = new Rng(2);
const ids = new Int32Array(B * T);
const targets = new Int32Array(B * T);
const stepTimes: number[] = [];
const stepCpu: number[] = [];
let loss = 0;
for (let s = 0; s < steps + 2; s++) {
  for (let i = 0; i < ids.length; i++) ids[i] = Math.floor(rng.uniform() * config.vocabSize);
  for (let i = 0; i < ids.length; i++) targets[i] = ids[(i + 1) % ids.length]!;
  if (s === 2) profile?.reset();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  loss = trainStep(model, opt, { ids, targets, shape: [B, T] }, 3e-4, 1).loss;
  if (s >= 2) {
    stepTimes.push(performance.now() - t0);
    const d = process.cpuUsage(c0);
    stepCpu.push((d.user + d.system) / 1000);
  }
}
if (profile) {
  const total = stepTimes.reduce((a, b) => a + b, 0);
  const rows = profile.rows();
  const inKernels = rows.reduce((a, r) => a + r.ms, 0);
  for (const r of [...rows, { kernel: 'other (JavaScript)', calls: 0, ms: total - inKernels }]) {
    process.stderr.write(`${r.kernel.padEnd(24)} ${(r.ms / steps).toFixed(2).padStart(8)} ms/step ${((100 * r.ms) / total).toFixed(1).padStart(5)}%  ${r.calls ? `${(r.calls / steps).toFixed(0)} calls/step` : ''}\n`);
  }
}
stepTimes.sort((a, b) => a - b);
stepCpu.sort((a, b) => a - b);
const tok = (ms: number): number => Math.round((B * T) / (ms / 1000));
console.log(JSON.stringify({
  case: `train-${name}`, engine: 'qudao', kernels: engine.backendName, batch: B, ctx: T, steps,
  tokensPerSecBest: tok(stepTimes[0]!), tokensPerSecMedian: tok(stepTimes[Math.floor(stepTimes.length / 2)]!),
  // Tokens per second of CPU time over all threads: what the code achieves when it has the cores.
  tokensPerCpuSecondMedian: tok(stepCpu[Math.floor(stepCpu.length / 2)]!),
  peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  estimatedTensorMB: Math.round(estimateMemory(spec, B, T).total / 1e6),
  arenaPeakMB: Math.round(engine.memory.peakArenaBytes / 1e6), loss,
}));
await engine.dispose();
