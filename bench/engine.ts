// Engine benchmark (`npm run bench:engine`): matmul GFLOP/s, GPT training tokens/s and peak RSS on
// the Qudao engine next to the same model in TensorFlow.js (wasm backend), and KV-cached generation.
// Each case runs in its own process so peak RSS belongs to that case alone. The machine is shared:
// every training case is repeated (default 3, `--repeat N`) and the best and median are reported.
// Flags: --repeat N, --threads N, --quick (fewer steps), --tfjs-mid (also TF.js mid at batch 4: slow).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import os from 'node:os';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const repeat = flag('repeat', 3);
const threads = String(flag('threads', 2));
const quick = args.includes('--quick');

type Row = Record<string, unknown> & { tokensPerSecBest?: number; tokensPerSecMedian?: number; tokensPerCpuSecondMedian?: number; peakRssMB?: number };

function run(script: string, ...caseArgs: string[]): Row[] {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(here, 'engine', script), ...caseArgs], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Row);
}

/** Runs a case `repeat` times; best of bests, median of medians, max peak RSS. */
function repeated(script: string, ...caseArgs: string[]): Row {
  const rows = Array.from({ length: repeat }, () => run(script, ...caseArgs)[0]!);
  const best = Math.max(...rows.map((r) => r.tokensPerSecBest ?? 0));
  const medians = rows.map((r) => r.tokensPerSecMedian ?? 0).sort((a, b) => a - b);
  const cpu = Math.max(...rows.map((r) => r.tokensPerCpuSecondMedian ?? 0));
  return { ...rows[0]!, tokensPerSecBest: best, tokensPerSecMedian: medians[Math.floor(medians.length / 2)], tokensPerCpuSecondMedian: cpu, peakRssMB: Math.max(...rows.map((r) => r.peakRssMB ?? 0)), runs: rows.length };
}

const line = (s: string): void => void process.stdout.write(s + '\n');
line(`Qudao engine benchmark — ${os.cpus()[0]?.model ?? 'cpu'} ×${os.availableParallelism()}, Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

line('\nmatmul (wasm SIMD), GFLOP/s');
for (const r of run('matmul-case.ts', '1', threads)) {
  line(`  ${r.threads} thread(s) ${r.m}x${r.n}x${r.k}${r.transA ? ' Aᵀ' : ''}${r.transB ? ' Bᵀ' : ''}: best ${r.gflopsBest}, median ${r.gflopsMedian}${r.gflopsPerCpuSecondMedian ? `, per CPU-second ${r.gflopsPerCpuSecondMedian}` : ''}`);
}

const steps = quick ? '6' : '20';
line('\ntraining, tokens/s wall-clock (best / median), tokens per CPU-second (all threads, spinning included), peak RSS');
const tiny = repeated('train-case.ts', 'tiny', '16', steps, threads);
const tinyTf = repeated('tfjs-case.ts', 'tiny', '16', quick ? '3' : '6', threads);
line(`  tiny GPT (V 256, ctx 64, 4 layers, 4 heads, d 128, batch 16, AdamW): ${tiny.tokensPerSecBest} / ${tiny.tokensPerSecMedian}, ${tiny.tokensPerCpuSecondMedian} per CPU-s, ${tiny.peakRssMB} MB  [target >= 12,000]`);
line(`  same model in TF.js wasm (Adam):                                   ${tinyTf.tokensPerSecBest} / ${tinyTf.tokensPerSecMedian}, ${tinyTf.tokensPerCpuSecondMedian} per CPU-s, ${tinyTf.peakRssMB} MB`);
line(`  ratio Qudao / TF.js: ${(tiny.tokensPerSecBest! / tinyTf.tokensPerSecBest!).toFixed(1)}x best, ${(tiny.tokensPerSecMedian! / tinyTf.tokensPerSecMedian!).toFixed(1)}x median, ${(tiny.tokensPerCpuSecondMedian! / tinyTf.tokensPerCpuSecondMedian!).toFixed(1)}x per CPU-second`);
const mid = repeated('train-case.ts', 'mid', '8', quick ? '3' : '6', threads);
line(`  mid GPT (V 256, ctx 256, 6 layers, 6 heads, d 384, batch 8, AdamW): ${mid.tokensPerSecBest} / ${mid.tokensPerSecMedian}, ${mid.tokensPerCpuSecondMedian} per CPU-s, ${mid.peakRssMB} MB  [target >= 1,000 and < 1,200 MB]`);
if (args.includes('--tfjs-mid')) {
  const midTf = repeated('tfjs-case.ts', 'mid', '4', '2', threads);
  line(`  mid GPT in TF.js wasm at batch 4: ${midTf.tokensPerSecBest} / ${midTf.tokensPerSecMedian}, ${midTf.peakRssMB} MB`);
}

line('\ngeneration with KV cache, mid GPT, 16-token prompts, tokens/s (best / median of 3)');
for (const b of ['1', '8']) {
  const g = run('generate-case.ts', 'mid', b, quick ? '48' : '128', threads)[0]!;
  line(`  batch ${b}: ${g.tokensPerSecBest} / ${g.tokensPerSecMedian} (${g.newTokensPerRow} new tokens per row), ${g.peakRssMB} MB`);
}
line(`\nload at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (other processes share these cores; figures are noisy)`);
