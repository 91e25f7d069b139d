import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTextCorpus } from '../../../test/support/pipeline-data.js';
import { openTestStore, type TestStore } from '../../../test/support/stores.js';
import { prepareData } from '../data/index.js';
import { parseStep, recordedStep, RunManager, RunStore, thinCurve, type RunRow } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'qd-runs-'));
const qudao = fileURLToPath(new URL('../../../bin/qudao.js', import.meta.url));
let t: TestStore;
let runs: RunStore;
const params = (out: string) => ({ dataDir: join(root, 'data'), outDir: join(root, out), model: { preset: 'tiny', overrides: { nLayer: 1, nHead: 2, dModel: 16, contextLength: 16 } }, steps: 6, batchSize: 2, seqLen: 16, evalEvery: 3, evalBatches: 1, checkpointEvery: 2, warmupSteps: 1 });

beforeAll(async () => {
  t = await openTestStore('pglite');
  runs = new RunStore(t.store);
  await prepareData({ inputs: [writeTextCorpus(join(root, 'text'), 12)], outDir: join(root, 'data'), valFraction: 0.25, tokenizer: { kind: 'byte' } });
});
afterAll(async () => {
  await t?.dispose();
  rmSync(root, { recursive: true, force: true });
});

describe('pipeline runs', () => {
  it('records a step: running with its curve, then completed with results and artifacts', async () => {
    const { run } = await recordedStep(runs, 'train', params('recorded'));
    expect(run).toMatchObject({ kind: 'train', status: 'completed', resumable: false, error: null });
    const m = run.metrics as { curve: Array<{ step: number; loss: number; valLoss?: number }>; bestValLoss: number; step: number; loss: number };
    expect(m.curve.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6]);
    // A finished run has the running shape's step and (last) training loss, so tables show them.
    expect(m.step).toBe(6);
    expect(m.loss).toBe(m.curve.at(-1)!.loss);
    expect(m.curve.filter((p) => p.valLoss !== undefined)).toHaveLength(2);
    expect((run.artifacts as { modelDir: string }).modelDir).toBe(join(root, 'recorded', 'best'));
    expect((await runs.list({ kind: 'train' })).map((r) => r.id)).toContain(run.id);
  });

  it('records a failure with its code, and keeps evaluation points when thinning a long curve', async () => {
    await expect(recordedStep(runs, 'train', { ...params('failed'), dataDir: join(root, 'nope') })).rejects.toMatchObject({ code: 'QD_DATA_UNREADABLE' });
    const [failed] = await runs.list({ status: 'failed' });
    expect(failed!.error).toMatch(/^QD_DATA_UNREADABLE: /);
    const curve = Array.from({ length: 2000 }, (_, i) => ({ step: i + 1, ...(i % 700 === 0 ? { valLoss: 1 } : {}) }));
    const thin = thinCurve(curve);
    expect(thin.length).toBeLessThanOrEqual(505);
    expect(thin.filter((p) => p.valLoss !== undefined)).toHaveLength(3);
    expect(thin.at(-1)!.step).toBe(2000);
  });

  it('runs a step in a worker process for the API and records its outcome', async () => {
    const manager = new RunManager(runs, { workerCommand: [process.execPath, qudao] });
    let run: RunRow = await manager.start(parseStep('train', params('worker')));
    expect(run.status).toBe('running');
    await expect(manager.start(parseStep('train', params('other')))).rejects.toMatchObject({ code: 'QD_OVERLOADED' });
    for (let i = 0; i < 900 && run.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      run = await runs.get(run.id);
    }
    expect(run.status, String(run.error)).toBe('completed');
    expect((run.metrics as { steps: number }).steps).toBe(6);
    await expect(manager.resume(run.id)).rejects.toMatchObject({ code: 'QD_CONFLICT' });
  }, 240_000);

  it('records a run stopped while its worker is still starting as stopped and resumable, not failed', async () => {
    const manager = new RunManager(runs, { workerCommand: [process.execPath, qudao] });
    const run = await manager.start(parseStep('train', { ...params('early-stop'), steps: 100_000 }));
    await manager.stop(run.id);
    let row = await runs.get(run.id);
    for (let i = 0; i < 300 && row.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      row = await runs.get(run.id);
    }
    expect(row, String(row.error)).toMatchObject({ status: 'stopped', resumable: true });
  }, 60_000);

  it('refuses bad parameters with the parameter named, before a worker is spawned or a row is written', async () => {
    const manager = new RunManager(runs, { workerCommand: ['/nonexistent/never-spawned'] });
    const before = (await runs.list()).length;
    const start = async (kind: string, p: Record<string, unknown>) => manager.start(parseStep(kind, p));
    await expect(start('train', { ...params('bad'), steps: 0 })).rejects.toMatchObject({ code: 'QD_INVALID_REQUEST', param: 'params.steps' });
    await expect(start('train', { outDir: join(root, 'x') })).rejects.toMatchObject({ code: 'QD_INVALID_REQUEST', param: 'params.dataDir' });
    await expect(start('train', { ...params('bad'), steps: 10, warmupSteps: 20 })).rejects.toMatchObject({ code: 'QD_INVALID_REQUEST', param: 'params.warmupSteps' });
    await expect(start('finetune', { dataDir: join(root, 'data'), outDir: join(root, 'y') })).rejects.toMatchObject({ param: 'params.checkpoint' });
    await expect(start('eval', { modelDir: 'm', dataDir: 'd', batchSize: -1 })).rejects.toMatchObject({ param: 'params.batchSize' });
    await expect(start('data', { outDir: join(root, 'z') })).rejects.toMatchObject({ code: 'QD_INVALID_REQUEST', param: 'params.inputs' });
    await expect(start('data', { inputs: ['a'], outDir: join(root, 'z'), minChars: 10, maxChars: 5 })).rejects.toMatchObject({ code: 'QD_DATA_OPTIONS', param: 'params' });
    await expect(start('deploy', {})).rejects.toMatchObject({ code: 'QD_INVALID_REQUEST', param: 'kind' });
    expect((await runs.list()).length).toBe(before);
  });
});
