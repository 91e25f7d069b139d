export { createMutationAudit } from './recorder.js';
export { auditRoutes } from './routes.js';
export { actorOf } from './actor.js';
export { redactSecrets, isSecretField, REDACTED } from './redact.js';
export { auditShape, type AuditShape, type KnownRoute } from './target.js';
