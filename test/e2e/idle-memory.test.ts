import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startQudao, type QudaoProcess } from '../support/process.js';

// Memory of an idle `qudao start`, read from /proc/<pid>/status (VmRSS: resident set, every thread and
// WebAssembly memory of the process included). Assertions are on memory only, never on time.

const ADMIN = 'qd_admin_idle_memory_tests_0123456789';
const MB = 1024 * 1024;
const running: QudaoProcess[] = [];
const folders: string[] = [];
afterAll(async () => {
  for (const p of running) {
    p.child.kill('SIGTERM');
    await p.exited;
  }
  for (const f of folders) await rm(f, { recursive: true, force: true });
});

function rssBytes(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kb) throw new Error(`no VmRSS for ${pid}`);
  return Number(kb) * 1024;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Idle RSS once settled: sampled every second from startup until `holdS` samples in a row are under
 * `boundMb` (or `maxS` seconds pass), the highest of those last samples. The first ~15-20 s hold startup
 * garbage (V8 young generations grown while modules load, 320-345 MB measured) until V8's memory reducer
 * gives it back; all samples are kept for the failure message.
 */
async function settledRss(p: QudaoProcess, boundMb: number, maxS = 90, holdS = 5): Promise<{ settled: number; samples: number[] }> {
  const samples: number[] = [];
  for (let s = 0; s <= maxS; s++) {
    samples.push(Math.round(rssBytes(p.child.pid!) / MB));
    const tail = samples.slice(-holdS);
    if (tail.length === holdS && tail.every((mb) => mb < boundMb)) break;
    await sleep(1000);
  }
  return { settled: Math.max(...samples.slice(-holdS)) * MB, samples };
}

async function start(dataDir: string, env: Record<string, string>): Promise<QudaoProcess> {
  const p = await startQudao([], { QUDAO_DATA_DIR: dataDir, QUDAO_ADMIN_TOKEN: ADMIN, ...env });
  running.push(p);
  return p;
}

async function stop(p: QudaoProcess): Promise<void> {
  p.child.kill('SIGTERM');
  await p.exited;
  running.splice(running.indexOf(p), 1);
}

async function call<T>(url: string, method: string, path: string, body?: unknown, token = ADMIN): Promise<{ status: number; json: T }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as T };
}

/** A plan, a direct channel, a customer and an API key, created through the admin API. */
async function issueKey(url: string): Promise<string> {
  const plan = await call<{ id: string }>(url, 'POST', '/api/plans', { name: 'idle-memory', inputPer1mMicros: 1, outputPer1mMicros: 1 });
  const channel = await call<{ id: string }>(url, 'POST', '/api/channels', { name: 'idle-memory direct', type: 'direct', defaultPlanId: plan.json.id });
  const customer = await call<{ id: string }>(url, 'POST', '/api/customers', { name: 'Idle Memory Co', acquiredChannelId: channel.json.id });
  const key = await call<{ key: string }>(url, 'POST', '/api/keys', { customerId: customer.json.id, channelId: channel.json.id, planId: plan.json.id, name: 'idle-memory' });
  if (key.status !== 201) throw new Error(`key: ${JSON.stringify(key.json)}`);
  return key.json.key;
}

describe.concurrent('memory of an idle server', () => {
  it('without the demo, a new data folder: settles under 300 MB RSS', { timeout: 180_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'qd-idle-'));
    folders.push(dataDir);
    const p = await start(dataDir, { QUDAO_DEMO: 'false' });
    const { settled, samples } = await settledRss(p, 300);
    expect(settled, `VmRSS MB, one sample a second from startup: ${samples.join(' ')}`).toBeLessThan(300 * MB);
  });

  it('with the demo workspace and the bundled model deployed: settles under 300 MB idle; the model loads on the first chat request and answers', { timeout: 300_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'qd-idle-demo-'));
    folders.push(dataDir);
    // The first start generates the demo workspace in the background; wait for it, then start again idle.
    const first = await start(dataDir, { QUDAO_DEMO: 'true' });
    for (let i = 0; i < 240; i++) {
      const health = await call<{ demo?: string }>(first.url, 'GET', '/healthz');
      if (health.json.demo !== 'generating') break;
      await sleep(1000);
    }
    await stop(first);
    const p = await start(dataDir, { QUDAO_DEMO: 'true' });
    const { settled, samples } = await settledRss(p, 300);
    expect(settled, `VmRSS MB, one sample a second from startup: ${samples.join(' ')}`).toBeLessThan(300 * MB);

    const key = await issueKey(p.url);
    const chat = await call<{ model: string; choices: Array<{ message: { content: string } }>; usage: { completion_tokens: number } }>(
      p.url, 'POST', '/v1/chat/completions', { model: 'qudao-brown', messages: [{ role: 'user', content: 'The jury said' }], max_tokens: 8, temperature: 0 }, key,
    );
    expect(chat.status, JSON.stringify(chat.json)).toBe(200);
    expect(chat.json.usage.completion_tokens).toBeGreaterThan(0);
    expect(chat.json.choices[0]!.message.content.length).toBeGreaterThan(0);
    // Loaded: engine memory, kernel threads and the weights now count too; a bound, not a measurement.
    expect(rssBytes(p.child.pid!)).toBeLessThan(800 * MB);
  });
});
