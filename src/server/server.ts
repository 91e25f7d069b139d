import Fastify, { type FastifyInstance } from 'fastify';
import { newId } from '../store/index.js';
import { installApiAuth, type PrincipalResolver } from './admin-auth.js';
import { answerClientError, answerFrameworkError, installErrorHandling } from './errors.js';
import { installMetrics } from './metrics.js';
import { registerRoutes } from './routes.js';
import type { Services } from './services.js';
import { installStaticFiles } from './static-files.js';

/** A registered route, for the authorisation tests that walk every route. */
export interface RouteEntry {
  method: string;
  url: string;
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
  /** Extra principal resolvers for `/api` (partner sessions). */
  principalResolvers?: PrincipalResolver[];
  /** `/api` paths reachable without credentials (e.g. partner login). */
  publicApiPaths?: string[];
}

/**
 * Builds the one HTTP server: gateway (`/v1`), admin and partner API (`/api`), dashboard, `/healthz`,
 * `/metrics`. It does not listen; the caller does, so tests can use `inject()`.
 */
export async function buildServer(services: Services, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: services.config.logLevel },
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
  const routeList: RouteEntry[] = [];
  app.decorate('routeList', routeList);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routeList.push({ method, url: route.url });
  });
  installErrorHandling(app);
  installMetrics(app, services.metrics);
  installApiAuth(app, services.adminTokens, options.principalResolvers, options.publicApiPaths);
  await registerRoutes(app, services);
  if (options.webRoot) installStaticFiles(app, options.webRoot);
  return app;
}
