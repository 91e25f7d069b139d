export { installZodCompilers } from './compilers.js';
export { route, requireAdmin, requireRole, partnerOf, type RouteRequest, type RouteHandler, type Answer } from './route.js';
export { isAuditedMutation, type MutationAudit } from './mutation-audit.js';
export { sendAttachment } from './attachment.js';
