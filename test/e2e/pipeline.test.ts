import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/engine/index.js';
import { prepareData } from '../../src/pipeline/data/index.js';
import { compareModels, evaluateModel } from '../../src/pipeline/eval/index.js';
import { trainClassifier, trainLanguageModel, type RunSummary } from '../../src/pipeline/train/index.js';
import { writeLabeledCsv, writeTextCorpus } from '../support/pipeline-data.js';
import { runQudao, startQudao } from '../support/process.js';

const root = mkdtempSync(join(tmpdir(), 'qd-pipeline-'));
const tiny = { preset: 'tiny' as const, overrides: { nLayer: 1, nHead: 2, dModel: 16, contextLength: 32 } };
const hyper = { batchSize: 4, seqLen: 32, evalEvery: 5, evalBatches: 2, checkpointEvery: 5, warmupSteps: 2, lr: 3e-3, seed: 3 };
let engine: Engine;
let pretrained: RunSummary;

beforeAll(async () => {
  engine = await createEngine({ threads: 2 });
  await prepareData({ inputs: [writeTextCorpus(join(root, 'text'))], outDir: join(root, 'data'), valFraction: 0.25, tokenizer: { kind: 'train', vocabSize: 300 } });
  pretrained = await trainLanguageModel({ dataDir: join(root, 'data'), outDir: join(root, 'pretrain'), model: tiny, steps: 15, ...hyper }, { engine });
});
afterAll(async () => {
  await engine?.dispose();
  rmSync(root, { recursive: true, force: true });
});

describe('the model pipeline from a folder of text', () => {
  it('pretrains, fine-tunes as a causal LM on new text, and compares the two on the same split', async () => {
    expect(pretrained.outcome).toBe('completed');
    const tokenizer = join(pretrained.modelDir, 'tokenizer.json');
    await prepareData({ inputs: [writeTextCorpus(join(root, 'partner-text'), 20, 99)], outDir: join(root, 'partner'), valFraction: 0.25, tokenizer: { kind: 'file', path: tokenizer } });
    const tuned = await trainLanguageModel({ dataDir: join(root, 'partner'), outDir: join(root, 'tuned'), model: { checkpoint: pretrained.modelDir }, steps: 10, ...hyper, lr: 1e-3 }, { engine });
    expect(tuned.kind).toBe('finetune');
    const cmp = await compareModels(pretrained.modelDir, tuned.modelDir, { dataDir: join(root, 'partner') }, { engine });
    expect(cmp.metric).toBe('loss');
    expect(cmp.a.task).toBe('lm');
    expect(cmp.delta).toBeCloseTo(cmp.b.loss - cmp.a.loss, 10);
    if (cmp.a.task === 'lm') expect(cmp.a.perplexity).toBeCloseTo(Math.exp(cmp.a.loss), 6);
  });

  it('fine-tunes a classifier head on text,label data with frozen embeddings and reports accuracy and a confusion matrix', async () => {
    const tokenizer = join(pretrained.modelDir, 'tokenizer.json');
    await prepareData({ inputs: [writeLabeledCsv(join(root, 'labeled.csv'))], outDir: join(root, 'labeled'), labelField: 'label', valFraction: 0.25, tokenizer: { kind: 'file', path: tokenizer } });
    const run = await trainClassifier({ checkpoint: pretrained.modelDir, dataDir: join(root, 'labeled'), outDir: join(root, 'classifier'), steps: 60, freezeBelow: 0, ...hyper, lr: 1e-2, evalEvery: 20 }, { engine });
    expect(run.task).toBe('classify');
    const result = await evaluateModel({ modelDir: run.modelDir, dataDir: join(root, 'labeled') }, { engine });
    if (result.task !== 'classify') throw new Error('expected a classifier evaluation');
    expect(result.labels).toEqual(['neg', 'pos']);
    expect(result.confusion.flat().reduce((a, b) => a + b, 0)).toBe(result.examples);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.75);
  });

  it('refuses data tokenized differently from the checkpoint', async () => {
    await prepareData({ inputs: [join(root, 'text')], outDir: join(root, 'bytes'), tokenizer: { kind: 'byte' } });
    await expect(trainLanguageModel({ dataDir: join(root, 'bytes'), outDir: join(root, 'x'), model: { checkpoint: pretrained.modelDir }, steps: 2, ...hyper }, { engine })).rejects.toMatchObject({ code: 'QD_INVALID_REQUEST', param: 'data' });
  });
});

