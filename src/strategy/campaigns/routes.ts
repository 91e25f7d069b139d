import type { FastifyInstance } from 'fastify';
import { QudaoError } from '../../errors/index.js';
import { route } from '../../server/http/index.js';
import { campaignRoutes as api } from '../../shared/contract/strategy/campaigns.js';
import { resolveWindow } from '../window.js';
import type { AttributionService } from './attribution-service.js';
import type { CampaignService } from './campaign-service.js';
import type { LinkService } from './link-service.js';
import type { CampaignPerformanceService } from './performance-service.js';
import { newVisitorId, type TouchpointService } from './touchpoint-service.js';
import { targetWithVisitor, VISITOR_COOKIE, VISITOR_COOKIE_MAX_AGE_S, visitorIdOf } from './visitor.js';

/** The campaign-planning services the routes call. */
export interface CampaignRouteServices {
  campaigns: CampaignService;
  links: LinkService;
  touchpoints: TouchpointService;
  attribution: AttributionService;
  performance: CampaignPerformanceService;
}

/**
 * Campaign planning (contracts in src/shared/contract/strategy/campaigns.ts): campaigns and their
 * performance, tracked links, spend, touchpoints and attribution. Times are ISO-8601 with offset; money
 * integer micro-units.
 */
export function campaignRoutes(app: FastifyInstance, s: CampaignRouteServices): void {
  route(app, api.listCampaigns, async () => ({ data: await s.campaigns.listCampaigns() }));
  route(app, api.createCampaign, async (req) => s.campaigns.createCampaign(req.body));
  route(app, api.getCampaign, async (req) => s.campaigns.getCampaign(req.params.id));
  route(app, api.performance, async (req) => s.performance.performance(req.params.id, resolveWindow(req.query)));
  route(app, api.updateCampaign, async (req) => s.campaigns.updateCampaign(req.params.id, req.body));
  route(app, api.listLinks, async (req) => ({ data: await s.links.listLinks(req.query) }));
  route(app, api.createLink, async (req) => s.links.createLink(req.body));
  route(app, api.getLink, async (req) => s.links.getLink(req.params.id));
  route(app, api.listSpend, async (req) => ({ data: await s.campaigns.listSpend(resolveWindow(req.query), req.query) }));
  route(app, api.recordSpend, async (req) => s.campaigns.recordSpend(req.body));
  route(app, api.listTouchpoints, async (req) => ({ data: await s.touchpoints.list(req.query) }));
  route(app, api.recordTouchpoint, async (req) => s.touchpoints.record(req.body));
  route(app, api.identify, async (req) => s.touchpoints.identify(req.body.visitorId, req.body.customerId));
  route(app, api.attribution, async (req) => s.attribution.attribute(resolveWindow(req.query), req.query.by, req.query.halfLifeDays));
}

/**
 * `GET /r/:code` (public, outside `/api` and its contract): records a click touchpoint for the visitor
 * (cookie `qd_vid`, set for two years when absent: `Path=/; HttpOnly; SameSite=Lax`, Lax so it is sent on
 * the top-level navigation that follows a link from another site), then answers `302` to the link's target
 * with `qd_vid` in its query. An unknown code is `404` with the OpenAI error body (`QD_NOT_FOUND`) and
 * records nothing. No HEAD route: a HEAD request (link checkers) must not count as a click.
 */
export function redirectRoutes(app: FastifyInstance, touchpoints: TouchpointService): void {
  app.get<{ Params: { code: string } }>('/r/:code', { exposeHeadRoute: false }, async (req, reply) => {
    const code = req.params.code;
    const known = visitorIdOf(req.headers.cookie);
    const visitorId = known ?? newVisitorId();
    const click = await touchpoints.recordClick(code, visitorId);
    if (!click) throw new QudaoError('QD_NOT_FOUND', `no tracked link with code ${code}`);
    if (!known) {
      const secure = req.protocol === 'https' ? '; Secure' : '';
      void reply.header('set-cookie', `${VISITOR_COOKIE}=${visitorId}; Path=/; Max-Age=${VISITOR_COOKIE_MAX_AGE_S}; HttpOnly; SameSite=Lax${secure}`);
    }
    return reply.header('cache-control', 'no-store').redirect(targetWithVisitor(click.targetUrl, visitorId), 302);
  });
}
