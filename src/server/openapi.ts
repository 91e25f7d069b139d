import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { createJsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { QudaoError, toOpenAIErrorBody } from '../errors/index.js';
import { rolesFor } from '../shared/contract/access.js';
import type { RouteContract } from '../shared/contract/route.js';
import { z } from 'zod';

/** Where the OpenAPI document and its interactive reference are served (public: they hold no data). */
export const OPENAPI_PATH = '/api/openapi.json';
export const API_DOCS_PATH = '/api/docs';

/** True for the routes of the API reference itself (public, and not part of the document). */
export function isApiReferenceRoute(pattern: string): boolean {
  return pattern === OPENAPI_PATH || pattern === API_DOCS_PATH || pattern.startsWith(`${API_DOCS_PATH}/`);
}

/**
 * The OpenAPI 3.1 document of `/api` and `/v1`, generated from the routes' zod schemas
 * (src/shared/contract) when the server is ready, at {@link OPENAPI_PATH}; a Swagger UI reference at
 * {@link API_DOCS_PATH} (its files come from the npm package; nothing is fetched from elsewhere). Both are
 * public, like most API references: they describe the API and hold no workspace data. Routes outside
 * `/api` and `/v1` (the dashboard, `/healthz`, `/metrics`, `/r/:code`) are not in the document.
 *
 * Registered before any route, so @fastify/swagger sees every route as it is added.
 */
export async function installOpenApi(app: FastifyInstance, version: string): Promise<void> {
  const fromZod = createJsonSchemaTransform({});
  // The contracts by `METHOD /path/{param}` (the document's spelling), so each operation can show its roles.
  const contracts = new Map<string, RouteContract>();
  app.addHook('onRoute', (route) => {
    const contract = route.config?.contract;
    if (contract) contracts.set(`${contract.method} ${contract.url.replace(/:([A-Za-z_]\w*)/g, '{$1}')}`, contract);
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Qudao API',
        version,
        description:
          'The admin and partner API (`/api`, camelCase JSON, money in integer micro-units) and the OpenAI-compatible gateway (`/v1`, OpenAI\'s wire format). ' +
          '`/api` takes `Authorization: Bearer <admin token>` or a partner portal session; `/v1` takes a customer API key. Every error answer is `{ error: { message, type, param, code } }` with a stable code.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An admin token or partner session on /api; a customer API key (qd_…) on /v1.' },
        },
      },
      security: [{ bearer: [] }],
    },
    transform: (input) => {
      if (!input.url.startsWith('/api/') && !input.url.startsWith('/v1/')) return { schema: { ...input.schema, hide: true }, url: input.url };
      if (isApiReferenceRoute(input.url)) return { schema: { ...input.schema, hide: true }, url: input.url };
      return fromZod(input);
    },
    transformObject: (input) => withRoles(jsonSchemaTransformObject(input), contracts),
  });
  await app.register(async (scope) => {
    // The reference's static files: a path no file answers (absent, too long for the file system, or outside
    // the folder, which @fastify/static calls forbidden) is a 404 in our shape, not the file system's error.
    scope.setErrorHandler((_err, _request, reply) => {
      const qe = new QudaoError('QD_NOT_FOUND', 'no such file in the API reference');
      return reply.code(404).send(toOpenAIErrorBody(qe));
    });
    await scope.register(swaggerUi, { routePrefix: API_DOCS_PATH, uiConfig: { docExpansion: 'none', deepLinking: true }, staticCSP: true });
  });
  app.get(OPENAPI_PATH, { schema: { hide: true } }, async () => app.swagger());
}

/**
 * Declares a route's own error body (RouteContract.errorBody) for its 4XX and 5XX answers in the document.
 * Only the document: the server still writes OpenAI's shape and the route rewrites it as it is sent, so the
 * serialiser keeps OpenAI's schema.
 */
function declareErrorBody(operation: Record<string, unknown>, schema: z.ZodType): void {
  const responses = operation.responses as Record<string, { content?: Record<string, { schema: unknown }> }> | undefined;
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any' });
  delete (json as { $schema?: unknown }).$schema;
  for (const status of ['4XX', '5XX']) {
    const content = responses?.[status]?.content;
    if (content?.['application/json']) content['application/json'] = { schema: json };
  }
}

/**
 * Adds `x-qudao-roles` (the roles of the permission table, src/shared/contract/access.ts) to every admin
 * and signed-in operation of the document; route() already put the same list in its description.
 */
function withRoles<T>(document: T, contracts: ReadonlyMap<string, RouteContract>): T {
  const paths = (document as { paths?: Record<string, Record<string, Record<string, unknown>>> }).paths ?? {};
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const contract = contracts.get(`${method.toUpperCase()} ${path}`);
      if (contract && (contract.access === 'admin' || contract.access === 'signed-in')) operation['x-qudao-roles'] = [...rolesFor(contract)];
      if (contract?.errorBody) declareErrorBody(operation, contract.errorBody);
    }
  }
  return document;
}
