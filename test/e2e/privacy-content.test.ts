import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { schema } from '../../src/store/index.js';
import { dumpDatabase, tablesContaining } from '../support/database-dump.js';
import { fakeRuntime, fakeRuntimeLoader } from '../support/fake-runtime.js';
import { adminCall, seedGatewayKey, TEST_ADMIN_TOKEN } from '../support/gateway-workspace.js';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.js';
import { createTempDatabase, postgresReachable, storeKinds } from '../support/stores.js';

/** Every file under a folder, recursively (the data folder: PGlite's files, the ledger and stream journals). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * The privacy default, proven: with request logging off (the default), requests whose prompts hold a
 * canary — answered by an upstream whose completion holds another, and by an in-process model; whole,
 * streamed, cut, failing, refused — leave neither canary in any table, in any file of the data folder, or
 * in any log line at the most verbose level (trace). Then, as a control that the search would see a leak,
 * request logging is turned on for one deployment and the prompt canary does appear, in `request_logs` only.
 */
describe.each(storeKinds)('no request content is stored or logged by default, on %s', (kind) => {
  const promptCanary = `PROMPTCANARY${randomBytes(6).toString('hex')}`;
  const completionCanary = `COMPLETIONCANARY${randomBytes(6).toString('hex')}`;
  const logLines: string[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'qd-privacy-'));
  let running: RunningApp | undefined;
  let mock: MockUpstream;
  let drop: (() => Promise<void>) | undefined;
  let client: OpenAI;

  beforeAll(async () => {
    mock = await startMockUpstream({ word: (i) => (i === 1 ? completionCanary : `w${i}`), echoPromptInErrors: true });
    const env: Record<string, string> = { QUDAO_DATA_DIR: dataDir, QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'trace', QUDAO_ADMIN_TOKEN: TEST_ADMIN_TOKEN, QUDAO_HEALTH_CHECK_INTERVAL_MS: '0' };
    if (kind === 'postgres') {
      if (!(await postgresReachable())) return;
      const temp = await createTempDatabase();
      env.DATABASE_URL = temp.url;
      drop = temp.drop;
    }
    running = await startApp(loadConfig({ env }), { runtimeLoader: fakeRuntimeLoader(fakeRuntime(256)), logStream: { write: (line) => void logLines.push(line) } });
    const dep = async (body: Record<string, unknown>) => expect((await adminCall(running!.url, 'POST', '/api/deployments', body)).status).toBe(201);
    await dep({ name: 'upstream-model', kind: 'upstream', upstreamUrl: mock.url, upstreamModel: 'm', maxRetries: 0 });
    await dep({ name: 'failing-model', kind: 'upstream', upstreamUrl: mock.url, upstreamModel: 'fail-always', maxRetries: 1 });
    await dep({ name: 'cut-model', kind: 'upstream', upstreamUrl: mock.url, upstreamModel: 'cut-stream', maxRetries: 0 });
    const { db } = running.services.store;
    await db.insert(schema.models).values({ id: 'mdl_fake', name: 'fake', kind: 'gpt' });
    await db.insert(schema.modelVersions).values({ id: 'mv_fake', modelId: 'mdl_fake', version: 1, config: {}, checkpointPath: '/nowhere' });
    await dep({ name: 'local-model', kind: 'local', modelVersionId: 'mv_fake' });
    const { key } = await seedGatewayKey(running.url, running.services.store, {});
    client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: key, maxRetries: 0 });
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
    await mock?.close();
    await drop?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const prompt = () => `Please summarise: ${promptCanary} is the secret project name; mail jane@example.com.`;

  async function sendEverything(): Promise<number> {
    let failures = 0;
    for (const model of ['upstream-model', 'local-model']) {
      const chat = await client.chat.completions.create({ model, messages: [{ role: 'system', content: `system ${promptCanary}` }, { role: 'user', content: prompt() }], max_tokens: 4 });
      expect(chat.choices[0]!.message.content).toBeTruthy();
      const text = await client.completions.create({ model, prompt: prompt(), max_tokens: 4 });
      expect(text.choices[0]!.text).toBeTruthy();
      let streamed = '';
      for await (const c of await client.chat.completions.create({ model, messages: [{ role: 'user', content: prompt() }], max_tokens: 4, stream: true })) streamed += c.choices[0]?.delta.content ?? '';
      for await (const c of await client.completions.create({ model, prompt: prompt(), max_tokens: 4, stream: true })) streamed += c.choices[0]?.text ?? '';
      expect(streamed.length).toBeGreaterThan(0);
    }
    // The upstream's answer did carry the completion canary to the client: it passed through the gateway.
    const seen = await client.chat.completions.create({ model: 'upstream-model', messages: [{ role: 'user', content: prompt() }], max_tokens: 3 });
    expect(seen.choices[0]!.message.content).toContain(completionCanary);
    // The upstream's own error text still reaches the client (only the server's log leaves it out).
    const failed = await client.chat.completions.create({ model: 'failing-model', messages: [{ role: 'user', content: 'hello' }], max_tokens: 4 }).catch((e: unknown) => e);
    expect((failed as InstanceType<typeof OpenAI.APIError>).message).toContain('mock failure: [{"role":"user","content":"hello"}]');
    // Failures: an upstream 500 quoting the prompt, a stream cut mid-way, a prompt beyond the local context,
    // requests the validator refuses (a bad field beside the canary).
    const attempts: (() => Promise<unknown>)[] = [
      () => client.chat.completions.create({ model: 'failing-model', messages: [{ role: 'user', content: prompt() }], max_tokens: 4 }),
      async () => {
        for await (const c of await client.chat.completions.create({ model: 'cut-model', messages: [{ role: 'user', content: prompt() }], max_tokens: 6, stream: true })) void c;
      },
      () => client.completions.create({ model: 'local-model', prompt: `${prompt()} ${'x'.repeat(400)}`, max_tokens: 4 }),
      () => client.chat.completions.create({ model: 'upstream-model', messages: [{ role: 'user', content: prompt() }], max_tokens: -1 }),
      () => client.chat.completions.create({ model: 'upstream-model', messages: [{ role: 'user', content: prompt() }], temperature: 9 }),
    ];
    for (const attempt of attempts) if (await attempt().then(() => false, () => true)) failures++;
    return failures;
  }

  it('keeps neither canary in any table, any file of the data folder or any log line (trace level)', async (ctx) => {
    if (!running) return ctx.skip();
    expect(await sendEverything()).toBe(5);
    expect(logLines.some((l) => l.includes('left out of the log'))).toBe(true);
    await running.services.gateway!.ledger.settled();
    await running.services.gateway!.requestLog.drain();
    const dump = await dumpDatabase(running.services.store);
    // The dump is real: the ledger has a row per request that reached a model, and the logs saw the requests.
    expect(JSON.parse(dump.usage_events!).length).toBeGreaterThanOrEqual(10);
    expect(Object.keys(dump)).toContain('request_logs');
    expect(logLines.join('').length).toBeGreaterThan(0);
    expect(logLines.some((l) => l.includes('"level":10') || l.includes('"level":20') || l.includes('"level":30'))).toBe(true);
    expect(logLines.some((l) => l.includes('/v1/chat/completions'))).toBe(true);
    for (const canary of [promptCanary, completionCanary]) {
      expect(tablesContaining(dump, canary)).toEqual([]);
      expect(logLines.filter((l) => l.includes(canary))).toEqual([]);
      expect(filesUnder(dataDir).filter((f) => readFileSync(f).includes(canary))).toEqual([]);
    }
  });

  it('stores the (redacted) text once request logging is turned on for a deployment, and only there', async (ctx) => {
    if (!running) return ctx.skip();
    const on = await adminCall<{ requestLog: unknown }>(running.url, 'PATCH', '/api/deployments/upstream-model', { requestLog: { enabled: true } });
    expect(on.status).toBe(200);
    expect(on.json.requestLog).toEqual({ enabled: true, retentionDays: 7 });
    await client.chat.completions.create({ model: 'upstream-model', messages: [{ role: 'user', content: prompt() }], max_tokens: 3 });
    await running.services.gateway!.requestLog.drain();
    const dump = await dumpDatabase(running.services.store);
    expect(tablesContaining(dump, promptCanary)).toEqual(['request_logs']);
    expect(tablesContaining(dump, completionCanary)).toEqual(['request_logs']);
    expect(tablesContaining(dump, 'jane@example.com')).toEqual([]);
    expect(logLines.filter((l) => l.includes(promptCanary))).toEqual([]);
    const off = await adminCall(running.url, 'PATCH', '/api/deployments/upstream-model', { requestLog: { enabled: false } });
    expect(off.status).toBe(200);
  });
});
