import type { FastifyInstance } from 'fastify';
import { analyticsRoutes } from '../analytics/index.js';
import { billingRouteHandlers, creditRoutes } from '../billing/index.js';
import { channelRoutes } from '../channels/index.js';
import { customerRoutes } from '../customers/index.js';
import { fineTuningRouteHandlers } from '../fine-tuning/index.js';
import { gatewayAdminRoutes, gatewayRoutes } from '../gateway/index.js';
import { agreementRoutes, partnerRoutes, portalRoutes, statementRoutes, tierRoutes } from '../partners/index.js';
import { pipelineRoutes } from '../pipeline/index.js';
import { strategyRoutes } from '../strategy/index.js';
import { route } from './http/index.js';
import { systemRoutes } from '../shared/contract/system.js';
import { auditRoutes } from './audit/index.js';
import { healthRoutes } from './health.js';
import { teamRouteHandlers } from './team-routes.js';
import type { Services } from './services.js';

/**
 * The route table. Each feature registers its routes from its own module; this file only lists them, so
 * the whole surface of the server reads in one screen.
 *
 *   GET  /healthz                 liveness + store check (public)
 *   GET  /metrics                 Prometheus metrics (public; see metrics.ts)
 *   GET  /api/whoami              the caller's principal (admin or partner)
 *   GET  /api/system              versions, store kind, uptime (admin)
 *   /api/auth/login|logout|me|password, /api/users, /api/tokens   admin users, roles, sessions, API tokens (team-routes.ts)
 *   GET  /api/audit, /api/audit/verify   the audit trail of every /api mutation and its hash-chain check (admin; server/audit)
 *   /api/analytics/overview|coverage|stickiness|cost|brand|usage, POST /api/analytics/refresh   channel-advantage KPIs, daily usage (admin; analytics/routes)
 *   POST /v1/chat/completions, POST /v1/completions, GET /v1/models   the gateway (customer API keys; gateway/routes)
 *   /v1/files, /v1/fine_tuning/jobs[/:id[/cancel|events|checkpoints]]   OpenAI's fine-tuning API (customer API keys; fine-tuning/routes)
 *   /api/keys, /api/plans, /api/deployments   keys, price plans, deployments (admin; gateway/admin)
 *   /api/channel-types, /api/channels, /api/channels/map   channel design and the channel map (admin; channels/routes)
 *   /api/customers, POST /api/portal/customers   customers and their acquisition (admin; partner for its own; customers/routes)
 *   /api/partners, /api/scorecards            partners, onboarding, portal users, scorecards (admin; partners/routes/partners)
 *   /api/tiers, /api/agreements, /api/statements   tiers, agreements, revenue-share statements (admin; partners/routes)
 *   /api/customers/:id/credits|billing        prepaid credit and billing mode (admin; billing/routes/credits.ts)
 *   /api/portal/...                           the partner portal (partner session; login is public; partners/routes/portal)
 *   GET  /r/:code                             tracked-link redirect: click touchpoint + qd_vid cookie, 302 (public; strategy/campaigns)
 *   /api/segments, /api/market, /api/selection, /api/promotion, /api/campaigns, /api/links, /api/spend, /api/touchpoints,
 *   /api/attribution, /api/partner-relations, /api/ecosystem, /api/resources, /api/strategy/*   strategy (admin; strategy/<area>/routes.ts)
 */
export async function registerRoutes(app: FastifyInstance, services: Services): Promise<void> {
  healthRoutes(app, services);
  if (services.team) teamRouteHandlers(app, services.team, services.adminTokens);
  if (services.analytics) analyticsRoutes(app, services.analytics);
  if (services.gateway) gatewayRoutes(app, services.gateway);
  if (services.gateway) gatewayAdminRoutes(app, services.gateway);
  if (services.gateway && services.fineTuning) fineTuningRouteHandlers(app, { catalog: services.gateway.catalog, ...services.fineTuning });
  if (services.channels) channelRoutes(app, services.channels);
  if (services.customers && services.customerPrivacy) customerRoutes(app, services.customers, services.store, services.customerPrivacy);
  if (services.partners) partnerRoutes(app, services.partners);
  if (services.partners) tierRoutes(app, services.partners);
  if (services.partners) agreementRoutes(app, services.partners);
  if (services.partners) statementRoutes(app, services.partners);
  if (services.partners) portalRoutes(app, services.partners);
  if (services.billing) billingRouteHandlers(app, services.billing);
  if (services.strategy) strategyRoutes(app, services.strategy);
  if (services.pipeline) pipelineRoutes(app, services.pipeline);
  if (services.credits) creditRoutes(app, services.credits);
  auditRoutes(app, services.store);
  route(app, systemRoutes.whoami, async (request) => ({ principal: request.principal! }));
  route(app, systemRoutes.system, async () => ({
    version: services.version,
    store: services.store.kind,
    redis: services.config.redisUrl ? 'configured' : 'in-process counters',
    startedAt: services.startedAt,
    node: process.version,
  }));
}
