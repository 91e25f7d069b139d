import type { FastifyInstance } from 'fastify';
import { route } from '../../server/http/index.js';
import { gatewayAdminRoutes as api } from '../../shared/contract/gateway.js';
import { guardrailRoutes as guardrailApi } from '../../shared/contract/guardrails.js';
import type { GuardrailService } from '../guardrails/guardrail-service.js';
import type { GatewayCatalog } from '../catalog.js';
import type { DeploymentRow, DeploymentService } from '../deployments/deployment-service.js';
import type { KeyService } from '../keys/key-service.js';
import type { PlanService } from '../plans/plan-service.js';
import type { RequestLogService } from '../request-log/request-log-service.js';
import type { HealthMonitor } from '../upstream/health.js';
import type { UsageService } from '../usage/usage-service.js';

/** The services behind the gateway's admin routes. */
export interface GatewayAdmin {
  readonly keys: KeyService;
  readonly plans: PlanService;
  readonly deployments: DeploymentService;
  readonly guardrails: GuardrailService;
  readonly usage: UsageService;
  readonly requestLogs: RequestLogService;
  readonly catalog: GatewayCatalog;
  readonly health: HealthMonitor;
}

/**
 * A deployment with its last health check: `health` is `healthy`, `unhealthy` or `unknown` (archived,
 * never checked yet, or health checks off).
 */
function withHealth(admin: GatewayAdmin, row: DeploymentRow) {
  const cached = row.status === 'active' ? admin.catalog.deploymentById(row.id) : undefined;
  const h = cached ? admin.health.of(cached) : { state: 'unknown' as const, checkedAtMs: null, error: null };
  const requestLog = { enabled: row.requestLogEnabled, retentionDays: row.requestLogRetentionDays };
  return { ...row, requestLog, health: h.state, healthCheckedAt: h.checkedAtMs === null ? null : new Date(h.checkedAtMs), healthError: h.error };
}

/**
 * The gateway's admin API (contracts in src/shared/contract/gateway.ts; admin token only, customer keys
 * are refused by `/api` auth): keys, price plans, deployments with their health, and the usage ledger.
 */
export function gatewayAdminRoutes(app: FastifyInstance, admin: GatewayAdmin): void {
  route(app, api.createKey, async (req) => {
    const { expiresAt, ...input } = req.body;
    return admin.keys.createKey({ ...input, expiresAt: expiresAt ? new Date(expiresAt) : undefined });
  });
  route(app, api.listKeys, async (req) => ({ data: await admin.keys.listKeys(req.query) }));
  route(app, api.getKey, async (req) => admin.keys.getKey(req.params.id));
  route(app, api.revokeKey, async (req) => admin.keys.revokeKey(req.params.id));

  route(app, api.createPlan, async (req) => admin.plans.createPlan(req.body));
  route(app, api.listPlans, async () => ({ data: await admin.plans.listPlans() }));
  route(app, api.getPlan, async (req) => admin.plans.getPlan(req.params.id));
  route(app, api.updatePlan, async (req) => admin.plans.updatePlan(req.params.id, req.body));

  route(app, api.createDeployment, async (req) => withHealth(admin, await admin.deployments.createDeployment(req.body)));
  route(app, api.listDeployments, async () => ({ data: (await admin.deployments.listDeployments()).map((d) => withHealth(admin, d)) }));
  route(app, api.getDeployment, async (req) => withHealth(admin, await admin.deployments.getDeployment(req.params.id)));
  route(app, api.updateDeployment, async (req) => withHealth(admin, await admin.deployments.updateDeployment(req.params.id, req.body)));

  route(app, api.listRequestLogs, async (req) => {
    const deployment = await admin.deployments.getDeployment(req.params.id);
    return admin.requestLogs.list(deployment.id, req.query);
  });
  route(app, api.deleteRequestLogs, async (req) => {
    const deployment = await admin.deployments.getDeployment(req.params.id);
    return { deleted: await admin.requestLogs.deleteAll(deployment.id) };
  });
  route(app, guardrailApi.listGuardrails, async (req) => ({ data: await admin.guardrails.list(req.params.id) }));
  route(app, guardrailApi.createGuardrail, async (req) => admin.guardrails.create(req.params.id, req.body));
  route(app, guardrailApi.updateGuardrail, async (req) => admin.guardrails.update(req.params.id, req.params.guardrailId, req.body));
  route(app, guardrailApi.deleteGuardrail, async (req) => admin.guardrails.remove(req.params.id, req.params.guardrailId));
  route(app, guardrailApi.guardrailStats, async (req) => {
    const { from, to } = req.query;
    return admin.guardrails.stats(req.params.id, { from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined });
  });

  route(app, api.usage, async (req) => {
    const { from, to, ...filter } = req.query;
    const { rows, totals } = await admin.usage.listUsage({ ...filter, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined });
    return { data: rows, totals };
  });
}
