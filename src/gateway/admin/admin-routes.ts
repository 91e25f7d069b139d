import type { FastifyInstance } from 'fastify';
import { requireAdminCaller as requireAdmin } from './request.js';
import type { DeploymentInput, DeploymentRow, DeploymentService } from '../deployments/deployment-service.js';
import type { GatewayCatalog } from '../catalog.js';
import type { HealthMonitor } from '../upstream/health.js';
import type { KeyService } from '../keys/key-service.js';
import { parseRequestBody } from '../openai/schemas.js';
import type { PlanInput, PlanService } from '../plans/plan-service.js';
import type { UsageService } from '../usage/usage-service.js';
import { createDeploymentSchema, createKeySchema, createPlanSchema, updateDeploymentSchema, updatePlanSchema, usageQuerySchema } from './schemas.js';
import { fromWire, toWire } from './wire.js';

/** The services behind the gateway's admin routes. */
export interface GatewayAdmin {
  readonly keys: KeyService;
  readonly plans: PlanService;
  readonly deployments: DeploymentService;
  readonly usage: UsageService;
  readonly catalog: GatewayCatalog;
  readonly health: HealthMonitor;
}

/**
 * A deployment on the wire with its last health check: `health` is `healthy`, `unhealthy` or `unknown`
 * (archived, never checked yet, or health checks off).
 */
function deploymentWire(admin: GatewayAdmin, row: DeploymentRow): Record<string, unknown> {
  const cached = row.status === 'active' ? admin.catalog.deploymentById(row.id) : undefined;
  const h = cached ? admin.health.of(cached) : { state: 'unknown', checkedAtMs: null, error: null };
  return { ...toWire(row), health: h.state, health_checked_at: h.checkedAtMs === null ? null : new Date(h.checkedAtMs).toISOString(), health_error: h.error };
}

/**
 * Admin API of the gateway (admin bearer token; customer keys are refused by `/api` auth):
 *
 *   POST /api/keys                     create a key (the secret is in the answer, once)
 *   GET  /api/keys[?customer_id=]      list keys (prefix only)
 *   GET  /api/keys/:id                 one key (id or prefix)
 *   POST /api/keys/:id/revoke          revoke a key
 *   POST /api/plans  GET /api/plans  GET|PATCH /api/plans/:id
 *   POST /api/deployments  GET /api/deployments  GET|PATCH /api/deployments/:id   (each with its health)
 *   GET  /api/usage?customer_id&key_id&partner_id&channel_id&model&from&to&limit   ledger rows and totals
 */
export function gatewayAdminRoutes(app: FastifyInstance, admin: GatewayAdmin): void {
  app.post('/api/keys', async (request, reply) => {
    requireAdmin(request);
    const body = parseRequestBody(createKeySchema, request.body);
    const created = await admin.keys.createKey({ ...fromWire(body), expiresAt: body.expires_at ? new Date(body.expires_at) : undefined });
    return reply.code(201).send(toWire(created));
  });
  app.get('/api/keys', async (request) => {
    requireAdmin(request);
    const customerId = (request.query as { customer_id?: string }).customer_id;
    return { data: (await admin.keys.listKeys({ customerId })).map(toWire) };
  });
  app.get('/api/keys/:id', async (request) => {
    requireAdmin(request);
    return toWire(await admin.keys.getKey((request.params as { id: string }).id));
  });
  app.post('/api/keys/:id/revoke', async (request) => {
    requireAdmin(request);
    return toWire(await admin.keys.revokeKey((request.params as { id: string }).id));
  });

  app.post('/api/plans', async (request, reply) => {
    requireAdmin(request);
    const input = fromWire<PlanInput>(parseRequestBody(createPlanSchema, request.body));
    return reply.code(201).send(toWire(await admin.plans.createPlan(input)));
  });
  app.get('/api/plans', async (request) => {
    requireAdmin(request);
    return { data: (await admin.plans.listPlans()).map(toWire) };
  });
  app.get('/api/plans/:id', async (request) => {
    requireAdmin(request);
    return toWire(await admin.plans.getPlan((request.params as { id: string }).id));
  });
  app.patch('/api/plans/:id', async (request) => {
    requireAdmin(request);
    const patch = fromWire<Partial<PlanInput>>(parseRequestBody(updatePlanSchema, request.body));
    return toWire(await admin.plans.updatePlan((request.params as { id: string }).id, patch));
  });

  app.post('/api/deployments', async (request, reply) => {
    requireAdmin(request);
    const input = fromWire<DeploymentInput>(parseRequestBody(createDeploymentSchema, request.body));
    return reply.code(201).send(deploymentWire(admin, await admin.deployments.createDeployment(input)));
  });
  app.get('/api/deployments', async (request) => {
    requireAdmin(request);
    return { data: (await admin.deployments.listDeployments()).map((d) => deploymentWire(admin, d)) };
  });
  app.get('/api/deployments/:id', async (request) => {
    requireAdmin(request);
    return deploymentWire(admin, await admin.deployments.getDeployment((request.params as { id: string }).id));
  });
  app.patch('/api/deployments/:id', async (request) => {
    requireAdmin(request);
    const patch = fromWire<Partial<DeploymentInput>>(parseRequestBody(updateDeploymentSchema, request.body));
    return deploymentWire(admin, await admin.deployments.updateDeployment((request.params as { id: string }).id, patch));
  });

  app.get('/api/usage', async (request) => {
    requireAdmin(request);
    const q = parseRequestBody(usageQuerySchema, request.query ?? {});
    const { rows, totals } = await admin.usage.listUsage({ ...fromWire<Record<string, string>>(q), from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined, limit: q.limit ?? 100 });
    return { data: rows.map(toWire), totals: toWire(totals) };
  });
}
