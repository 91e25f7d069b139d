// Engine benchmark (`npm run bench:engine`): matmul GFLOP/s, GPT training tokens/s and peak RSS, and
// KV-cached generation, on the native kernels beside the WebAssembly kernels (and, for tiny training,
// the same model in TensorFlow.js on its wasm backend), all in the same run. Each case runs in its own
// process so peak RSS belongs to that case alone. The machine is shared: the contenders alternate, every
// case is repeated (default 3, `--repeat N`) and the best and median are reported with native/wasm ratios.
// Flags: --repeat N, --threads N, --quick (fewer steps), --tfjs-mid (also TF.js mid at batch 4: slow),
// --no-tfjs (skip TF.js; its LSTM case alone takes about two minutes), --profile (each training and generation
// case also prints its time per kernel to stderr). Without a built native addon only the wasm rows are measured.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import os from 'node:os';
import { loadNativeAddon } from '../src/engine/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const repeat = flag('repeat', 3);
const threads = String(flag('threads', 2));
const quick = args.includes('--quick');
const profileFlag = args.includes('--profile') ? ['--profile'] : [];
const nativeLoad = loadNativeAddon();
const backends = nativeLoad.addon ? (['native', 'wasm'] as const) : (['wasm'] as const);

type Row = Record<string, unknown> & { tokensPerSecBest?: number; tokensPerSecMedian?: number; tokensPerCpuSecondMedian?: number; peakRssMB?: number; kernels?: string };

function run(script: string, ...caseArgs: string[]): Row[] {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(here, 'engine', script), ...caseArgs], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Row);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Best of bests, median of medians, best per-CPU-second, max peak RSS over repeated runs of one contender. */
function summarise(rows: Row[]): Row {
  return {
    ...rows[0]!,
    tokensPerSecBest: Math.max(...rows.map((r) => r.tokensPerSecBest ?? 0)),
    tokensPerSecMedian: median(rows.map((r) => r.tokensPerSecMedian ?? 0)),
    tokensPerCpuSecondMedian: Math.max(...rows.map((r) => r.tokensPerCpuSecondMedian ?? 0)),
    peakRssMB: Math.max(...rows.map((r) => r.peakRssMB ?? 0)),
    runs: rows.length,
  };
}

/** Runs each contender `repeat` times, alternating them (A B C A B C ...), so load changes hit all alike. */
function alternating(contenders: Array<{ script: string; args: string[] }>, times = repeat): Row[] {
  const rows: Row[][] = contenders.map(() => []);
  for (let r = 0; r < times; r++) contenders.forEach((c, i) => rows[i]!.push(run(c.script, ...c.args)[0]!));
  return rows.map(summarise);
}

