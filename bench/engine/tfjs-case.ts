// The same GPT-2 training step written with TensorFlow.js on its WebAssembly backend, as the
// baseline for bench/engine.ts. Prints one JSON line.
// Usage: tsx bench/engine/tfjs-case.ts <tiny|mid> <batch> <steps> [threads]
// Notes: tf.gather has no gradient on the wasm backend, so embeddings are one-hot matmuls
// (V = 256 keeps that cheap); tfjs has no AdamW, so this uses Adam (same cost per step).
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { presetSpec, type GptConfig } from '../../src/models/index.js';

const [name = 'tiny', batchArg = '16', stepsArg = '6', threadsArg = '2'] = process.argv.slice(2);
const cfg = presetSpec(name as 'tiny' | 'mid').config as GptConfig;
const { vocabSize: V, contextLength: T, nLayer: L, nHead: NH, dModel: C } = cfg;
const B = Number(batchArg);
const steps = Number(stepsArg);
const hs = C / NH;
setThreadsCount(Number(threadsArg));
await tf.setBackend('wasm');
await tf.ready();

const normal = (shape: number[], std = 0.02): tf.Variable => tf.variable(tf.randomNormal(shape, 0, std, 'float32', 1));
const ones = (n: number): tf.Variable => tf.variable(tf.ones([n]));
const zeros = (n: number): tf.Variable => tf.variable(tf.zeros([n]));
const wte = normal([V, C]);
const wpe = normal([T, C], 0.01);
const layers = Array.from({ length: L }, () => ({
  ln1g: ones(C), ln1b: zeros(C), attnW: normal([C, 3 * C]), attnB: zeros(3 * C), projW: normal([C, C]), projB: zeros(C),
  ln2g: ones(C), ln2b: zeros(C), fcW: normal([C, 4 * C]), fcB: zeros(4 * C), fc2W: normal([4 * C, C]), fc2B: zeros(C),
}));
const lnfg = ones(C);
const lnfb = zeros(C);
const mask = tf.tidy(() => tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([T, T]), -1, 0)), -1e9));

const layerNorm = (x: tf.Tensor2D, g: tf.Tensor, b: tf.Tensor): tf.Tensor2D => {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b) as tf.Tensor2D;
};
const gelu = (x: tf.Tensor): tf.Tensor => tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))));
const heads = (t: tf.Tensor): tf.Tensor4D => tf.transpose(tf.reshape(t, [B, T, NH, hs]), [0, 2, 1, 3]) as tf.Tensor4D;

function lossOf(onehot: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  let x = tf.reshape(tf.add(tf.reshape(tf.matMul(onehot, wte), [B, T, C]), wpe), [B * T, C]) as tf.Tensor2D;
  for (const l of layers) {
    const qkv = tf.add(tf.matMul(layerNorm(x, l.ln1g, l.ln1b), l.attnW), l.attnB);
    const [q, k, v] = tf.split(qkv, 3, -1) as [tf.Tensor, tf.Tensor, tf.Tensor];
    const att = tf.softmax(tf.add(tf.mul(tf.matMul(heads(q), heads(k), false, true), 1 / Math.sqrt(hs)), mask));
    const y = tf.reshape(tf.transpose(tf.matMul(att, heads(v)), [0, 2, 1, 3]), [B * T, C]) as tf.Tensor2D;
    x = tf.add(x, tf.add(tf.matMul(y, l.projW), l.projB));
    const h = gelu(tf.add(tf.matMul(layerNorm(x, l.ln2g, l.ln2b), l.fcW), l.fcB)) as tf.Tensor2D;
    x = tf.add(x, tf.add(tf.matMul(h, l.fc2W), l.fc2B));
  }
  const logits = tf.matMul(layerNorm(x, lnfg, lnfb), wte, false, true);
  return tf.losses.softmaxCrossEntropy(targets, logits) as tf.Scalar;
}

const opt = tf.train.adam(3e-4, 0.9, 0.95);
const times: number[] = [];
const cpu: number[] = [];
let loss = 0;
for (let s = 0; s < steps + 2; s++) {
  const ids = Int32Array.from({ length: B * T }, (_, i) => (i * 7 + s) % V);
  const tg = Int32Array.from({ length: B * T }, (_, i) => ids[(i + 1) % ids.length]!);
  const onehot = tf.oneHot(tf.tensor1d(ids, 'int32'), V) as tf.Tensor2D;
  const targets = tf.oneHot(tf.tensor1d(tg, 'int32'), V) as tf.Tensor2D;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const l = opt.minimize(() => lossOf(onehot.toFloat() as tf.Tensor2D, targets.toFloat() as tf.Tensor2D), true)!;
  loss = l.dataSync()[0]!;
  if (s >= 2) {
    times.push(performance.now() - t0);
    const d = process.cpuUsage(c0);
    cpu.push((d.user + d.system) / 1000);
  }
  tf.dispose([l, onehot, targets]);
}
times.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);
const tok = (ms: number): number => Math.round((B * T) / (ms / 1000));
console.log(JSON.stringify({
  case: `train-${name}`, engine: 'tfjs-wasm', batch: B, ctx: T, steps,
  tokensPerSecBest: tok(times[0]!), tokensPerSecMedian: tok(times[Math.floor(times.length / 2)]!),
  tokensPerCpuSecondMedian: tok(cpu[Math.floor(cpu.length / 2)]!),
  peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024), loss,
}));
