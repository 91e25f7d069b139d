import type { FastifyInstance, FastifyRequest } from 'fastify';
import { QudaoError } from '../../errors/index.js';
import { route } from '../../server/http/index.js';
import { v1Routes as api, type OpenAIModel } from '../../shared/contract/v1.js';
import { authenticateCaller } from '../keys/api-key.js';
import type { ServeContext } from '../serve/context.js';
import { messagesFormat, refuseBetaHeader, rewriteErrorPayload, toChatCall } from '../anthropic/messages.js';
import { serveEmbeddings } from '../serve/embeddings.js';
import { serveResponses } from '../serve/responses.js';
import { serveFormatted, serveGeneration } from '../serve/generation.js';
import { mayUse, resolveDeployment } from '../serve/resolve-model.js';
import type { Caller, GatewayDeployment } from '../types.js';
import { providerOf } from '../upstream/provider-registry.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The customer behind a `/v1` request's API key, found by the gateway's key check. */
    caller?: Caller;
  }
}

/** `Authorization: Bearer <token>`, or undefined when absent or malformed. */
export function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header || header.length < 8 || header.slice(0, 7).toLowerCase() !== 'bearer ') return undefined;
  const token = header.slice(7).trim();
  return token && !/\s/.test(token) ? token : undefined;
}

/**
 * The customer key of a `/v1/messages` request: Anthropic's SDKs send it as `x-api-key` (a Bearer token is
 * accepted too, as on every `/v1` route).
 */
function anthropicKeyOf(request: FastifyRequest): string | undefined {
  const key = request.headers['x-api-key'];
  return typeof key === 'string' && key && !/\s/.test(key) ? key : undefined;
}

/** The authenticated caller of a `/v1` request (the key check ran in onRequest). */
function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new QudaoError('QD_INVALID_API_KEY');
  return request.caller;
}

/** The caller's key's request timeout, for the call (absent: the deployments' own apply). */
function keyTimeout(request: FastifyRequest): { timeoutMs?: number } {
  const t = request.caller?.key.timeoutMs;
  return t === null || t === undefined ? {} : { timeoutMs: t };
}

/**
 * The `/v1` endpoints a deployment is served on: an in-process model serves chat, completions, embeddings
 * (its hidden states), responses and messages; an upstream the endpoints its provider has (Anthropic and
 * Gemini have no text completion), embeddings where the provider has them (passed through), and responses
 * and messages wherever it serves chat (both are translated to chat).
 */
export function endpointsOf(d: GatewayDeployment): string[] {
  if (d.kind === 'local') return ['chat.completions', 'completions', 'embeddings', 'messages', 'responses'];
  const provider = providerOf(d);
  const endpoints: string[] = provider.endpoints.map((e) => (e === 'chat' ? 'chat.completions' : e));
  if (provider.endpoints.includes('chat')) endpoints.push('responses', 'messages');
  if (provider.embeddings) endpoints.push('embeddings');
  return endpoints.sort();
}

/** OpenAI's model object for a deployment. */
function modelObject(d: GatewayDeployment): OpenAIModel {
  return { id: d.name, object: 'model', created: Math.floor(d.createdAtMs / 1000), owned_by: d.ownerCustomerId ?? d.ownerPartnerId ?? 'qudao', endpoints: endpointsOf(d) };
}

/**
 * The OpenAI-compatible gateway (contracts in src/shared/contract/v1.ts), authenticated by customer API
 * keys (never admin tokens):
 *
 *   POST /v1/chat/completions   chat, streamed (SSE) or whole
 *   POST /v1/completions        text completion, streamed or whole
 *   POST /v1/responses          the Responses API (stateless), streamed (typed events) or whole
 *   POST /v1/embeddings         embeddings of one or more inputs
 *   POST /v1/messages           Anthropic's Messages format (translated; any deployment serves it)
 *   GET  /v1/models             the models this key may call
 *   GET  /v1/models/:model      one of them (names may contain `/`)
 *
 * The key is checked in this scope's onRequest hook, from the in-memory catalog: Fastify validates the
 * body against the contract only after that (in its validation step), so a request without a valid key is
 * 401 before its body is even read, and a caller without a key learns nothing about the input rules. Only
 * JSON bodies are accepted here: without the text/plain parser, such a body is 415 QD_UNSUPPORTED_MEDIA_TYPE.
 */
export function gatewayRoutes(app: FastifyInstance, ctx: ServeContext): void {
  void app.register(async (v1) => {
    v1.removeContentTypeParser('text/plain');
    v1.addHook('onRequest', async (request) => {
      const messages = request.routeOptions.url === api.messages.url;
      request.caller = authenticateCaller(ctx.catalog, bearerOf(request) ?? (messages ? anthropicKeyOf(request) : undefined), Date.now());
    });
    route(v1, api.chatCompletions, (req, reply) => serveGeneration(ctx, callerOf(req), { endpoint: 'chat', body: req.body, requestId: req.id, ...keyTimeout(req) }, reply));
    route(v1, api.completions, (req, reply) => serveGeneration(ctx, callerOf(req), { endpoint: 'completions', body: req.body, requestId: req.id, ...keyTimeout(req) }, reply));
    route(v1, api.responses, (req, reply) => serveResponses(ctx, callerOf(req), req.body, req.id, req.caller?.key.timeoutMs ?? undefined, reply));
    route(v1, api.embeddings, (req, reply) => serveEmbeddings(ctx, callerOf(req), { endpoint: 'embeddings', body: req.body, requestId: req.id, ...keyTimeout(req) }, reply));
    // Anthropic's format, errors included: every error answer of this route (the key check's, validation's,
    // the handler's) is rewritten into Anthropic's error body, its catalogued code in x-qudao-error-code.
    void v1.register(async (scope) => {
      scope.addHook('onSend', async (_request, reply, payload) => {
        if (reply.statusCode < 400 || typeof payload !== 'string') return payload;
        const rewritten = rewriteErrorPayload(reply.statusCode, payload);
        if (!rewritten) return payload;
        void reply.header('x-qudao-error-code', rewritten.code);
        return rewritten.body;
      });
      route(scope, api.messages, (req, reply) => {
        void reply.header('request-id', req.id);
        refuseBetaHeader(req.headers['anthropic-beta']);
        return serveFormatted(ctx, callerOf(req), { ...toChatCall(req.body, req.id), ...keyTimeout(req) }, reply, messagesFormat);
      });
    });
    route(v1, api.models, async (req) => {
      const caller = callerOf(req);
      return { object: 'list', data: ctx.catalog.deployments().filter((d) => mayUse(caller, d)).map(modelObject) };
    });
    // The router has already percent-decoded the wildcard; decoding again would fail on a name holding `%`.
    route(v1, api.model, async (req) => modelObject(resolveDeployment(ctx.catalog, callerOf(req), req.params['*'])));
  });
}
