/**
 * `npm run bench:gateway-local`: the gateway serving its own model (the bundled `qudao-brown`, a `local`
 * deployment) with the native kernels and with the WebAssembly kernels, alternating in one run.
 *
 * Each contender is a `qudao start` process (QUDAO_KERNELS=native | wasm) on the same seeded data folder;
 * --concurrency clients (default 8) send chat completions back to back for --seconds (default 10) per round,
 * --rounds rounds (default 3), each asking for --max-tokens (default 32) tokens with temperature 0.8. Printed
 * per round and as the median: requests/s and completion tokens/s (from each answer's `usage`), p50/p99
 * latency, and the ratio native ÷ wasm. The continuous batcher serves up to 8 requests per forward pass.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { hashSecret, newSecret } from '../src/auth/index.js';
import { createPipelineServices, ensureBundledModel } from '../src/pipeline/index.js';
import { migrate, openStore, schema } from '../src/store/index.js';
import { quantile } from './load-generator.js';

const { values: flags } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, rounds: { type: 'string', default: '3' }, concurrency: { type: 'string', default: '8' }, 'max-tokens': { type: 'string', default: '32' } },
});
const seconds = Number(flags.seconds);
const rounds = Number(flags.rounds);
const concurrency = Number(flags.concurrency);
const maxTokens = Number(flags['max-tokens']);
const root = new URL('..', import.meta.url).pathname;
const ADMIN = 'qd_admin_bench_local_0123456789abcdef';
const prompts = ['The jury said', 'Once upon a time', 'The company announced', 'In the morning the'];

/** Seeds the folder: the bundled model registered and deployed, a plan without limits in the way, a key. */
async function seed(dataDir: string): Promise<string> {
  const store = await openStore({ dataDir, databaseUrl: undefined });
  await migrate(store);
  const pipeline = createPipelineServices(store, { dataDir, workerCommand: [process.execPath, join(root, 'bin/qudao.js')] });
  await ensureBundledModel(pipeline, join(root, 'models/bundled'));
  const key = newSecret('qd_sk');
  await store.db.insert(schema.pricePlans).values({ id: 'plan_bl', name: 'bench local', inputPer1mMicros: 1, outputPer1mMicros: 1 });
  await store.db.insert(schema.channels).values({ id: 'chn_bl', name: 'bench local', type: 'direct' });
  await store.db.insert(schema.customers).values({ id: 'cus_bl', name: 'bench local' });
  await store.db.insert(schema.apiKeys).values({ id: 'key_bl', prefix: key.slice(0, 14), keyHash: hashSecret(key), customerId: 'cus_bl', channelId: 'chn_bl', planId: 'plan_bl' });
  await store.close();
  return key;
}

/** Starts `qudao start` with the given kernels; resolves with its URL once it listens. */
function startQudao(dataDir: string, kernels: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['bin/qudao.js', 'start', '--port', '0'], {
    cwd: root,
    env: { ...process.env, QUDAO_DATA_DIR: dataDir, QUDAO_DEMO: 'false', QUDAO_ADMIN_TOKEN: ADMIN, QUDAO_LOG_LEVEL: 'warn', QUDAO_KERNELS: kernels },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const check = (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.on('exit', (code) => reject(new Error(`qudao (${kernels}) exited with ${code}: ${out}`)));
  });
}

interface Round {
  readonly requests: number;
  readonly tokens: number;
  readonly failed: number;
  readonly latenciesMs: number[];
  readonly seconds: number;
}

/** Closed-loop load: `concurrency` clients back to back for `seconds`. */
async function load(url: string, key: string, secs: number): Promise<Round> {
  const latenciesMs: number[] = [];
  let requests = 0;
  let tokens = 0;
  let failed = 0;
  const started = performance.now();
  const end = started + secs * 1000;
  await Promise.all(Array.from({ length: concurrency }, async (_, client) => {
    for (let i = 0; performance.now() < end; i++) {
      const t0 = performance.now();
      const res = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'qudao-brown', messages: [{ role: 'user', content: prompts[(client + i) % prompts.length] }], max_tokens: maxTokens, temperature: 0.8, seed: client * 1000 + i }),
      });
      const body = (await res.json()) as { usage?: { completion_tokens: number } };
      if (res.status !== 200 || !body.usage) {
        failed++;
        continue;
      }
      latenciesMs.push(performance.now() - t0);
      requests++;
      tokens += body.usage.completion_tokens;
    }
  }));
  return { requests, tokens, failed, latenciesMs, seconds: (performance.now() - started) / 1000 };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const describe = (label: string, r: Round): string =>
  `${label.padEnd(22)} ${(r.requests / r.seconds).toFixed(1).padStart(7)} req/s ${Math.round(r.tokens / r.seconds).toString().padStart(6)} tokens/s  p50 ${quantile(r.latenciesMs, 0.5).toFixed(0)} ms  p99 ${quantile(r.latenciesMs, 0.99).toFixed(0)} ms  errors ${r.failed}`;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'qd-bench-local-'));
  try {
    const key = await seed(dataDir);
    console.log(`gateway local-model bench: qudao-brown, ${concurrency} clients, max_tokens ${maxTokens}, ${seconds} s per round, ${rounds} rounds, native and wasm alternating`);
    const results: Record<string, Round[]> = { native: [], wasm: [] };
    for (let r = 0; r < rounds; r++) {
      for (const kernels of ['native', 'wasm']) {
        const q = await startQudao(dataDir, kernels);
        try {
          await load(q.url, key, Math.min(3, seconds)); // warm-up: engine created, model loaded, JIT
          const round = await load(q.url, key, seconds);
          results[kernels]!.push(round);
          console.log(describe(`round ${r + 1}: ${kernels}`, round));
        } finally {
          q.child.kill('SIGTERM');
          await new Promise((done) => q.child.once('exit', done));
        }
      }
    }
    const tps = (k: string) => median(results[k]!.map((x) => x.tokens / x.seconds));
    const rps = (k: string) => median(results[k]!.map((x) => x.requests / x.seconds));
    console.log(`median: native ${Math.round(tps('native'))} tokens/s (${rps('native').toFixed(1)} req/s), wasm ${Math.round(tps('wasm'))} tokens/s (${rps('wasm').toFixed(1)} req/s), native / wasm ${(tps('native') / tps('wasm')).toFixed(2)}x`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
