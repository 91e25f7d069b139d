/**
 * `npm run bench:gateway`: the gateway's overhead and throughput against a fast mock upstream on loopback.
 *
 *   1. overhead: open-loop load at --rps (1,000) straight to the mock, then through Qudao; the overhead is
 *      the difference of the latency quantiles (p50, p99);
 *   2. throughput: closed-loop load (--concurrency clients back to back) through three contenders proxying
 *      the same mock, each a single Node process: Qudao, `@portkey-ai/gateway`, and a bare `node:http`
 *      pass-through (./bare-proxy.ts: no key, no limits, no ledger — the floor). Each round runs all three
 *      back to back, and the figure compared is requests per CPU-second of the contender's process (all its
 *      threads: Qudao's PGlite thread is in-process), which other load on a shared machine changes least;
 *      Qudao's share of the bare proxy is taken within each round and reported as best and median. A fourth
 *      process, ./fastify-proxy.ts (the same pass-through in Fastify with JSON parsing, nothing else), is
 *      the framework's floor: it splits Qudao's cost into the framework's and the gateway's own;
 *   3. guardrails: the same request without guardrails, with blocklist + patterns, and with a classifier
 *      (./gateway-guardrails.ts), p50 / p99 and their ratio. `--only guardrails` runs only this part.
 *
 * Qudao runs as `qudao start` with metering on: key check, four limits (rpm, tpm, monthly quota, spend
 * budget) and one ledger row per request: journaled then inserted into the embedded PGlite, or committed to
 * --database-url's PostgreSQL before the answer (see QUDAO_LEDGER_JOURNAL).
 * Flags: --seconds N (per run, default 5), --rounds N (alternations, default 3; --repeat N is the same),
 * --only overhead|throughput|guardrails (one part, or several comma-separated), --rps N, --concurrency N, --database-url URL,
 * --ledger-journal auto|on|off (QUDAO_LEDGER_JOURNAL of the Qudao process), --profile DIR (CPU
 * profiles of the Qudao process, one per thread: main and PGlite; summarise with bench/profile-summary.ts), --node-flags '...' (Node/V8 flags of the Qudao process only, e.g. its heap sizing), --pin (gateways on CPU 0; mock and load generator on CPU 1: use on an otherwise idle machine).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { hashSecret, newSecret } from '../src/auth/index.js';
import { migrate, newId, openStore, schema } from '../src/store/index.js';
import { measureGuardrails, seedGuardrails } from './gateway-guardrails.js';
import { closedLoop, openLoop, quantile, type RunResult, type Target } from './load-generator.js';

const { values: flags } = parseArgs({
  options: { seconds: { type: 'string', default: '5' }, rps: { type: 'string', default: '1000' }, concurrency: { type: 'string', default: '64' }, 'database-url': { type: 'string' }, 'ledger-journal': { type: 'string', default: 'auto' }, profile: { type: 'string' }, 'node-flags': { type: 'string', default: '' }, rounds: { type: 'string', default: '3' }, repeat: { type: 'string' }, pin: { type: 'boolean', default: false }, only: { type: 'string' } },
});
const seconds = Number(flags.seconds);
const rps = Number(flags.rps);
const concurrency = Number(flags.concurrency);
const rounds = Number(flags.repeat ?? flags.rounds);
const parts = new Set(flags.only ? flags.only.split(',') : ['overhead', 'throughput', 'guardrails']);
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

/** CPU seconds (user + system) a process (all its threads) or one thread has used, from /proc (Linux); NaN elsewhere. */
function cpuSeconds(pid: number | undefined, statPath = `/proc/${pid}/stat`): number {
  try {
    const fields = readFileSync(statPath, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds of each thread of a process, by thread id (Linux); empty elsewhere. */
function threadCpuSeconds(pid: number | undefined): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) out.set(tid, cpuSeconds(Number(tid), `/proc/${pid}/task/${tid}/stat`));
  } catch {
    /* not Linux, or the process is gone */
  }
  return out;
}

/** How a run's CPU time split over the process's threads: the event loop, the busiest other thread, the rest. */
interface ThreadSplit {
  readonly main: number;
  readonly busiestOther: number;
  readonly rest: number;
}

