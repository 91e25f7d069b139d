import type { FastifyInstance } from 'fastify';
import { adminRoutes, parseInput, routeParam } from '../http/request.js';
import { resolveWindow, windowQuerySchema } from '../http/window.js';
import type { AttributionService } from './attribution-service.js';
import type { CampaignService } from './campaign-service.js';
import type { LinkService } from './link-service.js';
import type { CampaignPerformanceService } from './performance-service.js';
import {
  attributionQuerySchema, createCampaignSchema, createLinkSchema, identifyVisitorSchema, listLinksSchema, listSpendSchema,
  listTouchpointsSchema, recordSpendSchema, recordTouchpointSchema, updateCampaignSchema,
} from './requests.js';
import type { TouchpointService } from './touchpoint-service.js';

/** The campaign-planning services the routes call. */
export interface CampaignRouteServices {
  campaigns: CampaignService;
  links: LinkService;
  touchpoints: TouchpointService;
  attribution: AttributionService;
  performance: CampaignPerformanceService;
}

/**
 * Campaign planning (admin only). Times are ISO-8601 with offset; money integer micro-units.
 *
 *   GET  /api/campaigns                  → { data: Campaign[] }
 *   POST /api/campaigns                  { name, goal, segmentId?, promotionChannels?: string[], budgetMicros?, startsAt, endsAt?, status? } → 201 Campaign
 *   GET/PATCH /api/campaigns/:id
 *   GET  /api/campaigns/:id/performance  ?from&to → { campaign, spendMicros, budgetUsed, clicks, visitors, customers,
 *                                        attributedRevenueMicros: { model: micros }, attributedConversions: { model: n } }
 *   GET  /api/links                      ?campaignId&partnerId → { data: TrackedLink[] } (with clicks, visitors, customers)
 *   POST /api/links                      { targetUrl, code?, campaignId?, partnerId?, promotionChannel? } → 201 TrackedLink
 *   GET  /api/links/:id                  → TrackedLink
 *   GET  /api/spend                      ?from&to&promotionChannel&campaignId → { data: Spend[] }
 *   POST /api/spend                      { promotionChannel, amountMicros (≥ 0), spentOn, campaignId?, partnerId?, note? } → 201 Spend
 *   GET  /api/touchpoints                ?visitorId|customerId|campaignId → { data: Touchpoint[] }
 *   POST /api/touchpoints                { visitorId, kind: click|view|signup, customerId?, linkCode?, campaignId?, promotionChannel?, occurredAt? }
 *                                        → 201 Touchpoint (a customerId also links the visitor's earlier touchpoints)
 *   POST /api/touchpoints/identify       { visitorId, customerId } → { linked }
 *   GET  /api/attribution                ?from&to&by=promotionChannel|campaign&halfLifeDays → AttributionReport
 */
export function campaignRoutes(app: FastifyInstance, s: CampaignRouteServices): void {
  adminRoutes(app, (r) => {
    r.get('/api/campaigns', async () => ({ data: await s.campaigns.listCampaigns() }));
    r.post('/api/campaigns', async (req, reply) => reply.code(201).send(await s.campaigns.createCampaign(parseInput(createCampaignSchema, req.body))));
    r.get('/api/campaigns/:id', async (req) => s.campaigns.getCampaign(routeParam(req)));
    r.get('/api/campaigns/:id/performance', async (req) => s.performance.performance(routeParam(req), resolveWindow(parseInput(windowQuerySchema, req.query, 'query'))));
    r.patch('/api/campaigns/:id', async (req) => s.campaigns.updateCampaign(routeParam(req), parseInput(updateCampaignSchema, req.body)));
    r.get('/api/links', async (req) => ({ data: await s.links.listLinks(parseInput(listLinksSchema, req.query, 'query')) }));
    r.post('/api/links', async (req, reply) => reply.code(201).send(await s.links.createLink(parseInput(createLinkSchema, req.body))));
    r.get('/api/links/:id', async (req) => s.links.getLink(routeParam(req)));
    r.get('/api/spend', async (req) => {
      const q = parseInput(listSpendSchema, req.query, 'query');
      return { data: await s.campaigns.listSpend(resolveWindow(q), q) };
    });
    r.post('/api/spend', async (req, reply) => reply.code(201).send(await s.campaigns.recordSpend(parseInput(recordSpendSchema, req.body))));
    r.get('/api/touchpoints', async (req) => ({ data: await s.touchpoints.list(parseInput(listTouchpointsSchema, req.query, 'query')) }));
    r.post('/api/touchpoints', async (req, reply) => reply.code(201).send(await s.touchpoints.record(parseInput(recordTouchpointSchema, req.body))));
    r.post('/api/touchpoints/identify', async (req) => {
      const input = parseInput(identifyVisitorSchema, req.body);
      return s.touchpoints.identify(input.visitorId, input.customerId);
    });
    r.get('/api/attribution', async (req) => {
      const q = parseInput(attributionQuerySchema, req.query, 'query');
      return s.attribution.attribute(resolveWindow(q), q.by, q.halfLifeDays);
    });
  });
}
