import type { FastifyInstance, FastifyRequest } from 'fastify';
import { monthEnd, monthOf, monthStart } from '../shared/month.js';
import { route } from '../server/http/index.js';
import { channelRoutes as api } from '../shared/contract/channels.js';
import type { ChannelService } from './channel-service.js';

/**
 * `/api/channel-types` and `/api/channels` (admin only; contracts in src/shared/contract/channels.ts):
 * channel types, channels, and the channel map of a period (`?month` or `?from&to`, default this month).
 */
export function channelRoutes(app: FastifyInstance, channels: ChannelService): void {
  route(app, api.listTypes, async () => ({ data: await channels.listTypes() }));
  route(app, api.createType, async (req) => channels.createType(req.body));
  route(app, api.removeType, async (req) => channels.deleteType(req.params.id));
  route(app, api.list, async (req) => ({ data: await channels.listChannels(req.query) }));
  route(app, api.create, async (req) => channels.createChannel(req.body));
  route(app, api.map, async (req) => {
    const { month = monthOf(new Date()), from, to } = req.query;
    return channels.channelMap(from ? new Date(from) : monthStart(month), to ? new Date(to) : monthEnd(month));
  });
  route(app, api.get, async (req) => channels.getChannel(req.params.id));
  route(app, api.update, async (req) => channels.updateChannel(req.params.id, req.body));
  route(app, api.archive, async (req) => channels.archiveChannel(req.params.id));
  route(app, api.remove, async (req) => channels.deleteChannel(req.params.id));
}

/*
 * Leftovers for the partner routes (src/partners/routes/*), which are being moved onto their contracts in
 * parallel; removed once they no longer import them.
 */
export { requireAdmin as requireAdminCaller } from '../server/http/index.js';

/** The `:id` route parameter (leftover for the partner routes). */
export function idParam(request: FastifyRequest): string {
  return (request.params as { id: string }).id;
}
