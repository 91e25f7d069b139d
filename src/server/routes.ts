import type { FastifyInstance } from 'fastify';
import { gatewayAdminRoutes, gatewayRoutes } from '../gateway/index.js';
import { requireAdmin } from './admin-auth.js';
import { healthRoutes } from './health.js';
import type { Services } from './services.js';

/**
 * The route table. Each feature registers its routes from its own module; this file only lists them, so
 * the whole surface of the server reads in one screen.
 *
 *   GET  /healthz                 liveness + store check (public)
 *   GET  /metrics                 Prometheus metrics (public; see metrics.ts)
 *   GET  /api/whoami              the caller's principal (admin or partner)
 *   GET  /api/system              versions, store kind, uptime (admin)
 *   POST /v1/chat/completions, POST /v1/completions, GET /v1/models   the gateway (customer API keys; gateway/routes)
 *   /api/keys, /api/plans, /api/deployments   keys, price plans, deployments (admin; gateway/admin)
 */
export async function registerRoutes(app: FastifyInstance, services: Services): Promise<void> {
  healthRoutes(app, services);
  if (services.gateway) gatewayRoutes(app, services.gateway);
  if (services.gateway) gatewayAdminRoutes(app, services.gateway);
  app.get('/api/whoami', async (request) => ({ principal: request.principal }));
  app.get('/api/system', async (request) => {
    requireAdmin(request);
    return {
      version: services.version,
      store: services.store.kind,
      redis: services.config.redisUrl ? 'configured' : 'in-process counters',
      started_at: services.startedAt.toISOString(),
      node: process.version,
    };
  });
}
