/**
 * `npm run bench:gateway`: the gateway's overhead and throughput against a fast mock upstream on loopback.
 *
 *   1. overhead: open-loop load at --rps (1,000) straight to the mock, then through Qudao; the overhead is
 *      the difference of the latency quantiles (p50, p99);
 *   2. throughput: closed-loop load (--concurrency clients back to back) through Qudao and through
 *      `@portkey-ai/gateway` proxying the same mock, each gateway a single Node process pinned to one core;
 *   3. guardrails: the same request without guardrails, with blocklist + patterns, and with a classifier
 *      (./gateway-guardrails.ts), p50 / p99 and their ratio. `--only guardrails` runs only this part.
 *
 * Qudao runs as `qudao start` with metering on: key check, four limits (rpm, tpm, monthly quota, spend
 * budget) and one ledger row per request: journaled then inserted into the embedded PGlite, or committed to
 * --database-url's PostgreSQL before the answer (see QUDAO_LEDGER_JOURNAL).
 * Flags: --seconds N (per run, default 5), --rounds N (alternations, default 3), --rps N, --concurrency N, --database-url URL,
 * --ledger-journal auto|on|off (QUDAO_LEDGER_JOURNAL of the Qudao process), --profile DIR (CPU
 * profile of the Qudao process), --node-flags '...' (Node/V8 flags of the Qudao process only, e.g. its heap sizing), --pin (gateways on CPU 0; mock and load generator on CPU 1: use on an otherwise idle machine).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { hashSecret, newSecret } from '../src/auth/index.js';
import { migrate, newId, openStore, schema } from '../src/store/index.js';
import { measureGuardrails, seedGuardrails } from './gateway-guardrails.js';
import { closedLoop, openLoop, quantile, type RunResult, type Target } from './load-generator.js';

const { values: flags } = parseArgs({
  options: { seconds: { type: 'string', default: '5' }, rps: { type: 'string', default: '1000' }, concurrency: { type: 'string', default: '64' }, 'database-url': { type: 'string' }, 'ledger-journal': { type: 'string', default: 'auto' }, profile: { type: 'string' }, 'node-flags': { type: 'string', default: '' }, rounds: { type: 'string', default: '3' }, pin: { type: 'boolean', default: false }, only: { type: 'string' } },
});
const seconds = Number(flags.seconds);
const rps = Number(flags.rps);
const concurrency = Number(flags.concurrency);
const rounds = Number(flags.rounds);
const root = new URL('..', import.meta.url).pathname;
const ADMIN = 'qd_admin_bench_token_0123456789abcdef';
const body = JSON.stringify({ model: 'bench', messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 5 });
const children: ChildProcess[] = [];

/** Runs a command (pinned to `cpu` with --pin when taskset exists) and resolves when its output matches `ready`. */
function startChild(cmd: string[], ready: RegExp, env: Record<string, string> = {}, cpu?: number): Promise<RegExpExecArray & { pid?: number }> {
  const pinned = flags.pin && cpu !== undefined && existsSync('/usr/bin/taskset') ? ['taskset', '-c', String(cpu), ...cmd] : cmd;
  const child = spawn(pinned[0]!, pinned.slice(1), { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    let started = false;
    const check = (d: Buffer) => {
      if (started) return; // keep draining the pipe, but stop collecting
      out += d.toString();
      const m = ready.exec(out);
      if (m) {
        started = true;
        resolve(Object.assign(m, { pid: child.pid }));
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.on('exit', (code) => reject(new Error(`${cmd.join(' ')} exited with ${code}: ${out.slice(-2000)}`)));
  });
}

/** Seeds a plan with every limit on (set high), a customer with a budget, a key and the deployment. */
async function seedWorkspace(config: { dataDir: string; databaseUrl: string | undefined }, upstreamUrl: string): Promise<string> {
  const store = await openStore(config);
  await migrate(store);
  const key = newSecret('qd_sk');
  const id = newId('b');
  await store.db.insert(schema.pricePlans).values({ id: `plan_${id}`, name: `bench ${id}`, inputPer1mMicros: 500_000, outputPer1mMicros: 1_500_000, rpmLimit: 1_000_000_000, tpmLimit: 2_000_000_000, monthlyTokenQuota: 1e15 });
  await store.db.insert(schema.channels).values({ id: `chn_${id}`, name: `bench ${id}`, type: 'direct' });
  await store.db.insert(schema.customers).values({ id: `cus_${id}`, name: 'bench', spendBudgetMicros: 1e15 });
  await store.db.insert(schema.apiKeys).values({ id: `key_${id}`, prefix: key.slice(0, 14), keyHash: hashSecret(key), customerId: `cus_${id}`, channelId: `chn_${id}`, planId: `plan_${id}` });
  await store.db.delete(schema.deployments).catch(() => {});
  await store.db.insert(schema.deployments).values({ id: `dep_${id}`, name: 'bench', kind: 'upstream', upstreamUrl, upstreamModel: 'bench' }).onConflictDoNothing();
  await store.close();
  return key;
}

/** CPU seconds (user + system) a process has used, from /proc (Linux); NaN elsewhere. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** A closed-loop run that also records the CPU time the serving process spent on it. */
async function measuredClosedLoop(t: Target, pid: number | undefined): Promise<RunResult & { cpu: number }> {
  const before = cpuSeconds(pid);
  const r = await closedLoop(t, concurrency, seconds);
  return { ...r, cpu: cpuSeconds(pid) - before };
}

/**
 * The gateway process's own view of a round, from its /metrics: event-loop delay (prom-client samples it
 * with monitorEventLoopDelay and resets it at each scrape) and time spent in garbage collection.
 */
let lastGcSeconds = 0;
async function gatewayHealth(baseUrl: string): Promise<string> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN);
  const gc = [...text.matchAll(/^qudao_nodejs_gc_duration_seconds_sum\{[^}]*\} (\S+)/gm)].reduce((t, m) => t + Number(m[1]), 0);
  const gcMs = (gc - lastGcSeconds) * 1000;
  lastGcSeconds = gc;
  // prom-client samples every 10 ms and records the whole interval: the stall is what exceeds the minimum.
  const lag = (q: string) => ms((value(`qudao_nodejs_eventloop_lag_${q}_seconds`) - value('qudao_nodejs_eventloop_lag_min_seconds')) * 1000);
  return `event-loop stalls p99 ${lag('p99')}, max ${lag('max')}; time in GC ${ms(gcMs)}`;
}

