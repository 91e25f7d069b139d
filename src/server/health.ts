import type { FastifyInstance } from 'fastify';
import type { Services } from './services.js';

/** One dependency's answer to a health probe. */
export interface DependencyCheck {
  readonly status: 'ok' | 'down';
  /** How long the probe took, ms (at most about its timeout when the dependency hangs). */
  readonly latency_ms: number;
}

/** The store's probe may take longer than Redis's; it is bounded so a hung database cannot hang `/healthz`. */
const STORE_PROBE_TIMEOUT_MS = 2_000;

/** Runs a probe, failing it after `timeoutMs` whatever the dependency does. */
export async function probe(check: () => Promise<unknown>, timeoutMs: number): Promise<DependencyCheck> {
  const startedAt = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([check(), timeout]);
    return { status: 'ok', latency_ms: Math.round(performance.now() - startedAt) };
  } catch {
    // no error text: this answer is public, and a driver's message can name internal hosts
    return { status: 'down', latency_ms: Math.round(performance.now() - startedAt) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `GET /healthz`: 200 when every dependency answers (the store, and Redis when the gateway counts there),
 * 503 otherwise, with each one's status and latency under `checks`. Probes run in parallel and each is
 * bounded, so a hung dependency makes the answer 503, not slow. No credentials needed (load balancers).
 */
export function healthRoutes(app: FastifyInstance, services: Services): void {
  app.get('/healthz', async (_request, reply) => {
    const uptimeS = Math.round((Date.now() - services.startedAt.getTime()) / 1000);
    const limiter = services.gateway?.limiter;
    const [store, redis] = await Promise.all([
      probe(() => services.store.query('SELECT 1'), STORE_PROBE_TIMEOUT_MS),
      limiter?.kind === 'redis' ? probe(() => limiter.ping(), services.config.redisTimeoutMs) : undefined,
    ]);
    const checks = redis ? { store, redis } : { store };
    const healthy = Object.values(checks).every((c) => c.status === 'ok');
    const demo = healthy && services.demo && services.demo.state !== 'off' ? { demo: services.demo.state } : {};
    const body = { status: healthy ? 'ok' : 'unavailable', version: services.version, store: services.store.kind, uptime_s: uptimeS, ...demo, checks };
    return healthy ? body : reply.code(503).send(body);
  });
}