describe('the pipeline through the CLI and the server', () => {
  const token = 'pipeline-test-admin-token-0123456789';

  it('a SIGKILLed qudao train resumes from its checkpoint with the loss curve of an uninterrupted run', async () => {
    const args = (out: string) => ['train', '--data', join(root, 'data'), '--out', out, '--set', 'nLayer=1', '--set', 'nHead=2', '--set', 'dModel=16', '--set', 'contextLength=32', '--steps', '12', '--batch-size', '4', '--seq-len', '32', '--eval-every', '4', '--eval-batches', '2', '--checkpoint-every', '2', '--warmup', '2', '--lr', '3e-3', '--seed', '3', '--quiet', '--no-record'];
    const env = { QUDAO_DATA_DIR: join(root, 'cli-data') };
    const whole = await runQudao(args(join(root, 'cli-whole')), env);
    expect(whole.code, whole.stderr).toBe(0);
    const { spawn } = await import('node:child_process');
    const { qudaoBin } = await import('../support/process.js');
    const child = spawn(process.execPath, [qudaoBin, ...args(join(root, 'cli-killed'))], { env: { ...process.env, ...env }, stdio: 'ignore' });
    const state = join(root, 'cli-killed', 'checkpoint', 'training_state.json');
    for (let i = 0; i < 600 && !(existsSync(state) && JSON.parse(readFileSync(state, 'utf8')).step >= 4); i++) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const resumed = await runQudao(args(join(root, 'cli-killed')), env);
    expect(resumed.code, resumed.stderr).toBe(0);
    const curve = (dir: string) => (JSON.parse(readFileSync(join(root, dir, 'run.json'), 'utf8')) as RunSummary).curve.map((p) => [p.step, p.loss, p.valLoss ?? null]);
    expect(curve('cli-killed')).toEqual(curve('cli-whole'));
  }, 240_000);

  it('prints one line and exits 2 on a usage mistake, 1 on a bad checkpoint', async () => {
    const usage = await runQudao(['train', '--out', join(root, 'nope')]);
    expect(usage.code).toBe(2);
    expect(usage.stderr.trim()).toBe('qudao: --data is required: a folder written by npx qudao data prepare');
    const bad = await runQudao(['eval', '--model', join(root, 'missing'), '--data', join(root, 'data'), '--quiet', '--no-record']);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toMatch(/^qudao: checkpoint .*missing: no readable checkpoint\.json/);
  }, 120_000);

  it('runs a training step in a server worker, registers its model, deploys, redeploys and rolls back', async () => {
    const server = await startQudao(['--data-dir', join(root, 'server-data'), '--admin-token', token], { QUDAO_DEMO: 'false' });
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };
    try {
      const started = await api('POST', '/api/runs', { kind: 'train', params: { dataDir: join(root, 'data'), outDir: join(root, 'server-run'), model: tiny, steps: 6, ...hyper } });
      expect(started.status).toBe(202);
      let run = started.json;
      for (let i = 0; i < 600 && (run.status === 'running' || run.status === 'queued'); i++) {
        await new Promise((r) => setTimeout(r, 200));
        run = (await api('GET', `/api/runs/${String(run.id)}`)).json;
      }
      expect(run.status, String(run.error)).toBe('completed');
      expect((run.metrics as { curve: unknown[] }).curve).toHaveLength(6);
      const modelDir = (run.artifacts as { modelDir: string }).modelDir;
      const v1 = (await api('POST', '/api/model-versions', { model: 'pipe-test', checkpoint: modelDir })).json;
      const v2 = (await api('POST', '/api/model-versions', { model: 'pipe-test', checkpoint: pretrained.modelDir })).json;
      expect([v1.version, v2.version]).toEqual([1, 2]);
      expect((await api('POST', '/api/deploy', { name: 'pipe-test', version: 'pipe-test@1' })).json).toMatchObject({ deployment: { modelVersionId: v1.id } });
      expect((await api('POST', '/api/deploy', { name: 'pipe-test', version: 'pipe-test@2' })).json).toMatchObject({ deployment: { modelVersionId: v2.id } });
      const back = await api('POST', '/api/deploy/rollback', { name: 'pipe-test' });
      expect(back.json).toMatchObject({ deployment: { modelVersionId: v1.id } });
      expect((back.json.history as unknown[]).length).toBe(3);
      expect((await api('POST', '/api/deploy/rollback', { name: 'nope' })).status).toBe(404);
      const runs = (await api('GET', '/api/runs?kind=train')).json.data as Array<{ id: string }>;
      expect(runs.map((r) => r.id)).toContain(run.id);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }, 240_000);
});
