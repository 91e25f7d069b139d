// The seed's LSTM language model (lstm-seed: Embedding 256 → 2 × LSTM 512 → Dropout 0.2 → Linear 256) in
// TensorFlow.js layers (`tf.layers.lstm`) on its WebAssembly backend, as the baseline for bench/engine.ts.
// Prints one JSON line. Usage: tsx bench/engine/tfjs-lstm-case.ts <batch> <steps> [threads]
// Notes: the embedding is a bias-free dense layer over one-hot ids (tf.gather has no gradient on the wasm
// backend); Adam, sequences of 64 tokens as bench/engine/train-case.ts.
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { presetSpec, type LstmLmConfig } from '../../src/models/index.js';

const [batchArg = '32', stepsArg = '3', threadsArg = '2'] = process.argv.slice(2);
const cfg = presetSpec('lstm-seed').config as LstmLmConfig;
const { vocabSize: V, embedDim: E, hiddenSize: H, numLayers: L } = cfg;
const B = Number(batchArg);
const T = 64;
const steps = Number(stepsArg);
setThreadsCount(Number(threadsArg));
await tf.setBackend('wasm');
await tf.ready();

const model = tf.sequential();
model.add(tf.layers.dense({ inputShape: [T, V], units: E, useBias: false }));
for (let l = 0; l < L; l++) model.add(tf.layers.lstm({ units: H, returnSequences: true }));
model.add(tf.layers.dropout({ rate: cfg.dropout ?? 0 }));
model.add(tf.layers.dense({ units: V }));
model.compile({ optimizer: tf.train.adam(3e-4), loss: (y, p) => tf.losses.softmaxCrossEntropy(y, p) });

const times: number[] = [];
const cpu: number[] = [];
let loss = 0;
for (let s = 0; s < steps + 1; s++) {
  const ids = Int32Array.from({ length: B * T }, (_, i) => (i * 7 + s) % V);
  const tg = Int32Array.from({ length: B * T }, (_, i) => ids[(i + 1) % ids.length]!);
  const x = tf.tidy(() => tf.reshape(tf.oneHot(tf.tensor1d(ids, 'int32'), V).toFloat(), [B, T, V]));
  const y = tf.tidy(() => tf.reshape(tf.oneHot(tf.tensor1d(tg, 'int32'), V).toFloat(), [B, T, V]));
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  loss = (await model.trainOnBatch(x, y)) as number;
  if (s >= 1) {
    times.push(performance.now() - t0);
    const d = process.cpuUsage(c0);
    cpu.push((d.user + d.system) / 1000);
  }
  tf.dispose([x, y]);
}
times.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);
const tok = (ms: number): number => Math.round((B * T) / (ms / 1000));
console.log(JSON.stringify({
  case: 'train-lstm-seed', engine: 'tfjs-wasm', batch: B, ctx: T, steps,
  tokensPerSecBest: tok(times[0]!), tokensPerSecMedian: tok(times[Math.floor(times.length / 2)]!),
  tokensPerCpuSecondMedian: tok(cpu[Math.floor(cpu.length / 2)]!),
  peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024), loss,
}));
