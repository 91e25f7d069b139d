import { userInfo } from 'node:os';
import { appendAudit, type AuditActor, type AuditPatchOperation, type Store } from '../store/index.js';

/** The actor of a CLI command that writes the store itself: `cli:<OS user>` (who ran it on this machine). */
export function cliActor(): AuditActor {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = 'unknown';
  }
  return { userId: null, label: `cli:${user}`, role: null, kind: 'cli' };
}

/** What a CLI command changed, for its audit row. */
export interface CliChange {
  /** `qudao demo`, `qudao train`. */
  readonly command: string;
  readonly action: string;
  readonly targetType?: string;
  readonly targetId?: string | null;
  /** The change, as a JSON Patch (e.g. a summary of what was written). */
  readonly diff: AuditPatchOperation[];
}

/**
 * Appends the audit row of a CLI command that wrote the store directly (not through `/api`, where the
 * server audits it). Commands that write many transactions (the demo's year of history) record once,
 * after they succeeded.
 */
export async function recordCliChange(store: Store, change: CliChange): Promise<void> {
  await store.withTransaction(() =>
    appendAudit(store.db, { actor: cliActor(), action: change.action, route: change.command, targetType: change.targetType ?? null, targetId: change.targetId ?? null, diff: change.diff }),
  );
}
