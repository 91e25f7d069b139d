import { fineTuningAdminRoutes, fineTuningRoutes as ft } from '../../../src/shared/contract/fine-tuning.js';
import { step, type DomainSteps } from '../runner.js';

/** Two conversations in OpenAI's chat fine-tuning JSONL. */
const file = ['Ada', 'Bob'].map((n) => JSON.stringify({ messages: [{ role: 'user', content: `Hi, I am ${n}.` }, { role: 'assistant', content: 'Hello.' }] })).join('\n');

/**
 * The fine-tuning API with the customer key the gateway steps made: a file (sent as the JSON form of the
 * upload the contract declares; the SDK's multipart upload is tested in test/e2e/fine-tuning-api.test.ts), a
 * job on the bundled model cancelled at once (so the run worker is free again), its events and checkpoints.
 * After the pipeline's steps, which need the worker. The file is deleted at the end.
 */
export const fineTuningSteps: DomainSteps = {
  steps: [
    step(ft.createFile, { as: 'customer', input: () => ({ body: { purpose: 'fine-tune', file: { filename: 'contract.jsonl', text: file } } }), save: (a, s) => void (s.ftFileId = a.id) }),
    step(ft.listFiles, { as: 'customer' }),
    step(ft.getFile, { as: 'customer', input: (s) => ({ params: { id: s.ftFileId! } }) }),
    step(ft.createJob, { as: 'customer', input: (s) => ({ body: { model: 'qudao-brown', training_file: s.ftFileId!, hyperparameters: { n_epochs: 1 }, suffix: 'contract' } }), save: (a, s) => void (s.ftJobId = a.id) }),
    step(ft.cancelJob, { as: 'customer', input: (s) => ({ params: { id: s.ftJobId! } }) }),
    step(ft.getJob, { as: 'customer', input: (s) => ({ params: { id: s.ftJobId! } }), until: (a) => a.finished_at !== null }),
    step(ft.listJobs, { as: 'customer', input: () => ({ query: { limit: 5 } }) }),
    step(ft.listEvents, { as: 'customer', input: (s) => ({ params: { id: s.ftJobId! }, query: { limit: 5 } }) }),
    step(ft.listCheckpoints, { as: 'customer', input: (s) => ({ params: { id: s.ftJobId! } }) }),
    step(fineTuningAdminRoutes.listJobs, { input: () => ({ query: { limit: 10 } }) }),
  ],
  deletes: [step(ft.deleteFile, { as: 'customer', input: (s) => ({ params: { id: s.ftFileId! } }) })],
};
