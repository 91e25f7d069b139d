import type { FastifyInstance } from 'fastify';
import type { ChannelService } from './channel-service.js';
import { monthEnd, monthOf, monthStart, parseMonth } from './month.js';
import { idParam, parseInput, requireAdminCaller } from './request.js';
import { channelMapSchema, createChannelSchema, createChannelTypeSchema, listChannelsSchema, updateChannelSchema } from './requests.js';

/**
 * `/api/channel-types` and `/api/channels` (admin only):
 *
 *   GET    /api/channel-types          list        POST /api/channel-types      add a type
 *   DELETE /api/channel-types/:id      remove an unused type
 *   GET    /api/channels               list (?status, ?type, ?ownerPartnerId)
 *   POST   /api/channels               create      GET  /api/channels/map        channel map (?month | ?from&to)
 *   GET    /api/channels/:id           read        PATCH /api/channels/:id       change
 *   POST   /api/channels/:id/archive   archive     DELETE /api/channels/:id      delete (refused when referenced)
 */
export function channelRoutes(app: FastifyInstance, channels: ChannelService): void {
  // One encapsulated scope: its admin check runs for these routes only, never on the gateway's hot path.
  void app.register(async (scope) => {
    scope.addHook('preHandler', async (req) => requireAdminCaller(req));
    scope.get('/api/channel-types', async () => {
      return { data: await channels.listTypes() };
    });
    scope.post('/api/channel-types', async (req, reply) => {
      return reply.code(201).send(await channels.createType(parseInput(createChannelTypeSchema, req.body)));
    });
    scope.delete('/api/channel-types/:id', async (req, reply) => {
      await channels.deleteType(idParam(req));
      return reply.code(204).send();
    });
    scope.get('/api/channels', async (req) => {
      return { data: await channels.listChannels(parseInput(listChannelsSchema, req.query, 'query')) };
    });
    scope.post('/api/channels', async (req, reply) => {
      return reply.code(201).send(await channels.createChannel(parseInput(createChannelSchema, req.body)));
    });
    scope.get('/api/channels/map', async (req) => {
      const q = parseInput(channelMapSchema, req.query, 'query');
      const month = q.month === undefined ? monthOf(new Date()) : parseMonth(q.month);
      const from = q.from ? new Date(q.from) : monthStart(month);
      const to = q.to ? new Date(q.to) : monthEnd(month);
      return channels.channelMap(from, to);
    });
    scope.get('/api/channels/:id', async (req) => {
      return channels.getChannel(idParam(req));
    });
    scope.patch('/api/channels/:id', async (req) => {
      return channels.updateChannel(idParam(req), parseInput(updateChannelSchema, req.body));
    });
    scope.post('/api/channels/:id/archive', async (req) => {
      return channels.archiveChannel(idParam(req));
    });
    scope.delete('/api/channels/:id', async (req, reply) => {
      await channels.deleteChannel(idParam(req));
      return reply.code(204).send();
    });
  });
}
