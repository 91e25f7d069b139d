import type { AuditEntry } from '../../../src/shared/contract/audit.js';

/** One readable change of an audit row: what happened to which field, and its new value as text. */
export interface DiffLine {
  op: 'added' | 'set' | 'removed' | 'moved';
  /** The field's JSON Pointer without the leading slash (`name`, `lines/0/amountMicros`), or '' for the whole target. */
  field: string;
  /** The new value, shortened; '' for a removal. */
  value: string;
  /** The value it had before (from the patch's `test` operation), when known. */
  from?: string;
}

const MAX_VALUE = 80;

function text(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 1)}…` : s;
}

/**
 * An RFC 6902 patch as lines a person reads. The server precedes each `replace` and `remove` with a
 * `test` holding the old value, so an update reads `status: draft → final`. A whole-target replace of
 * nothing (a create) becomes one line per top-level field that has a value, so a new plan reads
 * `name: Pro`, `inputPer1mMicros: 100`; of something by nothing (a delete), one line per removed field.
 */
export function diffLines(diff: AuditEntry['diff']): DiffLine[] {
  const lines: DiffLine[] = [];
  const fields = (value: unknown, op: DiffLine['op']) => {
    // The id is the row's target already, and an empty (null) field says nothing.
    for (const [k, v] of Object.entries(value as object)) if (k !== 'id' && v !== null) lines.push(op === 'added' ? { op, field: k, value: text(v) } : { op, field: k, value: '', from: text(v) });
  };
  const isRecord = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  let previous: { path: string; value: unknown } | undefined;
  for (const op of diff) {
    if (op.op === 'test') {
      previous = { path: op.path, value: op.value };
      continue;
    }
    const old = previous?.path === op.path ? previous : undefined;
    previous = undefined;
    const field = op.path.replace(/^\//, '');
    if (op.path === '' && op.op !== 'remove' && isRecord(op.value) && (old === undefined || old.value === null)) fields(op.value, 'added');
    else if (op.path === '' && (op.op === 'remove' || op.value === null) && old !== undefined && isRecord(old.value)) fields(old.value, 'removed');
    else if (op.op === 'remove') lines.push({ op: 'removed', field, value: '', ...(old ? { from: text(old.value) } : {}) });
    else if (op.op === 'move' || op.op === 'copy') lines.push({ op: 'moved', field, value: op.from ?? '' });
    else if (op.op === 'add') lines.push({ op: 'added', field, value: text(op.value) });
    else lines.push({ op: 'set', field, value: text(op.value), ...(old ? { from: text(old.value) } : {}) });
  }
  return lines;
}
