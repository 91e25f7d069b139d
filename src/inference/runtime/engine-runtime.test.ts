import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine, saveCheckpoint } from '../../engine/index.js';
import { createModel, presetSpec, toCheckpoint } from '../../models/index.js';
import { byteTokenizer } from '../../tokenizer/index.js';
import type { ModelVersionFiles, VersionLookup } from './contract.js';
import { engineRuntimeLoader, versionReadiness } from './engine-runtime.js';

describe('engine runtime loader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qd-inference-runtime-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const versions = new Map<string, ModelVersionFiles>();
  const lookup: VersionLookup = async (id) => versions.get(id);

  it('loads a version through its lookup (no store) with the chat template its config names', async () => {
    const engine = await createEngine({ backend: 'reference' });
    const spec = presetSpec('tiny');
    await saveCheckpoint(join(dir, 'ckpt'), toCheckpoint(spec, createModel(engine, spec), undefined, byteTokenizer().toJSON()));
    versions.set('mv_tiny', { checkpointPath: join(dir, 'ckpt'), config: { ...spec.config, chatTemplate: 'chatml' } });
    const runtime = await engineRuntimeLoader({ lookup, threads: 1 })('mv_tiny');
    expect(runtime.chatTemplate).toBe('chatml');
    expect(runtime.countTokens('héllo')).toBe(Buffer.byteLength('héllo'));
    // The start-of-document token takes one position of the context.
    expect(runtime.contextLength).toBe(64 - (byteTokenizer().eotId < 256 ? 1 : 0));
    const [o] = await runtime.generateBatch([{ prompt: 'Hi', maxTokens: 3, temperature: 1, topP: 1, stop: [], seed: 7, signal: new AbortController().signal, onToken: () => {} }]);
    expect(o).toMatchObject({ promptTokens: Buffer.byteLength('Hi'), completionTokens: 3, finishReason: 'length' });
    await expect(engineRuntimeLoader({ lookup, threads: 1 })('mv_nope')).rejects.toThrow('no model version mv_nope');
  });

  it('checks readiness without loading: registered, folder present, manifest present', async () => {
    const ready = versionReadiness(lookup);
    await expect(ready('mv_tiny')).resolves.toBeUndefined();
    await expect(ready('mv_nope')).rejects.toThrow('is not registered');
    versions.set('mv_gone', { checkpointPath: join(dir, 'gone'), config: {} });
    await expect(ready('mv_gone')).rejects.toThrow('is missing');
    mkdirSync(join(dir, 'empty'));
    versions.set('mv_empty', { checkpointPath: join(dir, 'empty'), config: {} });
    await expect(ready('mv_empty')).rejects.toThrow('holds no checkpoint manifest');
  });
});
