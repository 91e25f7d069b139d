import type { FastifyInstance } from 'fastify';
import { bearerOf as bearerToken } from '../admin/request.js';
import { authenticateCaller } from '../keys/api-key.js';
import type { ServeContext } from '../serve/context.js';
import { serveGeneration } from '../serve/generation.js';
import { mayUse, resolveDeployment } from '../serve/resolve-model.js';
import type { GatewayDeployment } from '../types.js';

/** OpenAI's model object for a deployment. */
function modelObject(d: GatewayDeployment): { id: string; object: 'model'; created: number; owned_by: string } {
  return { id: d.name, object: 'model', created: Math.floor(d.createdAtMs / 1000), owned_by: d.ownerPartnerId ?? 'qudao' };
}

/**
 * The OpenAI-compatible gateway, authenticated by customer API keys (never admin tokens):
 *
 *   POST /v1/chat/completions   chat, streamed (SSE) or whole
 *   POST /v1/completions        text completion, streamed or whole
 *   GET  /v1/models             the models this key may call
 *   GET  /v1/models/:model      one of them (names may contain `/`)
 */
export function gatewayRoutes(app: FastifyInstance, ctx: ServeContext): void {
  app.post('/v1/chat/completions', (request, reply) => serveGeneration(ctx, request, reply, 'chat'));
  app.post('/v1/completions', (request, reply) => serveGeneration(ctx, request, reply, 'completions'));
  app.get('/v1/models', async (request) => {
    const caller = authenticateCaller(ctx.catalog, bearerToken(request), Date.now());
    return { object: 'list', data: ctx.catalog.deployments().filter((d) => mayUse(caller, d)).map(modelObject) };
  });
  app.get('/v1/models/*', async (request) => {
    const caller = authenticateCaller(ctx.catalog, bearerToken(request), Date.now());
    // The router has already percent-decoded the wildcard; decoding again would fail on a name holding `%`.
    return modelObject(resolveDeployment(ctx.catalog, caller, (request.params as { '*': string })['*']));
  });
}
