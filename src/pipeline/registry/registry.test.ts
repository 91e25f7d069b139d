import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore } from '../../../test/support/stores.js';
import { createEngine, saveCheckpoint } from '../../engine/index.js';
import { createModel, presetSpec, toCheckpoint } from '../../models/index.js';
import { CACHE_CHANNEL, DeploymentStore } from '../../store/index.js';
import { byteTokenizer } from '../../tokenizer/index.js';
import { Deployer, ModelRegistry, registerCheckpoint } from './index.js';

describe('model registry and deploy / rollback', () => {
  let t: TestStore;
  let registry: ModelRegistry;
  let deployer: Deployer;
  const root = mkdtempSync(join(tmpdir(), 'qd-registry-'));
  const checkpoint = (tag: string) => {
    const dir = join(root, `ckpt-${tag}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'model.safetensors'), tag);
    return dir;
  };

  beforeAll(async () => {
    t = await openTestStore('pglite');
    registry = new ModelRegistry(t.store, join(root, 'models'));
    deployer = new Deployer(new DeploymentStore(t.store), registry);
  });
  afterAll(async () => t?.dispose());

  it('numbers versions per model and copies each checkpoint so it cannot change later', async () => {
    const src = checkpoint('a');
    const v1 = await registry.registerVersion({ modelName: 'brown-gpt', kind: 'gpt', config: { preset: 'tiny' }, checkpointDir: src, metrics: { valLoss: 3 } });
    writeFileSync(join(src, 'model.safetensors'), 'changed after registration');
    const v2 = await registry.registerVersion({ modelName: 'brown-gpt', kind: 'gpt', config: { preset: 'tiny' }, checkpointDir: checkpoint('b'), parentVersionId: v1.id });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(readFileSync(join(v1.checkpointPath, 'model.safetensors'), 'utf8')).toBe('a');
    expect((await registry.version('brown-gpt')).id).toBe(v2.id);
    expect((await registry.version('brown-gpt@1')).id).toBe(v1.id);
    expect((await registry.version(v1.id)).modelName).toBe('brown-gpt');
    expect((await registry.listModels()).find((m) => m.name === 'brown-gpt')?.versions).toBe(2);
  });

  it('refuses bad names, a missing checkpoint, a kind change and unknown versions', async () => {
    await expect(registry.registerVersion({ modelName: 'Bad Name', kind: 'gpt', config: {}, checkpointDir: checkpoint('c') })).rejects.toMatchObject({ code: 'QD_INVALID_REQUEST' });
    await expect(registry.registerVersion({ modelName: 'x', kind: 'gpt', config: {}, checkpointDir: join(root, 'nope') })).rejects.toMatchObject({ code: 'QD_NOT_FOUND' });
    await expect(registry.registerVersion({ modelName: 'brown-gpt', kind: 'lstm', config: {}, checkpointDir: checkpoint('d') })).rejects.toMatchObject({ code: 'QD_CONFLICT' });
    await expect(registry.version('brown-gpt@9')).rejects.toMatchObject({ code: 'QD_NOT_FOUND' });
  });

  it('deploys, repoints, rolls back along the trail and notifies the gateway cache', async () => {
    const heard: string[] = [];
    const stop = await t.store.listen(CACHE_CHANNEL, (p) => heard.push(p));
    const v1 = await registry.version('brown-gpt@1');
    const v2 = await registry.version('brown-gpt@2');
    await expect(deployer.rollback('qudao-brown')).rejects.toMatchObject({ code: 'QD_NOT_FOUND' });
    let view = await deployer.deploy({ name: 'qudao-brown', version: 'brown-gpt@1' });
    expect(view.deployment).toMatchObject({ kind: 'local', modelVersionId: v1.id });
    await expect(deployer.rollback('qudao-brown')).rejects.toMatchObject({ code: 'QD_CONFLICT' });
    view = await deployer.deploy({ name: 'qudao-brown', version: 'brown-gpt' });
    expect(view.deployment.modelVersionId).toBe(v2.id);
    view = await deployer.rollback('qudao-brown');
    expect(view.deployment.modelVersionId).toBe(v1.id);
    expect(view.history.map((h) => h.modelVersionId)).toEqual([v1.id, v2.id, v1.id]);
    view = await deployer.rollback('qudao-brown', 'brown-gpt@2');
    expect(view.deployment.modelVersionId).toBe(v2.id);
    for (let i = 0; i < 50 && heard.length < 4; i++) await new Promise((r) => setTimeout(r, 20));
    await stop();
    expect(heard.length).toBeGreaterThanOrEqual(4);
  });

  it('keeps an archived version serving but refuses to deploy it anew', async () => {
    await registry.archive('brown-gpt@1');
    await expect(deployer.deploy({ name: 'other', version: 'brown-gpt@1' })).rejects.toMatchObject({ code: 'QD_CONFLICT' });
    expect((await registry.version('brown-gpt')).version).toBe(2);
  });

  it('registers a checkpoint with the chat template it recorded, plain when it recorded none, or the one asked for', async () => {
    const engine = await createEngine({ backend: 'reference' });
    const spec = presetSpec('tiny', { nLayer: 1, dModel: 16, nHead: 2 });
    const packed = toCheckpoint(spec, createModel(engine, spec), undefined, byteTokenizer().toJSON());
    await saveCheckpoint(join(root, 'chat'), { ...packed, config: { ...packed.config, chatTemplate: 'chatml' } });
    await saveCheckpoint(join(root, 'text'), packed);
    await engine.dispose();
    const template = async (dir: string, chatTemplate?: string) =>
      ((await registerCheckpoint(registry, { modelName: 'templated', checkpointDir: join(root, dir), ...(chatTemplate ? { chatTemplate } : {}) })).config as { chatTemplate: string }).chatTemplate;
    expect(await template('chat')).toBe('chatml');
    expect(await template('text')).toBe('plain');
    expect(await template('chat', 'plain')).toBe('plain');
  });
});
