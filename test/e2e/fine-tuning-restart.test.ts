import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import OpenAI, { toFile } from 'openai';
import { afterAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { createEngine, saveCheckpoint } from '../../src/engine/index.js';
import { createModel, presetSpec, toCheckpoint } from '../../src/models/index.js';
import { schema } from '../../src/store/index.js';
import { byteTokenizer } from '../../src/tokenizer/index.js';
import { adminCall, seedGatewayKey, TEST_ADMIN_TOKEN } from '../support/gateway-workspace.js';

/**
 * A server stopped while a fine-tuning job trains: the job is neither cancelled nor failed; the next start
 * queues it again, its run resumes from the checkpoint the stop wrote, it succeeds, and the ledger holds one
 * row for it with every trained token (the row is keyed by the job's id).
 */
const dir = mkdtempSync(join(tmpdir(), 'qd-ft-restart-'));
const names = ['Ada', 'Bob', 'Chen', 'Dana', 'Emeka', 'Fatima'];
const conversation = (name: string) => [
  { role: 'user' as const, content: `Hi, I am ${name}. What is the password?` },
  { role: 'assistant' as const, content: 'The password is swordfish.' },
];
const renderedBytes = (name: string) => Buffer.byteLength(conversation(name).map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).join(''));
const env = { QUDAO_DATA_DIR: join(dir, 'data'), QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent', QUDAO_ADMIN_TOKEN: TEST_ADMIN_TOKEN, QUDAO_THREADS: '1' };

async function poll<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 2400; i++) {
    const v = await read();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out');
}

describe('a fine-tuning job across a server restart', () => {
  let running: RunningApp | undefined;
  afterAll(async () => {
    await running?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resumes from its checkpoint and is billed once for every token', async () => {
    const engine = await createEngine({ backend: 'reference' });
    const spec = presetSpec('tiny', { contextLength: 128, nLayer: 1, nHead: 2, dModel: 32 });
    await saveCheckpoint(join(dir, 'base'), toCheckpoint(spec, createModel(engine, spec), undefined, byteTokenizer().toJSON()));
    running = await startApp(loadConfig({ env }));
    const { db } = running.services.store;
    await db.insert(schema.models).values({ id: 'mdl_base', name: 'base', kind: 'gpt' });
    await db.insert(schema.modelVersions).values({ id: 'mv_base', modelId: 'mdl_base', version: 1, config: spec.config, checkpointPath: join(dir, 'base') });
    expect((await adminCall(running.url, 'POST', '/api/deployments', { name: 'tiny', kind: 'local', modelVersionId: 'mv_base' })).status).toBe(201);
    const { key } = await seedGatewayKey(running.url, running.services.store, { trainingPer1mMicros: 1_000_000 });
    let client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: key, maxRetries: 0 });
    const text = `${names.map((n) => JSON.stringify({ messages: conversation(n) })).join('\n')}\n`;
    const file = await client.files.create({ file: await toFile(Buffer.from(text), 'door.jsonl'), purpose: 'fine-tune' });
    const job = await client.fineTuning.jobs.create({ model: 'tiny', training_file: file.id, hyperparameters: { n_epochs: 40, batch_size: 1 } });
    // Stopped mid-run, after a few steps.
    await poll(() => client.fineTuning.jobs.listEvents(job.id, { limit: 1 }), (p) => p.data[0]?.type === 'metrics' && (p.data[0].data as { step: number }).step >= 3);
    await running.stop();
    running = undefined;

    running = await startApp(loadConfig({ env }));
    client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: key, maxRetries: 0 });
    const done = await poll(() => client.fineTuning.jobs.retrieve(job.id), (j) => j.finished_at !== null);
    expect(done.error).toBeNull();
    expect(done.status).toBe('succeeded');
    const whole = 40 * names.reduce((n, name) => n + renderedBytes(name), 0);
    expect(done.trained_tokens).toBe(whole);
    const events = [];
    for await (const e of client.fineTuning.jobs.listEvents(job.id, { limit: 100 })) events.push(e);
    const messages = events.map((e) => e.message);
    expect(messages).toContain('The server restarted while the job was training; it resumes from its last checkpoint');
    expect(messages).toContain('Fine-tuning job resumed');
    // Every step once: the resumed run continues after the checkpoint the stop wrote.
    const steps = events.filter((e) => e.type === 'metrics').map((e) => (e.data as { step: number }).step).reverse();
    expect(steps.at(-1)).toBe(40 * names.length);
    expect(new Set(steps).size).toBe(steps.length);
    const rows = await running.services.store.db.select().from(schema.usageEvents).where(eq(schema.usageEvents.requestId, job.id));
    expect(rows.map((r) => [r.trainingTokens, r.priceMicros, r.status])).toEqual([[whole, whole, 'ok']]);
  }, 600_000);
});
