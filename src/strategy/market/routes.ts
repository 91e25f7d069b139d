import type { FastifyInstance } from 'fastify';
import { route } from '../../server/http/index.js';
import { marketRoutes as api } from '../../shared/contract/strategy/market.js';
import { resolveWindow } from '../window.js';
import { segmentWeightsFromAhp, type MarketService } from './market-service.js';
import type { SegmentService } from './segment-service.js';

/**
 * Market positioning (contracts in src/shared/contract/strategy/market.ts): segments, TAM/SAM/SOM with the
 * reach the ledger observes, and segment ranking. Windows `[from, to)` default to the last 365 days.
 */
export function marketRoutes(app: FastifyInstance, s: { segments: SegmentService; market: MarketService }): void {
  route(app, api.listSegments, async () => ({ data: await s.segments.listSegments() }));
  route(app, api.createSegment, async (req) => s.segments.createSegment(req.body));
  route(app, api.getSegment, async (req) => s.segments.getSegment(req.params.id));
  route(app, api.updateSegment, async (req) => s.segments.updateSegment(req.params.id, req.body));
  route(app, api.deleteSegment, async (req) => s.segments.deleteSegment(req.params.id));
  route(app, api.marketSize, async (req) => s.market.size(resolveWindow(req.query)));
  route(app, api.rankSegments, async (req) => {
    const input = req.body;
    const fromAhp = input.pairwise ? segmentWeightsFromAhp(input.pairwise) : null;
    return s.market.rank(resolveWindow(input), fromAhp?.weights ?? input.weights, input.segmentIds, fromAhp?.ahp ?? null);
  });
}
