import type { FastifyInstance } from 'fastify';
import { route } from '../server/http/index.js';
import { pipelineRoutes as api } from '../shared/contract/pipeline.js';
import { presetTable } from './presets.js';
import { registerCheckpoint } from './registry/index.js';
import type { PipelineServices } from './services.js';

/**
 * The model pipeline's `/api` routes (admin only; contracts in src/shared/contract/pipeline.ts):
 *
 *   GET  /api/runs                     runs, newest first (?kind= &status= &limit=)
 *   GET  /api/runs/:id                 one run with its loss curve
 *   POST /api/runs                     start a step in a worker process {kind, params}
 *   POST /api/runs/:id/stop            stop after the current step (writes a checkpoint)
 *   POST /api/runs/:id/resume          continue a stopped run from its checkpoint
 *   GET  /api/models                   model families with version counts
 *   GET  /api/models/presets           presets: parameters, memory, FLOPs per token (?vocabSize=)
 *   GET  /api/models/:name/versions    versions of one model, newest first
 *   GET  /api/model-versions/:ref      one version (id, name@N or name)
 *   POST /api/model-versions           register a checkpoint folder {model, checkpoint, description?, parentVersionId?}
 *   POST /api/deploy                   point a public name at a version {name, version}
 *   POST /api/deploy/rollback          back to the previous version {name, to?}
 *   GET  /api/deploy/:name             a deployment and its trail
 */
export function pipelineRoutes(app: FastifyInstance, p: PipelineServices): void {
  route(app, api.listRuns, async (req) => ({ data: await p.runs.list(req.query) }));
  route(app, api.getRun, async (req) => p.runs.get(req.params.id));
  route(app, api.startRun, async (req) => p.manager.start(req.body));
  route(app, api.stopRun, async (req) => p.manager.stop(req.params.id));
  route(app, api.resumeRun, async (req) => p.manager.resume(req.params.id));
  route(app, api.listModels, async () => ({ data: await p.registry.listModels() }));
  route(app, api.presets, async (req) => ({ data: presetTable(null, req.query.vocabSize) }));
  route(app, api.listVersions, async (req) => ({ data: await p.registry.listVersions(req.params.name) }));
  // Route parameters arrive percent-decoded already; a second decode would fail on `%` (a 500).
  route(app, api.getVersion, async (req) => p.registry.version(req.params.ref));
  route(app, api.registerVersion, async (req) => {
    const { model, checkpoint, description, parentVersionId } = req.body;
    return registerCheckpoint(p.registry, {
      modelName: model,
      checkpointDir: checkpoint,
      ...(description === undefined ? {} : { description }),
      ...(parentVersionId === undefined ? {} : { parentVersionId }),
    });
  });
  route(app, api.deploy, async (req) => p.deployer.deploy(req.body));
  route(app, api.rollback, async (req) => p.deployer.rollback(req.body.name, req.body.to));
  route(app, api.viewDeployment, async (req) => p.deployer.view(req.params.name));
}
