import type { FastifyInstance } from 'fastify';
import type { Services } from './services.js';

/** `GET /healthz`: 200 when the store answers, 503 otherwise. No credentials needed (load balancers). */
export function healthRoutes(app: FastifyInstance, services: Services): void {
  app.get('/healthz', async (_request, reply) => {
    const uptimeS = Math.round((Date.now() - services.startedAt.getTime()) / 1000);
    try {
      await services.store.query('SELECT 1');
      const demo = services.demo && services.demo.state !== 'off' ? { demo: services.demo.state } : {};
      return { status: 'ok', version: services.version, store: services.store.kind, uptime_s: uptimeS, ...demo };
    } catch {
      return reply.code(503).send({ status: 'unavailable', version: services.version, store: services.store.kind, uptime_s: uptimeS });
    }
  });
}
