export { ChannelService, type Channel, type ChannelType, type ChannelFilter } from './channel-service.js';
export { buildChannelMap, type ChannelMap, type ChannelMapEntry, type ChannelFlowRow, type ChannelForMap } from './channel-map.js';
export { defaultChannelTypes } from './channel-types.js';
export { channelRoutes } from './routes.js';
export { parseMonth, monthStart, monthEnd, monthOf, addMonths, type Month } from './month.js';
export { parseInput, requireAdminCaller, idParam, isUniqueViolation } from './request.js';
export * from './requests.js';
