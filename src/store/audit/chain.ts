import { createHash } from 'node:crypto';
import type { AuditPatchOperation } from '../schema/audit.js';

/** The `prev_hash` of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit row that its hash covers: all of them but `hash` itself. */
export interface ChainedFields {
  seq: number;
  id: string;
  at: Date;
  actorUserId: string | null;
  actorLabel: string;
  actorRole: string | null;
  principalKind: string;
  action: string;
  route: string;
  targetType: string | null;
  targetId: string | null;
  diff: AuditPatchOperation[];
  requestId: string | null;
  sourceIp: string | null;
  prevHash: string;
}

/**
 * JSON with object keys sorted at every depth and no whitespace, so a value serialises the same after a
 * round trip through `jsonb` (which reorders keys). Undefined members are dropped, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** SHA-256 (hex) over the canonical serialisation of a row's fields, `prev_hash` included. */
export function rowHash(fields: ChainedFields): string {
  const covered = { ...fields, at: fields.at.toISOString() };
  return createHash('sha256').update(canonicalJson(covered)).digest('hex');
}
