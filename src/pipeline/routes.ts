import type { FastifyInstance, FastifyRequest } from 'fastify';
import { QudaoError } from '../errors/index.js';
import { presetTable } from './presets.js';
import { registerCheckpoint } from './registry/index.js';
import { RUN_KINDS, type RunKind, type RunStatus } from './runs/index.js';
import type { PipelineServices } from './services.js';

/**
 * The model pipeline's `/api` routes (admin only):
 *
 *   GET  /api/runs                     runs, newest first (?kind= &status= &limit=)
 *   GET  /api/runs/:id                 one run with its loss curve
 *   POST /api/runs                     start a step in a worker process {kind, params}
 *   POST /api/runs/:id/stop            stop after the current step (writes a checkpoint)
 *   POST /api/runs/:id/resume          continue a stopped run from its checkpoint
 *   GET  /api/models                   model families with version counts
 *   GET  /api/models/presets           presets: parameters, memory, FLOPs per token
 *   GET  /api/models/:name/versions    versions of one model, newest first
 *   GET  /api/model-versions/:ref      one version (id, name@N or name)
 *   POST /api/model-versions           register a checkpoint folder {model, checkpoint, description?}
 *   POST /api/deploy                   point a public name at a version {name, version}
 *   POST /api/deploy/rollback          back to the previous version {name, to?}
 *   GET  /api/deploy/:name             a deployment and its trail
 */
export function pipelineRoutes(app: FastifyInstance, p: PipelineServices): void {
  app.get('/api/runs', async (request) => {
    adminOnly(request);
    const q = request.query as Record<string, string | undefined>;
    const kind = q.kind === undefined ? undefined : oneOf('kind', q.kind, RUN_KINDS);
    const status = q.status === undefined ? undefined : oneOf('status', q.status, ['queued', 'running', 'stopped', 'completed', 'failed'] as const);
    const limit = q.limit === undefined ? 100 : Math.min(1000, Math.max(1, Number(q.limit) || 100));
    return { data: await p.runs.list({ ...(kind ? { kind } : {}), ...(status ? { status: status as RunStatus } : {}), limit }) };
  });
  app.get('/api/runs/:id', async (request) => {
    adminOnly(request);
    return p.runs.get((request.params as { id: string }).id);
  });
  app.post('/api/runs', async (request, reply) => {
    adminOnly(request);
    const body = objectBody(request);
    const kind = oneOf('kind', body.kind, RUN_KINDS) as RunKind;
    const params = body.params;
    if (!params || typeof params !== 'object' || Array.isArray(params)) throw new QudaoError('QD_INVALID_REQUEST', 'params must be an object of the step\'s options', { param: 'params' });
    return reply.code(202).send(await p.manager.start(kind, params as Record<string, unknown>));
  });
  app.post('/api/runs/:id/stop', async (request) => {
    adminOnly(request);
    return p.manager.stop((request.params as { id: string }).id);
  });
  app.post('/api/runs/:id/resume', async (request, reply) => {
    adminOnly(request);
    return reply.code(202).send(await p.manager.resume((request.params as { id: string }).id));
  });
  app.get('/api/models', async (request) => {
    adminOnly(request);
    return { data: await p.registry.listModels() };
  });
  app.get('/api/models/presets', async (request) => {
    adminOnly(request);
    const vocab = (request.query as { vocab_size?: string }).vocab_size;
    return { data: presetTable(null, vocab === undefined ? undefined : positiveInt('vocab_size', vocab)) };
  });
  app.get('/api/models/:name/versions', async (request) => {
    adminOnly(request);
    return { data: await p.registry.listVersions((request.params as { name: string }).name) };
  });
  app.get('/api/model-versions/:ref', async (request) => {
    adminOnly(request);
    // Route parameters arrive percent-decoded already; a second decode would fail on `%` (a 500).
    return p.registry.version((request.params as { ref: string }).ref);
  });
  app.post('/api/model-versions', async (request, reply) => {
    adminOnly(request);
    const body = objectBody(request);
    const version = await registerCheckpoint(p.registry, {
      modelName: text('model', body.model),
      checkpointDir: text('checkpoint', body.checkpoint),
      ...(body.description === undefined ? {} : { description: text('description', body.description) }),
      ...(body.parent_version_id === undefined ? {} : { parentVersionId: text('parent_version_id', body.parent_version_id) }),
    });
    return reply.code(201).send(version);
  });
  app.post('/api/deploy', async (request) => {
    adminOnly(request);
    const body = objectBody(request);
    return p.deployer.deploy({ name: text('name', body.name), version: text('version', body.version) });
  });
  app.post('/api/deploy/rollback', async (request) => {
    adminOnly(request);
    const body = objectBody(request);
    return p.deployer.rollback(text('name', body.name), body.to === undefined ? undefined : text('to', body.to));
  });
  app.get('/api/deploy/:name', async (request) => {
    adminOnly(request);
    return p.deployer.view((request.params as { name: string }).name);
  });
}

function adminOnly(request: FastifyRequest): void {
  if (request.principal?.kind !== 'admin') throw new QudaoError('QD_FORBIDDEN', 'the model pipeline is for administrators');
}

function objectBody(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new QudaoError('QD_INVALID_REQUEST', 'send a JSON object');
  return body as Record<string, unknown>;
}

function text(param: string, v: unknown): string {
  if (typeof v !== 'string' || v === '') throw new QudaoError('QD_INVALID_REQUEST', `${param} must be a non-empty string`, { param });
  return v;
}

function oneOf<T extends string>(param: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !allowed.includes(v as T)) throw new QudaoError('QD_INVALID_REQUEST', `${param} must be one of ${allowed.join(', ')}`, { param });
  return v as T;
}

function positiveInt(param: string, v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 2) throw new QudaoError('QD_INVALID_REQUEST', `${param} must be an integer ≥ 2`, { param });
  return n;
}
