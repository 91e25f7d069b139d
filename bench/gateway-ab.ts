/**
 * `npx tsx bench/gateway-ab.ts --base DIR [--seconds 3] [--rounds 6] [--node-flags '...']`: two Qudao
 * checkouts side by side — `base` (another worktree, e.g. `git worktree add /tmp/base <commit>` with its
 * node_modules linked) and this one (`new`, with --node-flags if given) — against one mock, beside the bare
 * and the Fastify floor proxies, in alternating closed-loop runs of 64 clients. Prints CPU µs per request
 * of each process (all threads) per round and base/new per round: on a shared machine, alternating is what
 * makes a before/after comparison mean something. `--base .` compares this checkout with itself (to
 * measure a Node flag alone).
 */
import { parseArgs } from 'node:util';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashSecret, newSecret } from '../src/auth/index.js';
import { migrate, newId, openStore, schema } from '../src/store/index.js';
import { closedLoop, quantile } from '../bench/load-generator.js';
const { values: flags } = parseArgs({ options: { base: { type: 'string' }, seconds: { type: 'string', default: '3' }, rounds: { type: 'string', default: '6' }, 'node-flags': { type: 'string', default: '' } } });
if (!flags.base) {
  console.error('usage: tsx bench/gateway-ab.ts --base DIR [--seconds 3] [--rounds 6] [--node-flags "..."]');
  process.exit(2);
}
const here = new URL('..', import.meta.url).pathname;
const roots: Record<string, string> = { base: flags.base === '.' ? here : flags.base, new: here };
const newFlags = flags['node-flags']!.split(' ').filter(Boolean);
const body = JSON.stringify({ model: 'bench', messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 5 });
const kids: ChildProcess[] = [];
function start(cmd: string[], cwd: string, ready: RegExp, env: Record<string, string> = {}): Promise<{ m: RegExpExecArray; pid: number }> {
  const c = spawn(cmd[0]!, cmd.slice(1), { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  kids.push(c);
  let out = '';
  return new Promise((res, rej) => {
    let done = false;
    const on = (d: Buffer) => { if (done) return; out += d; const m = ready.exec(out); if (m) { done = true; res({ m, pid: c.pid! }); } };
    c.stdout!.on('data', on); c.stderr!.on('data', on);
    c.on('exit', (code) => rej(new Error(`${cmd.join(' ')} exited ${code}: ${out.slice(-1000)}`)));
  });
}
const cpu = (pid: number) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' '); return (Number(f[11]) + Number(f[12])) / 100; };
async function seed(dataDir: string, url: string) {
  const store = await openStore({ dataDir, databaseUrl: undefined });
  await migrate(store);
  const key = newSecret('qd_sk'); const id = newId('b');
  await store.db.insert(schema.pricePlans).values({ id: `plan_${id}`, name: `b ${id}`, inputPer1mMicros: 500_000, outputPer1mMicros: 1_500_000, rpmLimit: 1e9, tpmLimit: 2e9, monthlyTokenQuota: 1e15 });
  await store.db.insert(schema.channels).values({ id: `chn_${id}`, name: `b ${id}`, type: 'direct' });
  await store.db.insert(schema.customers).values({ id: `cus_${id}`, name: 'b', spendBudgetMicros: 1e15 });
  await store.db.insert(schema.apiKeys).values({ id: `key_${id}`, prefix: key.slice(0, 14), keyHash: hashSecret(key), customerId: `cus_${id}`, channelId: `chn_${id}`, planId: `plan_${id}` });
  await store.db.insert(schema.deployments).values({ id: `dep_${id}`, name: 'bench', kind: 'upstream', upstreamUrl: url, upstreamModel: 'bench' });
  await store.close();
  return key;
}
const mock = await start([process.execPath, '--import', 'tsx', 'test/support/mock-upstream.ts', '0'], here, /listening on (\S+)/);
const mockUrl = mock.m[1]!;
const bare = await start([process.execPath, '--import', 'tsx', 'bench/bare-proxy.ts', mockUrl], here, /listening on (\S+)/);
const targets: Record<string, { url: string; key: string; pid: number }> = {};
for (const [name, root] of Object.entries(roots)) {
  const dataDir = mkdtempSync(join(tmpdir(), `qd-ab-${name}-`));
  const key = await seed(dataDir, mockUrl);
  const q = await start([process.execPath, ...(name === 'new' ? newFlags : []), 'bin/qudao.js', 'start', '--port', '0'], root, /listening on (http:\/\/\S+)/, { QUDAO_ADMIN_TOKEN: 'qd_admin_bench_token_0123456789abcdef', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'warn', QUDAO_DATA_DIR: dataDir });
  targets[name] = { url: `${q.m[1]}/v1/chat/completions`, key, pid: q.pid };
}
targets.bare = { url: `${bare.m[1]}/v1/chat/completions`, key: 'x', pid: bare.pid };
const fy = await start([process.execPath, '--import', 'tsx', 'bench/fastify-proxy.ts', mockUrl], here, /listening on (\S+)/);
targets.fastify = { url: `${fy.m[1]}/v1/chat/completions`, key: 'x', pid: fy.pid };
const secs = Number(flags.seconds);
const rounds = Number(flags.rounds);
for (const t of Object.values(targets)) await closedLoop({ url: t.url, headers: { authorization: `Bearer ${t.key}` }, body }, 16, 2);
const res: Record<string, number[]> = {};
for (let r = 0; r < rounds; r++) for (const [name, t] of Object.entries(targets)) {
  const c0 = cpu(t.pid);
  const run = await closedLoop({ url: t.url, headers: { authorization: `Bearer ${t.key}` }, body }, 64, secs);
  (res[name] ??= []).push(((cpu(t.pid) - c0) * 1e6) / run.ok);
}
for (const [n, v] of Object.entries(res)) console.log(`${n.padEnd(5)} CPU µs/req median ${quantile(v, 0.5).toFixed(0)} min ${Math.min(...v).toFixed(0)}  [${v.map((x) => x.toFixed(0)).join(' ')}]`);
const ratio = res.base!.map((b, i) => b / res.new![i]!);
console.log(`base/new per round: ${ratio.map((x) => x.toFixed(2)).join(' ')}  median ${quantile(ratio, 0.5).toFixed(2)}`);
console.log(`share of bare per round (new): ${res.new!.map((x, i) => ((res.bare![i]! / x) * 100).toFixed(1)).join(' ')}`);
for (const k of kids) k.kill('SIGTERM');
setTimeout(() => process.exit(0), 1500);
