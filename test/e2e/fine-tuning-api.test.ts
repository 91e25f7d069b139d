import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { createEngine, saveCheckpoint } from '../../src/engine/index.js';
import { renderChat } from '../../src/gateway/index.js';
import { createModel, presetSpec, toCheckpoint } from '../../src/models/index.js';
import type { FineTuningJob } from 'openai/resources/fine-tuning/jobs/jobs';
import { schema } from '../../src/store/index.js';
import { byteTokenizer } from '../../src/tokenizer/index.js';
import { runCliAgainst } from '../support/cli.js';
import { adminCall, seedGatewayKey, TEST_ADMIN_TOKEN } from '../support/gateway-workspace.js';

/**
 * OpenAI's fine-tuning API end to end, through the official SDK: a chat JSONL file uploaded, a job on a tiny
 * in-process model trained in the server's run worker, its events and checkpoint, its model served to the
 * customer that created it and to no one else, its trained tokens in the ledger at the plan's training price
 * and on the invoice draft as a `training` line; bad and oversized files refused; a running job cancelled.
 *
 * The base model is a one-layer GPT over bytes (so a token is a byte and the billable tokens can be counted
 * by hand), with a context of 128: each conversation below is 66 to 128 tokens, so no two pack into one
 * sequence and an epoch is exactly one pass over the examples.
 */
const dir = mkdtempSync(join(tmpdir(), 'qd-ft-api-'));
const MAX_FILE_BYTES = 8192;
const TRAINING_PRICE = 2_000_000; // per 1M trained tokens
const names = ['Ada', 'Bob', 'Chen', 'Dana', 'Emeka', 'Fatima', 'Goran', 'Hana', 'Ivan', 'Jun'];
const conversation = (name: string) => [
  { role: 'user' as const, content: `Hi, I am ${name}. What is the password?` },
  { role: 'assistant' as const, content: 'The password is swordfish.' },
];
const jsonl = (list: readonly string[]) => `${list.map((n) => JSON.stringify({ messages: conversation(n) })).join('\n')}\n`;
/** A conversation's tokens as the chat trainer renders it (chatml) over a byte tokenizer: its UTF-8 bytes. */
const renderedBytes = (name: string) => Buffer.byteLength(conversation(name).map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).join(''));

type ApiError = InstanceType<typeof OpenAI.APIError>;
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected the call to fail'); }, (e: unknown) => e as ApiError);