/** A closed-loop run that also records the CPU time the serving process (all its threads) spent on it. */
async function measuredClosedLoop(t: Target, pid: number | undefined): Promise<RunResult & { cpu: number; threads: ThreadSplit }> {
  const before = cpuSeconds(pid);
  const threadsBefore = threadCpuSeconds(pid);
  const r = await closedLoop(t, concurrency, seconds);
  const deltas = [...threadCpuSeconds(pid)].map(([tid, s]) => [tid, s - (threadsBefore.get(tid) ?? 0)] as const);
  const main = deltas.find(([tid]) => tid === String(pid))?.[1] ?? Number.NaN;
  const others = deltas.filter(([tid]) => tid !== String(pid)).map(([, s]) => s).sort((a, b) => b - a);
  const busiestOther = others[0] ?? 0;
  return { ...r, cpu: cpuSeconds(pid) - before, threads: { main, busiestOther, rest: others.slice(1).reduce((a, b) => a + b, 0) } };
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

/**
 * Overhead at a fixed offered load: the mock directly, then through Qudao, alternating for --rounds rounds;
 * the overhead is the difference of the quantiles, and the median round is reported. Returns the 200s
 * Qudao answered.
 */
async function measureOverhead(direct: Target, viaQudao: Target, qudaoUrl: string): Promise<number> {
  const overheads: { d: RunResult; q: RunResult }[] = [];
  const lags: string[] = [];
  for (let r = 0; r < rounds; r++) {
    const d = await openLoop(direct, rps, seconds);
    await gatewayHealth(qudaoUrl); // resets the event-loop delay histogram
    const q = await openLoop(viaQudao, rps, seconds);
    lags.push(await gatewayHealth(qudaoUrl));
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
  console.log(`Qudao overhead at ${rps} req/s: median of rounds p50 ${ms(median(o50s))}, p99 ${ms(median(o99s))}; best p50 ${ms(Math.min(...o50s))}, p99 ${ms(Math.min(...o99s))}; load average ${loadavg()[0]!.toFixed(2)}`);
  return overheads.reduce((n, { q }) => n + q.ok, 0);
}

/** A gateway under closed-loop load: its name, where it listens, and the process whose CPU it spends. */
interface Contender {
  readonly name: string;
  readonly target: Target;
  readonly pid: number | undefined;
}

/**
 * Maximum throughput of each contender, all three in every round (so a burst of outside load hits them
 * alike); requests per CPU-second of each contender's process, and Qudao's share of the bare proxy's
 * within each round, best and median. Returns the 200s Qudao (the first contender) answered.
 */
async function measureThroughput(direct: Target, contenders: readonly Contender[]): Promise<number> {
  const runs: Awaited<ReturnType<typeof measuredClosedLoop>>[][] = [];
  for (let r = 0; r < rounds; r++) {
    const round: Awaited<ReturnType<typeof measuredClosedLoop>>[] = [];
    for (const c of contenders) round.push(await measuredClosedLoop(c.target, c.pid));
    runs.push(round);
  }
  const dMax = await closedLoop(direct, concurrency, seconds);
  console.log(`\nmaximum throughput, ${concurrency} clients, each contender one Node process (${rounds} rounds); load average ${loadavg()[0]!.toFixed(2)}`);
  console.log(describeRun('direct to the mock', dMax));
  runs.forEach((round, i) => round.forEach((r, j) => console.log(describeRun(`round ${i + 1}: ${contenders[j]!.name}`, r))));
  const perCpu = (j: number) => runs.map((round) => round[j]!.ok / round[j]!.cpu);
  const perSecond = (j: number) => runs.map((round) => round[j]!.ok / round[j]!.seconds);
  console.log('requests per CPU-second of the contender\'s process (all its threads), median of rounds:');
  contenders.forEach((c, j) => console.log(`  ${c.name.padEnd(32)} ${String(Math.round(median(perCpu(j)))).padStart(6)} per CPU-s   ${String(Math.round(median(perSecond(j)))).padStart(6)} req/s`));
  const [q, p, b, f] = [perCpu(0), perCpu(1), perCpu(2), perCpu(3)];
  const shares = q.map((v, i) => v / b[i]!);
  const overPortkey = q.map((v, i) => v / p[i]!);
  const cpuUs = (v: number[]) => (1e6 / median(v)).toFixed(0);
  console.log(`Qudao / bare proxy per CPU-second: best ${pct(Math.max(...shares))}, median ${pct(median(shares))} (rounds: ${shares.map(pct).join(', ')})`);
  console.log(`Qudao / Portkey per CPU-second: median ${median(overPortkey).toFixed(2)}x`);
  console.log(`CPU per request (median): Qudao ${cpuUs(q)} µs, Portkey ${cpuUs(p)} µs, bare proxy ${cpuUs(b)} µs, Fastify + JSON floor ${cpuUs(f)} µs`);
  // Qudao's threads: the event loop, the busiest other thread (the PGlite worker under this load), and the
  // rest (V8's GC and compiler helpers, libuv's pool, tsx's loader thread).
  const split = (pick: (t: ThreadSplit) => number) => median(runs.map((round) => (pick(round[0]!.threads) / round[0]!.ok) * 1e6)).toFixed(0);
  console.log(`Qudao CPU per request by thread (median): event loop ${split((t) => t.main)} µs, PGlite thread ${split((t) => t.busiestOther)} µs, other threads ${split((t) => t.rest)} µs`);
  return runs.reduce((n, round) => n + round[0]!.ok, 0);
}

function pct(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
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
  const portkeyPort = 18_787;
  const portkey = parts.has('throughput') ? await startChild([process.execPath, 'node_modules/@portkey-ai/gateway/build/start-server.js', `--port=${portkeyPort}`, '--headless'], /Ready for connections/, { NODE_ENV: 'production' }, 0) : undefined;
  const bare = parts.has('throughput') ? await startChild([process.execPath, '--import', 'tsx', 'bench/bare-proxy.ts', mockUrl], /listening on (\S+)/, {}, 0) : undefined;
  const fastifyFloor = parts.has('throughput') ? await startChild([process.execPath, '--import', 'tsx', 'bench/fastify-proxy.ts', mockUrl], /listening on (\S+)/, {}, 0) : undefined;
  await new Promise((r) => setTimeout(r, 1500));

  const direct: Target = { url: `${mockUrl}/chat/completions`, headers: {}, body };
  const viaQudao: Target = { url: `${qudao[1]}/v1/chat/completions`, headers: { authorization: `Bearer ${key}` }, body };
  const viaPortkey: Target = { url: `http://127.0.0.1:${portkeyPort}/v1/chat/completions`, headers: { authorization: 'Bearer unused', 'x-portkey-provider': 'openai', 'x-portkey-custom-host': mockUrl }, body };
  const viaBare: Target = { url: `${bare?.[1]}/v1/chat/completions`, headers: {}, body };
  const viaFastify: Target = { url: `${fastifyFloor?.[1]}/v1/chat/completions`, headers: {}, body };

  console.log(`gateway bench: ${seconds} s per run, open loop at ${rps} req/s, closed loop with ${concurrency} clients; store ${flags['database-url'] ? 'PostgreSQL' : 'PGlite'}, ledger journal ${flags['ledger-journal']}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (const t of [direct, viaQudao, ...(portkey ? [viaPortkey, viaBare, viaFastify] : [])]) await closedLoop(t, 16, 2); // warm-up (JIT, connections)

  let answered = 0;
  if (parts.has('overhead')) answered += await measureOverhead(direct, viaQudao, qudao[1]!);
  if (parts.has('throughput')) answered += await measureThroughput(direct, [
    { name: 'Qudao (keys, limits, ledger)', target: viaQudao, pid: qudao.pid },
    { name: 'Portkey gateway 1.15', target: viaPortkey, pid: portkey?.pid },
    { name: 'bare node:http proxy', target: viaBare, pid: bare?.pid },
    // Not a contender: the framework's floor (Fastify + JSON, nothing else), to attribute Qudao's cost.
    { name: 'Fastify + JSON proxy (floor)', target: viaFastify, pid: fastifyFloor?.pid },
  ]);
  if (parts.has('guardrails')) await measureGuardrails(qudao[1]!, key, seconds, rounds, trained);
  for (const c of children) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, flags.profile ? 4000 : 1500)); // a profiled process writes its profiles on exit
  if (!flags['database-url']) {
    const store = await openStore(storeConfig);
    const [row] = await store.query<{ n: number }>('SELECT count(*)::int AS n FROM usage_events');
    console.log(`\nledger rows written: ${row?.n} (requests answered 200 through Qudao: ${answered} measured + warm-up${parts.has('guardrails') ? ' + the guardrail part and its guardrail lines' : ''})`);
    await store.close();
  }
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((err) => {
  for (const c of children) c.kill('SIGKILL');
  console.error(err);
  process.exitCode = 1;
});
