import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareData } from '../../../src/pipeline/data/index.js';
import { pipelineRoutes } from '../../../src/shared/contract/pipeline.js';
import { writeTextCorpus } from '../../support/pipeline-data.js';
import { first, step, type DomainSteps } from '../runner.js';

/** A tiny GPT and hyper-parameters that train 6 steps in well under a second (as test/e2e/pipeline.test.ts). */
const tiny = { preset: 'tiny' as const, overrides: { nLayer: 1, nHead: 2, dModel: 16, contextLength: 32 } };
const hyper = { batchSize: 4, seqLen: 32, evalEvery: 5, evalBatches: 2, checkpointEvery: 5, warmupSteps: 2, lr: 3e-3, seed: 3 };
const finished = (status: string) => status !== 'queued' && status !== 'running';

/**
 * The model pipeline: a tiny training run in a worker (its data prepared here, in process), stopped at once
 * and resumed, polled until it completes; its model registered as a version of a model of our own, deployed
 * under a name of our own, repointed at the bundled model, rolled back; and the registry and presets read.
 */
export const pipelineSteps: DomainSteps = {
  steps: [
    step(pipelineRoutes.startRun, {
      input: async (s) => {
        const root = (s.pipelineRoot = mkdtempSync(join(tmpdir(), 'qd-contract-pipeline-')));
        await prepareData({ inputs: [writeTextCorpus(join(root, 'text'), 20)], outDir: join(root, 'data'), valFraction: 0.25, tokenizer: { kind: 'train', vocabSize: 300 } });
        return { body: { kind: 'train' as const, params: { dataDir: join(root, 'data'), outDir: join(root, 'run'), model: tiny, steps: 6, ...hyper } } };
      },
      save: (a, s) => void (s.pipelineRunId = a.id),
    }),
    step(pipelineRoutes.stopRun, { input: (s) => ({ params: { id: s.pipelineRunId! } }) }),
    step(pipelineRoutes.getRun, { input: (s) => ({ params: { id: s.pipelineRunId! } }), until: (a) => finished(a.status) }),
    step(pipelineRoutes.resumeRun, { input: (s) => ({ params: { id: s.pipelineRunId! } }) }),
    step(pipelineRoutes.getRun, {
      input: (s) => ({ params: { id: s.pipelineRunId! } }),
      until: (a) => finished(a.status),
      save: (a, s) => {
        if (a.status !== 'completed' || !a.artifacts.modelDir) throw new Error(`the resumed run ended ${a.status}: ${a.error ?? 'no model folder'}`);
        s.pipelineModelDir = a.artifacts.modelDir;
      },
    }),
    step(pipelineRoutes.listRuns, { input: () => ({ query: { kind: 'train' as const, limit: 10 } }) }),
    step(pipelineRoutes.listModels, { save: (a) => void first(a, 'model') }),
    step(pipelineRoutes.presets, { input: () => ({ query: { vocabSize: 300 } }) }),
    step(pipelineRoutes.registerVersion, {
      input: (s) => ({ body: { model: 'contract-model', checkpoint: s.pipelineModelDir!, description: 'The contract test’s tiny model.' } }),
      save: (a, s) => {
        s.pipelineVersionId = a.id;
        // The registry copied the checkpoint into its own folder: the run's corpus, data and folder can go.
        rmSync(s.pipelineRoot!, { recursive: true, force: true });
      },
    }),
    step(pipelineRoutes.listVersions, { input: () => ({ params: { name: 'contract-model' } }) }),
    step(pipelineRoutes.getVersion, { input: (s) => ({ params: { ref: s.pipelineVersionId! } }) }),
    step(pipelineRoutes.deploy, { input: (s) => ({ body: { name: 'contract-model', version: s.pipelineVersionId! } }) }),
    step(pipelineRoutes.deploy, { input: () => ({ body: { name: 'contract-model', version: 'qudao-brown' } }) }),
    step(pipelineRoutes.rollback, { input: () => ({ body: { name: 'contract-model' } }) }),
    step(pipelineRoutes.viewDeployment, { input: () => ({ params: { name: 'qudao-brown' } }) }),
  ],
};