const fmt = (n: number | undefined): string => (n ?? 0).toLocaleString('en-US');
const ratio = (a: number | undefined, b: number | undefined): string => `${((a ?? 0) / (b || 1)).toFixed(2)}x`;
const line = (s: string): void => void process.stdout.write(s + '\n');
line(`Qudao engine benchmark — ${os.cpus()[0]?.model ?? 'cpu'} ×${os.availableParallelism()}, Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
if (!nativeLoad.addon) line(`native kernels unavailable (${nativeLoad.reason}): wasm only`);

line('\nmatmul GFLOP/s, best / median of 15 (native beside wasm, alternating; target >= 350 on 2 threads)');
for (const t of ['1', threads]) {
  const per = backends.map(() => [] as Row[][]);
  for (let r = 0; r < Math.max(1, Math.min(repeat, 2)); r++) backends.forEach((b, i) => per[i]!.push(run('matmul-case.ts', t, `--kernels=${b}`)));
  const shapes = per[0]![0]!;
  shapes.forEach((s, j) => {
    const cells = backends.map((b, i) => {
      const rs = per[i]!.map((rep) => rep[j]!);
      return { b, best: Math.max(...rs.map((r) => r.gflopsBest as number)), med: median(rs.map((r) => r.gflopsMedian as number)) };
    });
    const shape = `${s.m}x${s.n}x${s.k}${s.transA ? ' Aᵀ' : ''}${s.transB ? ' Bᵀ' : ''}`;
    const text = cells.map((c) => `${c.b} ${c.best} / ${c.med}`).join(', ');
    line(`  ${t} thread(s) ${shape.padEnd(18)} ${text}${cells.length > 1 ? `  (native/wasm ${ratio(cells[0]!.best, cells[1]!.best)} best, ${ratio(cells[0]!.med, cells[1]!.med)} median)` : ''}`);
  });
}

const steps = quick ? '6' : '20';
line('\ntraining, tokens/s wall-clock (best / median), tokens per CPU-second (all threads, spinning included), peak RSS');
const tfjs = !args.includes('--no-tfjs');
const tinyRows = alternating([
  ...backends.map((b) => ({ script: 'train-case.ts', args: ['tiny', '16', steps, threads, `--kernels=${b}`, ...profileFlag] })),
  ...(tfjs ? [{ script: 'tfjs-case.ts', args: ['tiny', '16', quick ? '3' : '6', threads] }] : []),
]);
const report = (label: string, r: Row): void => line(`  ${label.padEnd(16)} ${fmt(r.tokensPerSecBest)} / ${fmt(r.tokensPerSecMedian)}, ${fmt(r.tokensPerCpuSecondMedian)} per CPU-s, ${r.peakRssMB} MB`);
line('  tiny GPT (V 256, ctx 64, 4 layers, 4 heads, d 128, batch 16, AdamW)  [target >= 30,000 native]');
backends.forEach((b, i) => report(String(tinyRows[i]!.kernels ?? b), tinyRows[i]!));
if (tfjs) report('TF.js wasm (Adam)', tinyRows[backends.length]!);
if (backends.length > 1) line(`  native / wasm: ${ratio(tinyRows[0]!.tokensPerSecBest, tinyRows[1]!.tokensPerSecBest)} best, ${ratio(tinyRows[0]!.tokensPerSecMedian, tinyRows[1]!.tokensPerSecMedian)} median`);
if (tfjs) line(`  ${backends[0]} / TF.js: ${ratio(tinyRows[0]!.tokensPerSecBest, tinyRows[backends.length]!.tokensPerSecBest)} best, ${ratio(tinyRows[0]!.tokensPerSecMedian, tinyRows[backends.length]!.tokensPerSecMedian)} median`);

const midRows = alternating(backends.map((b) => ({ script: 'train-case.ts', args: ['mid', '8', quick ? '3' : '6', threads, `--kernels=${b}`, ...profileFlag] })));
line('  mid GPT (V 256, ctx 256, 6 layers, 6 heads, d 384, batch 8, AdamW)  [target >= 2,500 native, peak RSS < 1,200 MB]');
backends.forEach((b, i) => report(String(midRows[i]!.kernels ?? b), midRows[i]!));
if (backends.length > 1) line(`  native / wasm: ${ratio(midRows[0]!.tokensPerSecBest, midRows[1]!.tokensPerSecBest)} best, ${ratio(midRows[0]!.tokensPerSecMedian, midRows[1]!.tokensPerSecMedian)} median`);
if (args.includes('--tfjs-mid')) {
  const [midTf] = alternating([{ script: 'tfjs-case.ts', args: ['mid', '4', '2', threads] }]);
  report('TF.js mid, batch 4', midTf!);
}

const lstmRows = alternating(backends.map((b) => ({ script: 'train-case.ts', args: ['lstm-seed', '32', quick ? '2' : '4', threads, `--kernels=${b}`, ...profileFlag] })));
line('  seed LSTM (lstm-seed: V 256, embed 256, 2 x LSTM 512, dropout 0.2; batch 32, 64-token sequences, AdamW)');
backends.forEach((b, i) => report(String(lstmRows[i]!.kernels ?? b), lstmRows[i]!));
if (backends.length > 1) line(`  native / wasm: ${ratio(lstmRows[0]!.tokensPerSecBest, lstmRows[1]!.tokensPerSecBest)} best, ${ratio(lstmRows[0]!.tokensPerSecMedian, lstmRows[1]!.tokensPerSecMedian)} median`);
if (tfjs) {
  // tf.layers.lstm takes ~30 s a step here (and ~3.6 GB): one run of 2 steps, not repeated.
  const [tfLstm] = alternating([{ script: 'tfjs-lstm-case.ts', args: ['32', quick ? '1' : '2', threads] }], 1);
  report('TF.js tf.layers.lstm (Adam)', tfLstm!);
  line(`  ${backends[0]} / TF.js: ${ratio(lstmRows[0]!.tokensPerSecBest, tfLstm!.tokensPerSecBest)} best`);
}

line('\ngeneration with KV cache, mid GPT, 16-token prompts, tokens/s (best / median of 3)  [target batch 1 >= 846 native]');
for (const b of ['1', '8']) {
  const rows = alternating(backends.map((k) => ({ script: 'generate-case.ts', args: ['mid', b, quick ? '48' : '128', threads, `--kernels=${k}`, ...profileFlag] })), 1);
  rows.forEach((g, i) => line(`  batch ${b} ${String(g.kernels ?? backends[i]).padEnd(14)} ${fmt(g.tokensPerSecBest)} / ${fmt(g.tokensPerSecMedian)} (${g.newTokensPerRow} new tokens per row), ${g.peakRssMB} MB`));
  if (rows.length > 1) line(`  batch ${b} native / wasm: ${ratio(rows[0]!.tokensPerSecBest, rows[1]!.tokensPerSecBest)} best`);
}
line(`\nload at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (other processes share these cores; figures are noisy)`);
