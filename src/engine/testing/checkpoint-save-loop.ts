/**
 * Child process for the kill -9 test of checkpoints (checkpoint/crash.test.ts): saves checkpoint `dir`
 * again and again, save k holding step k and weights all equal to k, and prints `saved k` after each, until
 * it is killed. Usage: node --import tsx checkpoint-save-loop.ts <dir> <floats per tensor>
 */
import { saveCheckpoint } from '../checkpoint/checkpoint.js';

const [dir, size] = process.argv.slice(2);
if (!dir || !size) throw new Error('usage: checkpoint-save-loop.ts <dir> <floats per tensor>');
for (let step = 1; ; step++) {
  const fill = (n: number) => new Float32Array(Number(size)).fill(n);
  await saveCheckpoint(dir, {
    config: { kind: 'test' },
    weights: new Map([['a', { shape: [Number(size)], data: fill(step) }], ['b', { shape: [Number(size)], data: fill(-step) }]]),
    training: { step, optimizer: { step, buffers: new Map([['a.exp_avg', fill(step / 2)]]) } },
  });
  process.stdout.write(`saved ${step}\n`);
}
