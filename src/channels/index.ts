export { ChannelService, type Channel, type ChannelType, type ChannelFilter } from './channel-service.js';
export { buildChannelMap, type ChannelMap, type ChannelMapEntry, type ChannelFlowRow, type ChannelForMap } from './channel-map.js';
export { defaultChannelTypes } from './channel-types.js';
export { channelRoutes } from './routes.js';
// Leftovers for the partner routes until they are on their contracts (see routes.ts).
export { parseInput } from '../errors/index.js';
export { requireAdminCaller, idParam } from './routes.js';
