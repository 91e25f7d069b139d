import type { FastifyInstance } from 'fastify';
import { adminRoutes, parseInput, routeParam } from '../http/request.js';
import { resolveWindow } from '../http/window.js';
import { segmentWeightsFromAhp, type MarketService } from './market-service.js';
import { createSegmentSchema, marketSizeQuerySchema, rankSegmentsSchema, updateSegmentSchema } from './requests.js';
import type { SegmentService } from './segment-service.js';

/**
 * Market positioning (admin only). Money is integer micro-units; windows are `[from, to)` ISO-8601,
 * default the last 365 days.
 *
 *   GET    /api/segments            → { data: Segment[] }
 *   POST   /api/segments            { name, industry, region, companySize, accounts, annualPriceMicros, growthRate,
 *                                     willingnessToPay, competition, fit, adoptionRate, serviceableShare } → 201 Segment
 *   GET    /api/segments/:id        → Segment            PATCH /api/segments/:id  (any subset) → Segment
 *   DELETE /api/segments/:id        → 204 (409 QD_REFERENCED when customers or campaigns use it)
 *   GET    /api/market/size         ?from&to → MarketSizeReport (TAM/SAM/SOM per segment + observed reach from the ledger)
 *   POST   /api/market/rank         { weights?: {size, growth, willingnessToPay, competition, fit} | pairwise?: number[][] (AHP over
 *                                     those five, in that order), segmentIds?, from?, to? }
 *                                   → SegmentRankingReport (weighted sum and TOPSIS side by side, ahp, TOPSIS sensitivity)
 */
export function marketRoutes(app: FastifyInstance, s: { segments: SegmentService; market: MarketService }): void {
  adminRoutes(app, (r) => {
    r.get('/api/segments', async () => ({ data: await s.segments.listSegments() }));
    r.post('/api/segments', async (req, reply) => reply.code(201).send(await s.segments.createSegment(parseInput(createSegmentSchema, req.body))));
    r.get('/api/segments/:id', async (req) => s.segments.getSegment(routeParam(req)));
    r.patch('/api/segments/:id', async (req) => s.segments.updateSegment(routeParam(req), parseInput(updateSegmentSchema, req.body)));
    r.delete('/api/segments/:id', async (req, reply) => {
      await s.segments.deleteSegment(routeParam(req));
      return reply.code(204).send();
    });
    r.get('/api/market/size', async (req) => s.market.size(resolveWindow(parseInput(marketSizeQuerySchema, req.query, 'query'))));
    r.post('/api/market/rank', async (req) => {
      const input = parseInput(rankSegmentsSchema, req.body);
      const fromAhp = input.pairwise ? segmentWeightsFromAhp(input.pairwise) : null;
      return s.market.rank(resolveWindow(input), fromAhp?.weights ?? input.weights, input.segmentIds, fromAhp?.ahp ?? null);
    });
  });
}
