import { join } from 'node:path';
import { registerCheckpoint } from './registry/index.js';
import type { PipelineServices } from './services.js';
import { isDir } from './train/index.js';

/** The public name of the model that ships with Qudao (trained on the Brown corpus, `models/bundled/`). */
export const BUNDLED_MODEL_NAME = 'qudao-brown';

/** What {@link ensureBundledModel} did. */
export type BundledModelResult = 'deployed' | 'already-registered' | 'missing';

/**
 * On an empty registry, registers the committed bundled model (in place: git keeps it fixed) and deploys it
 * under {@link BUNDLED_MODEL_NAME}, so a fresh `npm start` serves a model with no training step. Does
 * nothing once any model is registered, so an operator's choices are never overridden.
 */
export async function ensureBundledModel(p: PipelineServices, bundledRoot: string): Promise<BundledModelResult> {
  const dir = join(bundledRoot, BUNDLED_MODEL_NAME);
  if (!(await isDir(dir))) return 'missing';
  if ((await p.registry.listModels()).length > 0) return 'already-registered';
  const version = await registerCheckpoint(p.registry, {
    modelName: BUNDLED_MODEL_NAME,
    checkpointDir: dir,
    copy: false,
    description: 'Small GPT pretrained on the Brown corpus with Qudao (see README, Model pipeline).',
  });
  await p.deployer.deploy({ name: BUNDLED_MODEL_NAME, version: version.id });
  return 'deployed';
}
