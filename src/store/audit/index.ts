export { appendAudit, AUDIT_LOCK_KEY, type AuditActor, type AuditEntry, type AuditRow } from './append.js';
export { canonicalJson, rowHash, GENESIS_HASH, type ChainedFields } from './chain.js';
export { verifyAuditChain, type ChainReport } from './verify.js';
export { listAudit, type AuditFilter } from './list.js';
