import Fastify, { type FastifyInstance } from 'fastify';
import { newId } from '../store/index.js';
import { installApiAuth, type PrincipalResolver } from './admin-auth.js';
import type { RouteContract } from '../shared/contract/route.js';
import type { RouteAccess } from './route-access.js';
import { createMutationAudit } from './audit/index.js';
import { answerClientError, answerFrameworkError, installErrorHandling } from './errors.js';
import { installZodCompilers } from './http/index.js';
import { installMetrics } from './metrics.js';
import { installOpenApi, isApiReferenceRoute } from './openapi.js';
import { registerRoutes } from './routes.js';
import { adminSessionResolver } from './team-routes.js';
import type { Services } from './services.js';
import { installStaticFiles } from './static-files.js';

/** A registered route, for the authorisation tests that walk every route. */
export interface RouteEntry {
  method: string;
  url: string;
  /** Who may call it (route-access.ts). */
  access: RouteAccess;
  /** The contract it was registered from (src/shared/contract); every `/api` and `/v1` route has one. */
  contract?: RouteContract;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered on this server. */
    routeList: RouteEntry[];
  }
}

/** Options of {@link buildServer}. */
export interface ServerOptions {
  /** Folder of the built dashboard; served at `/` when it holds index.html. */
  webRoot?: string;
  /** Extra principal resolvers for `/api` (partner sessions; admin sessions come with `services.team`). */
  principalResolvers?: PrincipalResolver[];
  /** Destination of the log lines (default stdout); tests capture them to prove no request text is logged. */
  logStream?: { write(line: string): void } | undefined;
}

/**
 * Builds the one HTTP server: gateway (`/v1`), admin and partner API (`/api`), dashboard, `/healthz`,
 * `/metrics`. It does not listen; the caller does, so tests can use `inject()`.
 */
export async function buildServer(services: Services, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: services.config.logLevel, ...(options.logStream ? { stream: options.logStream } : {}) },
    bodyLimit: services.config.bodyLimitBytes,
    genReqId: () => newId('req'),
    requestIdHeader: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    // Errors raised before routing (bad percent-encoding, over-long path segments) and HTTP framing errors
    // get the same OpenAI error shape and catalogued codes as everything else (server/errors.ts).
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
  });
  installErrorHandling(app);
  installZodCompilers(app);
  installApiAuth(app, services.adminTokens, [...(services.team ? [adminSessionResolver(services.team)] : []), ...(options.principalResolvers ?? [])]);
  const routeList: RouteEntry[] = [];
  app.decorate('routeList', routeList);
  app.addHook('onRoute', (route) => {
    // Every `/api` and `/v1` route is registered from its contract (src/shared/contract, server/http route()),
    // so it is validated, serialised and in the OpenAPI document; one registered another way fails here.
    const apiPath = route.url.startsWith('/api/') || route.url.startsWith('/v1/');
    if (apiPath && !isApiReferenceRoute(route.url) && !route.config?.contract) {
      throw new Error(`${String(route.method)} ${route.url} has no contract: declare it in src/shared/contract and register it with route() (src/server/http)`);
    }
    for (const method of [route.method].flat()) if (method !== 'HEAD') routeList.push({ method, url: route.url, access: route.config?.access ?? 'public', contract: route.config?.contract });
  });
  // Every mutating /api route appends its audit row in the transaction of its change (server/audit).
  app.decorate('mutationAudit', createMutationAudit(app, services.store));
  installMetrics(app, services.metrics);
  await installOpenApi(app, services.version);
  await registerRoutes(app, services);
  if (options.webRoot) installStaticFiles(app, options.webRoot);
  return app;
}
