import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { createEngine, saveCheckpoint } from '../../src/engine/index.js';
import { createModel, presetSpec, toCheckpoint } from '../../src/models/index.js';
import { schema } from '../../src/store/index.js';
import { byteTokenizer } from '../../src/tokenizer/index.js';
import { rootCommand, runCli } from '../../src/cli/index.js';
import { adminCall, seedGatewayKey, TEST_ADMIN_TOKEN } from '../support/gateway-workspace.js';

describe('gateway serving an engine model in-process', () => {
  let running: RunningApp;
  let client: OpenAI;
  const dir = mkdtempSync(join(tmpdir(), 'qd-gw-engine-'));

  beforeAll(async () => {
    const engine = await createEngine({ backend: 'reference' });
    const spec = presetSpec('tiny');
    const model = createModel(engine, spec);
    await saveCheckpoint(join(dir, 'ckpt'), toCheckpoint(spec, model, undefined, byteTokenizer().toJSON()));
    running = await startApp(loadConfig({ env: { QUDAO_DATA_DIR: 'memory://', QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent', QUDAO_ADMIN_TOKEN: TEST_ADMIN_TOKEN, QUDAO_THREADS: '1' } }));
    const { db } = running.services.store;
    await db.insert(schema.models).values({ id: 'mdl_tiny', name: 'tiny', kind: 'gpt' });
    await db.insert(schema.modelVersions).values({ id: 'mv_tiny', modelId: 'mdl_tiny', version: 1, config: spec.config, checkpointPath: join(dir, 'ckpt') });
    expect((await adminCall(running.url, 'POST', '/api/deployments', { name: 'tiny', kind: 'local', modelVersionId: 'mv_tiny' })).status).toBe(201);
    const { key } = await seedGatewayKey(running.url, running.services.store, {});
    client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: key, maxRetries: 0 });
  });
  afterAll(async () => {
    await running?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers whole and streamed, the same text for the same seed, with exact token counts', async () => {
    const ask = { model: 'tiny', messages: [{ role: 'user' as const, content: 'Hi' }], max_tokens: 6, temperature: 0.8, seed: 42 };
    const whole = await client.chat.completions.create(ask);
    expect(whole.usage).toEqual({ prompt_tokens: Buffer.byteLength('User: Hi\nAssistant:'), completion_tokens: 6, total_tokens: 19 + 6 });
    const stream = await client.chat.completions.create({ ...ask, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe(whole.choices[0]!.message.content);
    expect(usage?.completion_tokens).toBe(6);
  });

  it('batches concurrent requests and refuses prompts beyond the context', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => client.completions.create({ model: 'tiny', prompt: `p${i}`, max_tokens: 4, seed: i })));
    expect(answers.every((a) => a.usage?.completion_tokens === 4)).toBe(true);
    const edge = await client.completions.create({ model: 'tiny', prompt: 'a', max_tokens: 2, top_p: 0, seed: -5, temperature: 0 });
    expect(edge.usage?.completion_tokens).toBe(2);
    const err = await client.completions.create({ model: 'tiny', prompt: 'x'.repeat(80), max_tokens: 4 }).catch((e: unknown) => e);
    expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('QD_CONTEXT_TOO_LONG');
  });

  it('gives each of n choices its own stream of the seed: the same choices on every call, different from each other', async () => {
    const ask = { model: 'tiny', prompt: 'The', max_tokens: 12, temperature: 1, seed: 7, n: 2 };
    const first = await client.completions.create(ask);
    const again = await client.completions.create(ask);
    const texts = first.choices.map((c) => c.text);
    expect(texts).toHaveLength(2);
    expect(again.choices.map((c) => c.text)).toEqual(texts);
    expect(texts[0]).not.toBe(texts[1]);
    // Choice 0 of n: 2 is what n: 1 gives.
    expect((await client.completions.create({ ...ask, n: 1 })).choices[0]!.text).toBe(texts[0]);
    const chat = { model: 'tiny', messages: [{ role: 'user' as const, content: 'Hi' }], max_tokens: 12, temperature: 1, seed: 7, n: 2 };
    const replies = (await client.chat.completions.create(chat)).choices.map((c) => c.message.content);
    expect(replies[0]).not.toBe(replies[1]);
  });

  it('samples what qudao generate samples for the same prompt, parameters and seed (one sampling path)', async () => {
    const served = await client.completions.create({ model: 'tiny', prompt: 'The jury', max_tokens: 10, temperature: 0.9, top_p: 0.95, seed: 3 });
    const out: string[] = [];
    const code = await runCli(rootCommand, ['generate', '--model', join(dir, 'ckpt'), '--prompt', 'The jury', '--max-tokens', '10', '--temperature', '0.9', '--top-p', '0.95', '--seed', '3'], { out: (l) => out.push(l), err: (l) => out.push(l) });
    expect(code, out.join('\n')).toBe(0);
    expect(out.join('\n')).toBe(`The jury${served.choices[0]!.text}`);
  });
});
