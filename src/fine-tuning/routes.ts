import type { FastifyInstance, FastifyRequest } from 'fastify';
import { QudaoError } from '../errors/index.js';
import { authenticateCaller, bearerOf, type Caller, type GatewayCatalog } from '../gateway/index.js';
import { route } from '../server/http/index.js';
import { fineTuningAdminRoutes, fineTuningRoutes as api, type FineTuningJobStatus } from '../shared/contract/fine-tuning.js';
import type { FineTuningFiles } from './file-service.js';
import { ownerOf, type FineTuningJobs } from './job-service.js';
import { boundaryOf, fileUploadOf, parseMultipart } from './multipart.js';
import { checkpointObject, eventObject, fileObject, jobObject } from './views.js';

/** What the fine-tuning routes need. */
export interface FineTuningRouteServices {
  /** The gateway's cache, which authenticates the customer keys. */
  readonly catalog: GatewayCatalog;
  readonly files: FineTuningFiles;
  readonly jobs: FineTuningJobs;
  /** Largest file `POST /v1/files` takes (setting `fineTuningFileMaxBytes`). */
  readonly maxFileBytes: number;
}

/** Room for the form's boundaries, headers and purpose field around the file itself. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new QudaoError('QD_INVALID_API_KEY');
  return request.caller;
}

/**
 * OpenAI's fine-tuning API (contracts in src/shared/contract/fine-tuning.ts), authenticated by customer API
 * keys like the rest of `/v1` (checked in onRequest, before a body is read):
 *
 *   POST   /v1/files                               upload chat fine-tuning JSONL (multipart: file, purpose)
 *   GET    /v1/files, /v1/files/:id                the key's customer's files
 *   DELETE /v1/files/:id                           delete one
 *   POST   /v1/fine_tuning/jobs                    create a job on an in-process model
 *   GET    /v1/fine_tuning/jobs, …/jobs/:id        list (after, limit) and retrieve
 *   POST   /v1/fine_tuning/jobs/:id/cancel         cancel
 *   GET    /v1/fine_tuning/jobs/:id/events         status changes and training steps
 *   GET    /v1/fine_tuning/jobs/:id/checkpoints    the served checkpoints
 *   GET    /api/fine-tuning/jobs                   every customer's jobs (admin)
 *
 * Uploads are `multipart/form-data`, parsed here with their own size limit (the setting, not the JSON body
 * limit): a larger body is 413 QD_BODY_TOO_LARGE before it is read whole.
 */
export function fineTuningRouteHandlers(app: FastifyInstance, s: FineTuningRouteServices): void {
  // The admin view: every customer's jobs (GET /api/fine-tuning/jobs; `qudao fine-tuning jobs list`).
  route(app, fineTuningAdminRoutes.listJobs, async (req) => ({
    data: (await s.jobs.listAll(req.query)).map((j) => ({
      id: j.id, customerId: j.customerId, customerName: j.customerName, baseModel: j.baseModel, status: j.status as FineTuningJobStatus, fineTunedModel: j.fineTunedModel,
      trainedTokens: j.trainedTokens, runId: j.runId, error: j.error ? `${j.error.code}: ${j.error.message}` : null, createdAt: j.createdAt, finishedAt: j.finishedAt,
    })),
  }));
  void app.register(async (v1) => {
    v1.removeContentTypeParser('text/plain');
    v1.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: s.maxFileBytes + FORM_OVERHEAD_BYTES }, (request, body, done) => {
      try {
        done(null, fileUploadOf(parseMultipart(body as Buffer, boundaryOf(request.headers['content-type'] ?? '')), s.maxFileBytes));
      } catch (err) {
        done(err as Error, undefined);
      }
    });
    v1.addHook('onRequest', async (request) => {
      request.caller = authenticateCaller(s.catalog, bearerOf(request), Date.now());
    });
    const owner = (req: FastifyRequest) => ownerOf(callerOf(req));
    route(v1, api.createFile, async (req) => fileObject(await s.files.create(owner(req), { purpose: req.body.purpose, filename: req.body.file.filename, text: req.body.file.text })));
    route(v1, api.listFiles, async (req) => ({ object: 'list' as const, data: (await s.files.list(owner(req))).map(fileObject), has_more: false }));
    route(v1, api.getFile, async (req) => fileObject(await s.files.get(owner(req), req.params.id)));
    route(v1, api.deleteFile, async (req) => {
      await s.files.delete(owner(req), req.params.id);
      return { id: req.params.id, object: 'file' as const, deleted: true as const };
    });
    route(v1, api.createJob, async (req) => jobObject(await s.jobs.create(callerOf(req), req.body)));
    route(v1, api.listJobs, async (req) => {
      const page = await s.jobs.list(owner(req), req.query);
      return { object: 'list' as const, data: page.rows.map(jobObject), has_more: page.hasMore };
    });
    route(v1, api.getJob, async (req) => jobObject(await s.jobs.get(owner(req), req.params.id)));
    route(v1, api.cancelJob, async (req) => jobObject(await s.jobs.cancel(owner(req), req.params.id)));
    route(v1, api.listEvents, async (req) => {
      const page = await s.jobs.listEvents(owner(req), req.params.id, req.query);
      return { object: 'list' as const, data: page.rows.map(eventObject), has_more: page.hasMore };
    });
    route(v1, api.listCheckpoints, async (req) => {
      const page = await s.jobs.listCheckpoints(owner(req), req.params.id, req.query);
      const data = page.rows.map(checkpointObject);
      return { object: 'list' as const, data, has_more: page.hasMore, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
    });
  });
}
