import { sql } from 'drizzle-orm';
import { appendAudit, rowsOf, type Store } from '../store/index.js';
import { generateDemo, type DemoOptions, type DemoSummary } from './simulate.js';

/** True when the workspace has no customers: the demo may fill it. */
export async function workspaceIsEmpty(store: Store): Promise<boolean> {
  const rows = rowsOf<{ any: boolean }>(await store.db.execute(sql`SELECT EXISTS (SELECT 1 FROM customers) AS any`));
  return rows[0]?.any !== true;
}

/** Where the start-up demo stands: `off` (not asked or not empty), `generating`, `ready`, `failed`, `stopped`. */
export type DemoState = 'off' | 'generating' | 'ready' | 'failed' | 'stopped';

/** Receives the start-up demo's log lines. */
export interface DemoLog {
  info(message: string): void;
  error(message: string): void;
}

/**
 * The demo the server creates on its first start: generated in the background after the server listens
 * (a year of history takes tens of seconds on the embedded database), so `/healthz` can report
 * `demo: "generating"` meanwhile. `stop()` cancels it between simulated days.
 */
export class StartupDemo {
  private current: DemoState = 'off';
  private running: Promise<void> | undefined;
  private readonly abort = new AbortController();

  /** The demo's state, for `/healthz`. */
  get state(): DemoState {
    return this.current;
  }

  /** Starts generating when the workspace is empty; resolves at once (the work runs in the background). */
  async startIfEmpty(store: Store, log: DemoLog, options: DemoOptions = {}): Promise<void> {
    if (!(await workspaceIsEmpty(store))) return;
    this.current = 'generating';
    log.info('demo: the workspace is empty, creating the demo workspace in the background (QUDAO_DEMO=false to skip)');
    const started = performance.now();
    this.running = generateDemo(store, { ...options, signal: this.abort.signal }).then(
      async (s: DemoSummary) => {
        // The demo writes the store itself (not through /api), so it records its own audit row.
        await store
          .withTransaction(() => appendAudit(store.db, { actor: { userId: null, label: 'qudao start', role: null, kind: 'system' }, action: 'demo.generate', route: 'qudao start', targetType: 'workspace', diff: [{ op: 'add', path: '/demo', value: { ...s } }] }))
          .catch((err: unknown) => log.error(`demo: could not record it in the audit trail: ${(err as Error).message}`));
        this.current = 'ready';
        log.info(`demo: ready in ${Math.round((performance.now() - started) / 1000)} s — ${s.customers} customers, ${s.partners} partners, ${s.campaigns} campaigns, ${s.usageRows} ledger rows (${s.from} to ${s.until}, seed ${s.seed})`);
      },
      (err: unknown) => {
        this.current = this.abort.signal.aborted ? 'stopped' : 'failed';
        if (!this.abort.signal.aborted) log.error(`demo: generation failed: ${(err as Error).message}`);
      },
    );
  }

  /** Cancels a generation in progress and waits for it to stop. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }
}