function median(values: number[]): number {
  return quantile(values, 0.5);
}

function ms(n: number): string {
  return `${n.toFixed(2)} ms`;
}

function describeRun(name: string, r: RunResult & { cpu?: number }): string {
  const cpu = r.cpu === undefined ? '' : `  ${Math.round(r.ok / r.cpu)} req per CPU-s`;
  return `${name.padEnd(40)} ${String(Math.round(r.ok / r.seconds)).padStart(6)} req/s  p50 ${ms(quantile(r.latenciesMs, 0.5)).padStart(9)}  p99 ${ms(quantile(r.latenciesMs, 0.99)).padStart(9)}  errors ${r.failed}${cpu}`;
}

async function main(): Promise<void> {
  // With --pin the load generator (this process, all its threads) shares CPU 1 with the mock, leaving CPU 0 to the gateway.
  if (flags.pin && existsSync('/usr/bin/taskset')) spawnSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  const mock = await startChild([process.execPath, '--import', 'tsx', 'test/support/mock-upstream.ts', '0'], /listening on (\S+)/, {}, 1);
  const mockUrl = mock[1]!;
  const dataDir = mkdtempSync(join(tmpdir(), 'qd-bench-gw-'));
  const storeConfig = { dataDir, databaseUrl: flags['database-url'] };
  const key = await seedWorkspace(storeConfig, mockUrl);
  const { trained } = await seedGuardrails(storeConfig, mockUrl, root);
  const env: Record<string, string> = { QUDAO_ADMIN_TOKEN: ADMIN, QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'warn', QUDAO_DATA_DIR: dataDir, QUDAO_LEDGER_JOURNAL: flags['ledger-journal']!, ...(flags['database-url'] ? { DATABASE_URL: flags['database-url'] } : {}) };
  const profile = flags.profile ? ['--cpu-prof', `--cpu-prof-dir=${flags.profile}`] : [];
  const nodeFlags = flags['node-flags']!.split(' ').filter(Boolean);
  const qudao = await startChild([process.execPath, ...nodeFlags, ...profile, 'bin/qudao.js', 'start', '--port', '0'], /listening on (http:\/\/\S+)/, env, 0);
  if (flags.only === 'guardrails') {
    await measureGuardrails(qudao[1]!, key, seconds, rounds, trained);
    for (const c of children) c.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
    return;
  }
  const portkeyPort = 18_787;
  const portkey = await startChild([process.execPath, 'node_modules/@portkey-ai/gateway/build/start-server.js', `--port=${portkeyPort}`, '--headless'], /Ready for connections/, { NODE_ENV: 'production' }, 0);
  await new Promise((r) => setTimeout(r, 1500));

  const direct: Target = { url: `${mockUrl}/chat/completions`, headers: {}, body };
  const viaQudao: Target = { url: `${qudao[1]}/v1/chat/completions`, headers: { authorization: `Bearer ${key}` }, body };
  const viaPortkey: Target = { url: `http://127.0.0.1:${portkeyPort}/v1/chat/completions`, headers: { authorization: 'Bearer unused', 'x-portkey-provider': 'openai', 'x-portkey-custom-host': mockUrl }, body };

  console.log(`gateway bench: ${seconds} s per run, open loop at ${rps} req/s, closed loop with ${concurrency} clients; store ${flags['database-url'] ? 'PostgreSQL' : 'PGlite'}, ledger journal ${flags['ledger-journal']}`);
  for (const t of [direct, viaQudao, viaPortkey]) await closedLoop(t, 16, 2); // warm-up (JIT, connections)

  // The machine is shared, so each measurement alternates between the contenders for --rounds rounds and
  // the median round is reported: a burst of outside load then hits both sides alike.
  const overheads: { d: RunResult; q: RunResult }[] = [];
  const lags: string[] = [];
  for (let r = 0; r < rounds; r++) {
    const d = await openLoop(direct, rps, seconds);
    await gatewayHealth(qudao[1]!); // resets the event-loop delay histogram
    const q = await openLoop(viaQudao, rps, seconds);
    lags.push(await gatewayHealth(qudao[1]!));
    overheads.push({ d, q });
  }
  const o50s = overheads.map(({ d, q }) => quantile(q.latenciesMs, 0.5) - quantile(d.latenciesMs, 0.5));
  const o99s = overheads.map(({ d, q }) => quantile(q.latenciesMs, 0.99) - quantile(d.latenciesMs, 0.99));
  console.log(`\noverhead at a fixed offered load of ${rps} req/s (${rounds} rounds)`);
  overheads.forEach(({ d, q }, i) => {
    console.log(describeRun(`round ${i + 1}: direct to the mock`, d));
    console.log(describeRun(`round ${i + 1}: through Qudao`, q));
    console.log(`  Qudao process during the round: ${lags[i]}`);
  });
  console.log(`Qudao overhead at ${rps} req/s (median of rounds): p50 ${ms(median(o50s))}, p99 ${ms(median(o99s))}`);

  const maxRuns: { q: RunResult & { cpu: number }; p: RunResult & { cpu: number } }[] = [];
  for (let r = 0; r < rounds; r++) maxRuns.push({ q: await measuredClosedLoop(viaQudao, qudao.pid), p: await measuredClosedLoop(viaPortkey, portkey.pid) });
  const dMax = await closedLoop(direct, concurrency, seconds);
  console.log(`\nmaximum throughput, ${concurrency} clients, each gateway one Node process (one JavaScript thread) (${rounds} rounds)`);
  console.log(describeRun('direct to the mock', dMax));
  maxRuns.forEach(({ q, p }, i) => {
    console.log(describeRun(`round ${i + 1}: Qudao (keys, limits, ledger)`, q));
    console.log(describeRun(`round ${i + 1}: Portkey gateway 1.15`, p));
  });
  const qRps = median(maxRuns.map(({ q }) => q.ok / q.seconds));
  const pRps = median(maxRuns.map(({ p }) => p.ok / p.seconds));
  console.log(`median: Qudao ${Math.round(qRps)} req/s, Portkey ${Math.round(pRps)} req/s, Qudao / Portkey ${(qRps / pRps).toFixed(2)}x`);
  // Requests per CPU-second of the serving process: the throughput of one fully used core, and a figure
  // that other load on a shared machine does not change.
  const qCpu = median(maxRuns.map(({ q }) => q.ok / q.cpu));
  const pCpu = median(maxRuns.map(({ p }) => p.ok / p.cpu));
  console.log(`requests per CPU-second of the gateway process: Qudao ${Math.round(qCpu)}, Portkey ${Math.round(pCpu)}, Qudao / Portkey ${(qCpu / pCpu).toFixed(2)}x`);
  await measureGuardrails(qudao[1]!, key, seconds, rounds, trained);
  const answered = overheads.reduce((n, { q }) => n + q.ok, 0) + maxRuns.reduce((n, { q }) => n + q.ok, 0);
  for (const c of children) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1500));
  if (!flags['database-url']) {
    const store = await openStore(storeConfig);
    const [row] = await store.query<{ n: number }>('SELECT count(*)::int AS n FROM usage_events');
    console.log(`\nledger rows written: ${row?.n} (requests answered 200 through Qudao: ${answered} + warm-up + the guardrail part and its guardrail lines)`);
    await store.close();
  }
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((err) => {
  for (const c of children) c.kill('SIGKILL');
  console.error(err);
  process.exitCode = 1;
});
