import type { MeterCharge } from './limiter.js';

/** How the queued repairs reach the counters (the Redis limiter's scripts). */
export interface RepairCommands {
  /** Drops the requests' reservations on one month meter and deletes its total (rebuilt from the ledger). */
  invalidate(charge: MeterCharge, requestIds: readonly string[]): Promise<void>;
  /** Settles a request to zero on every meter: frees whatever a failed admission may have reserved. */
  release(requestId: string, charges: readonly MeterCharge[]): Promise<void>;
}

/** Most failed admissions remembered for release; beyond it their reservations simply expire. */
const MAX_RELEASES = 10_000;

/** Releases sent to Redis together (independent scripts; one round trip for the batch instead of one each). */
const RELEASE_BATCH = 100;

/**
 * Repairs the counters owe after Redis failed a command. A command that timed out may still run later (it
 * was already on the wire), so neither failure is simply retried:
 *
 * - a failed settlement leaves the month total short of the ledger, so that total is deleted (and the
 *   request's reservation dropped); the next admission rebuilds it from the ledger, which has the row;
 * - a failed admission may yet reserve, so its request is settled to zero, freeing that reservation at once
 *   instead of 15 minutes later.
 *
 * {@link run} is awaited before every admission and retried every second while repairs are pending.
 */
export class CounterRepairs {
  /** Month meter key -> its charge and the requests whose settlement failed. */
  private readonly invalid = new Map<string, { charge: MeterCharge; requestIds: Set<string> }>();
  private releases: { requestId: string; charges: readonly MeterCharge[] }[] = [];
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly commands: RepairCommands,
    private readonly retryMs = 1_000,
  ) {}

  /** How many repairs wait. */
  get pending(): number {
    return this.invalid.size + this.releases.length;
  }

  /** Records a settlement that failed: its month totals are stale. */
  settleFailed(requestId: string, charges: readonly MeterCharge[]): void {
    for (const c of charges) {
      if (c.kind !== 'month') continue;
      const entry = this.invalid.get(c.key) ?? { charge: c, requestIds: new Set<string>() };
      entry.requestIds.add(requestId);
      this.invalid.set(c.key, entry);
    }
    this.scheduleRetry();
  }

  /** Records an admission that failed: whatever it reserved is to be freed. */
  admitFailed(requestId: string, charges: readonly MeterCharge[]): void {
    if (this.releases.length < MAX_RELEASES) this.releases.push({ requestId, charges });
    this.scheduleRetry();
  }

  /** Applies every pending repair; rejects (keeping what is left) while Redis still fails. */
  run(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    this.running ??= this.apply().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Stops the retry timer (the limiter is closing). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async apply(): Promise<void> {
    for (const [key, entry] of [...this.invalid]) {
      // taken out first: a settlement that fails while this runs starts a new entry for the next pass
      this.invalid.delete(key);
      try {
        await this.commands.invalidate(entry.charge, [...entry.requestIds]);
      } catch (err) {
        const later = this.invalid.get(key);
        if (later) for (const id of entry.requestIds) later.requestIds.add(id);
        else this.invalid.set(key, entry);
        throw err;
      }
    }
    while (this.releases.length > 0) {
      const batch = this.releases.slice(0, RELEASE_BATCH);
      await Promise.all(batch.map((r) => this.commands.release(r.requestId, r.charges)));
      // a release that ran twice (its batch failed half-way) settles zero twice: harmless
      this.releases.splice(0, batch.length);
    }
  }

  private scheduleRetry(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.run().catch(() => this.scheduleRetry());
    }, this.retryMs);
    this.timer.unref();
  }
}