async function until(job: () => Promise<FineTuningJob>, done: (j: FineTuningJob) => boolean, what: string): Promise<FineTuningJob> {
  for (let i = 0; i < 1200; i++) {
    const j = await job();
    if (done(j)) return j;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('OpenAI fine-tuning API (files, jobs, events, checkpoints) through the official SDK', () => {
  let running: RunningApp;
  let owner: OpenAI;
  let other: OpenAI;
  let ownerCustomer: string;

  beforeAll(async () => {
    const engine = await createEngine({ backend: 'reference' });
    const spec = presetSpec('tiny', { contextLength: 128, nLayer: 1, nHead: 2, dModel: 32 });
    await saveCheckpoint(join(dir, 'base'), toCheckpoint(spec, createModel(engine, spec), undefined, byteTokenizer().toJSON()));
    running = await startApp(loadConfig({ env: { QUDAO_DATA_DIR: 'memory://', QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent', QUDAO_ADMIN_TOKEN: TEST_ADMIN_TOKEN, QUDAO_THREADS: '1', QUDAO_FINE_TUNING_FILE_MAX_BYTES: String(MAX_FILE_BYTES) } }));
    const { db } = running.services.store;
    await db.insert(schema.models).values({ id: 'mdl_base', name: 'base', kind: 'gpt' });
    await db.insert(schema.modelVersions).values({ id: 'mv_base', modelId: 'mdl_base', version: 1, config: spec.config, checkpointPath: join(dir, 'base') });
    expect((await adminCall(running.url, 'POST', '/api/deployments', { name: 'tiny', kind: 'local', modelVersionId: 'mv_base', costInputPer1mMicros: 100_000 })).status).toBe(201);
    const a = await seedGatewayKey(running.url, running.services.store, { trainingPer1mMicros: TRAINING_PRICE });
    const b = await seedGatewayKey(running.url, running.services.store, { trainingPer1mMicros: TRAINING_PRICE });
    ownerCustomer = a.customerId;
    owner = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: a.key, maxRetries: 0 });
    other = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: b.key, maxRetries: 0 });
  }, 180_000);
  afterAll(async () => {
    await running?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads, trains, reports, serves to its owner only, and bills the trained tokens', async () => {
    const train = jsonl(names.slice(0, 8));
    const file = await owner.files.create({ file: await toFile(Buffer.from(train), 'door.jsonl'), purpose: 'fine-tune' });
    expect(file).toMatchObject({ object: 'file', bytes: Buffer.byteLength(train), filename: 'door.jsonl', purpose: 'fine-tune', status: 'processed' });
    const validation = await owner.files.create({ file: await toFile(Buffer.from(jsonl(names.slice(8))), 'door-val.jsonl'), purpose: 'fine-tune' });
    expect((await owner.files.list()).data.map((f) => f.id)).toEqual([validation.id, file.id]);
    expect((await failure(other.files.retrieve(file.id))).status).toBe(404);
    expect((await other.files.list()).data).toEqual([]);
    for (const n of names) expect(renderedBytes(n)).toBeGreaterThan(65);
    for (const n of names) expect(renderedBytes(n)).toBeLessThanOrEqual(129);

    const created = await owner.fineTuning.jobs.create({
      model: 'tiny', training_file: file.id, validation_file: validation.id, suffix: 'door', seed: 7,
      hyperparameters: { n_epochs: 2, batch_size: 2, learning_rate_multiplier: 10 },
    });
    expect(created).toMatchObject({ object: 'fine_tuning.job', model: 'tiny', status: 'queued', training_file: file.id, validation_file: validation.id, seed: 7, fine_tuned_model: null, organization_id: ownerCustomer });
    expect(created.hyperparameters).toEqual({ n_epochs: 2, batch_size: 2, learning_rate_multiplier: 10 });
    expect((await failure(other.fineTuning.jobs.retrieve(created.id))).status).toBe(404);

    const job = await until(() => owner.fineTuning.jobs.retrieve(created.id), (j) => j.finished_at !== null, 'the job to finish');
    expect(job.error).toBeNull();
    expect(job.status).toBe('succeeded');
    const model = `ft:tiny:${ownerCustomer}:door:${created.id.slice('ftjob_'.length)}`;
    expect(job.fine_tuned_model).toBe(model);
    // 8 examples × 2 epochs, one conversation per sequence: every rendered byte twice.
    const trainedTokens = 2 * names.slice(0, 8).reduce((n, name) => n + renderedBytes(name), 0);
    expect(job.trained_tokens).toBe(trainedTokens);

    // Events, newest first: the status changes, and one metrics event per step (8 examples / 2 per step × 2 epochs).
    const events = [];
    for await (const e of owner.fineTuning.jobs.listEvents(created.id, { limit: 5 })) events.push(e);
    const messages = events.map((e) => e.message).reverse();
    expect(messages[0]).toBe(`Created fine-tuning job: ${created.id}`);
    expect(messages).toContain('Fine-tuning job started');
    expect(messages.at(-2)).toBe(`New fine-tuned model created: ${model}`);
    expect(messages.at(-1)).toBe('The job has successfully completed');
    const steps = events.filter((e) => e.type === 'metrics').reverse();
    expect(steps.map((e) => (e.data as { step: number }).step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const e of steps) expect(typeof (e.data as { train_loss: unknown }).train_loss).toBe('number');
    expect(steps.some((e) => typeof (e.data as { valid_loss?: unknown }).valid_loss === 'number')).toBe(true);

    const checkpoints = await owner.fineTuning.jobs.checkpoints.list(created.id);
    expect(checkpoints.data).toHaveLength(1);
    expect(checkpoints.data[0]).toMatchObject({ object: 'fine_tuning.job.checkpoint', fine_tuned_model_checkpoint: model, fine_tuning_job_id: created.id, step_number: 8 });
    expect(checkpoints.data[0]!.metrics.train_loss).toBe((steps.at(-1)!.data as { train_loss: number }).train_loss);

    // Served to the owner with the template it was trained with; another customer's key: not found.
    const ask = conversation('Zara').slice(0, 1);
    const reply = await owner.chat.completions.create({ model, messages: ask, max_tokens: 8, temperature: 0 });
    expect(reply.model).toBe(model);
    expect(reply.usage?.prompt_tokens).toBe(Buffer.byteLength(renderChat('chatml', ask).prompt));
    expect(reply.usage?.completion_tokens).toBeGreaterThan(0);
    const denied = await failure(other.chat.completions.create({ model, messages: ask, max_tokens: 8 }));
    expect(denied.status).toBe(404);
    expect(denied.code).toBe('QD_MODEL_NOT_FOUND');
    expect((await owner.models.list()).data.find((m) => m.id === model)?.owned_by).toBe(ownerCustomer);
    expect((await other.models.list()).data.map((m) => m.id)).not.toContain(model);

    // One ledger row for the job: the trained tokens at the plan's training price, 3 × the base's prompt cost.
    const rows = await running.services.store.db.select().from(schema.usageEvents).where(eq(schema.usageEvents.requestId, created.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ customerId: ownerCustomer, endpoint: 'fine_tuning', model: 'tiny', status: 'ok', trainingTokens: trainedTokens, promptTokens: 0, completionTokens: 0 });
    expect(rows[0]!.priceMicros).toBe(Math.ceil((trainedTokens * TRAINING_PRICE) / 1e6));
    expect(rows[0]!.costMicros).toBe(Math.ceil((trainedTokens * 3 * 100_000) / 1e6));

    // The invoice draft of the month bills them as a training line at the plan's price.
    const month = new Date().toISOString().slice(0, 7);
    const draft = await adminCall<{ lines: { kind: string; tokenKind: string | null; model: string | null; quantity: number; unitPriceMicros: number | null; amountMicros: number }[] }>(running.url, 'GET', `/api/invoices/draft_${month}_${ownerCustomer}`);
    expect(draft.status, JSON.stringify(draft.json)).toBe(200);
    const training = draft.json.lines.filter((l) => l.tokenKind === 'training');
    expect(training).toEqual([expect.objectContaining({ kind: 'usage', model: 'tiny', quantity: trainedTokens, unitPriceMicros: TRAINING_PRICE, amountMicros: trainedTokens * 2 })]);

    // Cost to serve and revenue (the analytics rollups) include the job's row: they equal the ledger's sums.
    expect((await adminCall(running.url, 'POST', '/api/analytics/refresh')).status).toBe(200);
    const ledger = await running.services.store.db.select().from(schema.usageEvents).where(eq(schema.usageEvents.customerId, ownerCustomer));
    const usage = await adminCall<{ totals: { costMicros: number; priceMicros: number } }>(running.url, 'GET', `/api/analytics/usage?customerId=${ownerCustomer}`);
    expect(usage.json.totals).toMatchObject({ costMicros: ledger.reduce((n, r) => n + r.costMicros, 0), priceMicros: ledger.reduce((n, r) => n + r.priceMicros, 0) });
    expect(usage.json.totals.costMicros).toBeGreaterThanOrEqual(rows[0]!.costMicros);

    // The job's run is a pipeline run of kind finetune, task chat, in the run worker.
    const runs = await adminCall<{ data: { kind: string; params: { task?: string; epochs?: number; batchSize?: number; lr?: number; seed?: number } }[] }>(running.url, 'GET', '/api/runs?kind=finetune');
    expect(runs.json.data[0]!.params).toMatchObject({ task: 'chat', epochs: 2, batchSize: 2, lr: 10 * 1e-4, seed: 7 });
  }, 300_000);

  it('lists jobs newest first with after/limit paging', async () => {
    const file = await owner.files.create({ file: await toFile(Buffer.from(jsonl(['Ada', 'Bob'])), 'two.jsonl'), purpose: 'fine-tune' });
    const second = await owner.fineTuning.jobs.create({ model: 'tiny', training_file: file.id, hyperparameters: { n_epochs: 1 } });
    await owner.fineTuning.jobs.cancel(second.id);
    const first = await owner.fineTuning.jobs.list({ limit: 1 });
    expect(first.data.map((j) => j.id)).toEqual([second.id]);
    expect(first.has_more).toBe(true);
    const rest = await owner.fineTuning.jobs.list({ limit: 10, after: second.id });
    expect(rest.has_more).toBe(false);
    expect(rest.data.every((j) => j.created_at <= second.created_at && j.id !== second.id)).toBe(true);
    expect((await other.fineTuning.jobs.list()).data).toEqual([]);

    // The admin's view, every customer's jobs: the API and `qudao fine-tuning jobs list`.
    const all = await adminCall<{ data: { id: string; customerId: string; status: string; trainedTokens: number | null }[] }>(running.url, 'GET', `/api/fine-tuning/jobs?customerId=${ownerCustomer}`);
    expect(all.json.data.map((j) => [j.id, j.status])).toEqual([[second.id, 'cancelled'], ...rest.data.map((j) => [j.id, j.status])]);
    const cli = await runCliAgainst(running, 'fine-tuning', 'jobs', 'list', '--status', 'cancelled', '--json');
    expect(cli.code, cli.err).toBe(0);
    expect((JSON.parse(cli.out) as { data: { id: string }[] }).data.map((j) => j.id)).toContain(second.id);
    const table = await runCliAgainst(running, 'fine-tuning', 'jobs', 'list', '--customer', ownerCustomer);
    expect(table.out.split('\n')[0]).toMatch(/^id\s+customer\s+baseModel\s+status\s+trainedTokens\s+fineTunedModel/);
    expect(table.out).toContain(`ft:tiny:${ownerCustomer}:door:`);
  }, 180_000);

  it('refuses a broken line naming it, an oversized file, and fields it does not implement', async () => {
    const lines = jsonl(['Ada', 'Bob', 'Chen', 'Dana']).split('\n');
    lines[2] = '{"messages": [{"role": "user", "content": "hi"}';
    const bad = await failure(owner.files.create({ file: await toFile(Buffer.from(lines.join('\n')), 'bad.jsonl'), purpose: 'fine-tune' }));
    expect(bad.status).toBe(400);
    expect(bad.code).toBe('QD_FINETUNE_FILE_INVALID');
    expect(bad.param).toBe('file');
    expect(bad.message).toContain('bad.jsonl, line 3');
    expect((await owner.files.list()).data.map((f) => f.filename)).not.toContain('bad.jsonl');

    const big = jsonl(Array.from({ length: 200 }, (_, i) => `n${i}`));
    expect(Buffer.byteLength(big)).toBeGreaterThan(MAX_FILE_BYTES);
    const tooLarge = await failure(owner.files.create({ file: await toFile(Buffer.from(big), 'big.jsonl'), purpose: 'fine-tune' }));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.code).toBe('QD_BODY_TOO_LARGE');
    expect(tooLarge.message).toContain(`at most ${MAX_FILE_BYTES} bytes`);
    const huge = await failure(owner.files.create({ file: await toFile(Buffer.alloc(MAX_FILE_BYTES + 100_000, 'x'), 'huge.jsonl'), purpose: 'fine-tune' }));
    expect(huge.status).toBe(413);

    const purpose = await failure(owner.files.create({ file: await toFile(Buffer.from(jsonl(['Ada'])), 'a.jsonl'), purpose: 'assistants' }));
    expect([purpose.status, purpose.param]).toEqual([400, 'purpose']);

    const file = await owner.files.create({ file: await toFile(Buffer.from(jsonl(['Ada', 'Bob'])), 'ok.jsonl'), purpose: 'fine-tune' });
    const base = { model: 'tiny', training_file: file.id };
    const integrations = await failure(owner.fineTuning.jobs.create({ ...base, integrations: [{ type: 'wandb', wandb: { project: 'p' } }] }));
    expect([integrations.status, integrations.code, integrations.param]).toEqual([400, 'QD_UNSUPPORTED_PARAMETER', 'integrations']);
    const dpo = await failure(owner.fineTuning.jobs.create({ ...base, method: { type: 'dpo' } }));
    expect([dpo.status, dpo.param]).toEqual([400, 'method.type']);
    const unknown = await failure(owner.fineTuning.jobs.create({ ...base, warmup: 3 } as Parameters<typeof owner.fineTuning.jobs.create>[0]));
    expect([unknown.status, unknown.code, unknown.param]).toEqual([400, 'QD_UNSUPPORTED_PARAMETER', 'warmup']);
    const suffix = await failure(owner.fineTuning.jobs.create({ ...base, suffix: 'no spaces please' }));
    expect([suffix.status, suffix.param]).toEqual([400, 'suffix']);
    const seed = await failure(owner.fineTuning.jobs.create({ ...base, seed: -1 }));
    expect([seed.status, seed.param]).toEqual([400, 'seed']);
    const epochs = await failure(owner.fineTuning.jobs.create({ ...base, hyperparameters: { n_epochs: 0 } }));
    expect([epochs.status, epochs.param]).toEqual([400, 'hyperparameters.n_epochs']);
    const missing = await failure(owner.fineTuning.jobs.create({ ...base, model: 'no-such-model' }));
    expect([missing.status, missing.code]).toEqual([404, 'QD_MODEL_NOT_FOUND']);
    const othersFile = await failure(other.fineTuning.jobs.create(base));
    expect([othersFile.status, othersFile.param]).toEqual([404, 'training_file']);

    // A prepaid customer without credit starts no job.
    const prepaid = await seedGatewayKey(running.url, running.services.store, { trainingPer1mMicros: TRAINING_PRICE });
    expect((await adminCall(running.url, 'PUT', `/api/customers/${prepaid.customerId}/billing`, { billingMode: 'prepaid' })).status).toBe(200);
    const broke = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: prepaid.key, maxRetries: 0 });
    const brokeFile = await broke.files.create({ file: await toFile(Buffer.from(jsonl(['Ada'])), 'a.jsonl'), purpose: 'fine-tune' });
    const noCredit = await failure(broke.fineTuning.jobs.create({ model: 'tiny', training_file: brokeFile.id }));
    expect([noCredit.status, noCredit.code]).toEqual([402, 'QD_CREDIT_EXHAUSTED']);
    expect((await broke.fineTuning.jobs.list()).data).toEqual([]);
  }, 180_000);

  it('cancels a running job: it stops after its current step and bills the tokens trained until then', async () => {
    const file = await owner.files.create({ file: await toFile(Buffer.from(jsonl(names)), 'long.jsonl'), purpose: 'fine-tune' });
    const created = await owner.fineTuning.jobs.create({ model: 'tiny', training_file: file.id, hyperparameters: { n_epochs: 50, batch_size: 1 } });
    await until(() => owner.fineTuning.jobs.retrieve(created.id), (j) => j.status === 'running', 'the job to run');
    for (let i = 0; i < 1200; i++) {
      const page = await owner.fineTuning.jobs.listEvents(created.id, { limit: 1 });
      if (page.data[0]?.type === 'metrics') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const cancelled = await owner.fineTuning.jobs.cancel(created.id);
    expect(cancelled.status).toBe('cancelled');
    const job = await until(() => owner.fineTuning.jobs.retrieve(created.id), (j) => j.finished_at !== null, 'the cancelled job to stop');
    expect(job.status).toBe('cancelled');
    expect(job.fine_tuned_model).toBeNull();
    const whole = 50 * names.reduce((n, name) => n + renderedBytes(name), 0);
    expect(job.trained_tokens).toBeGreaterThan(0);
    expect(job.trained_tokens!).toBeLessThan(whole);
    const [row] = await running.services.store.db.select().from(schema.usageEvents).where(eq(schema.usageEvents.requestId, created.id));
    expect(row).toMatchObject({ status: 'cancelled', trainingTokens: job.trained_tokens, priceMicros: Math.ceil((job.trained_tokens! * TRAINING_PRICE) / 1e6) });
    expect((await failure(owner.fineTuning.jobs.cancel(created.id))).status).toBe(409);
  }, 300_000);
});
