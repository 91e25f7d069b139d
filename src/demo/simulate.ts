import { sql } from 'drizzle-orm';
import { refreshRollups } from '../analytics/index.js';
import { silentProgress, type Progress } from '../pipeline/progress.js';
import { schema, type Store } from '../store/index.js';
import { Acquisition } from './acquisition.js';
import { billDemo } from './billing.js';
import { DemoClock } from './clock.js';
import { insertChunked, ledgerSink, markChurned, type UsageSink } from './ledger.js';
import { Population } from './population.js';
import { DemoRandom } from './random.js';
import { servedModels } from './served-models.js';
import { UsageDay, type DemoUsageRow } from './usage.js';
import { createWorld } from './world.js';

/** Options of {@link generateDemo}. */
export interface DemoOptions {
  /** Same seed (and months, until, scale) → identical rows. Default 42. */
  readonly seed?: number;
  /** Whole months of history before the month of `until`. Default 12. */
  readonly months?: number;
  /** End of the history (exclusive; its UTC day counts). Default today, UTC. */
  readonly until?: Date;
  /** Multiplies acquisition and call rates (1 ≈ 170k ledger rows over 12 months). */
  readonly scale?: number;
  /** Writes the ledger rows; default the same INSERT the gateway's ledger writer runs. */
  readonly writeUsage?: UsageSink;
  readonly progress?: Progress;
  /** Stops the simulation between days (the rows written so far stay). */
  readonly signal?: AbortSignal;
}

/** What {@link generateDemo} created. */
export interface DemoSummary {
  readonly seed: number;
  readonly from: string;
  readonly until: string;
  readonly days: number;
  readonly customers: number;
  readonly churned: number;
  readonly partners: number;
  readonly campaigns: number;
  readonly usageRows: number;
  readonly touchpoints: number;
  readonly spendRows: number;
  /** Final invoices of the months that have ended. */
  readonly invoices: number;
}

/** The workspace setting that records the demo (seed, range, state). */
export const DEMO_SETTING = 'demo';

async function flush(store: Store, population: Population, acquisition: Acquisition, usage: DemoUsageRow[], writeUsage: UsageSink): Promise<{ touchpoints: number; spend: number }> {
  const { db } = store;
  const people = population.take();
  const marketing = acquisition.take();
  if (people.customers.length > 0) await insertChunked((r) => db.insert(schema.customers).values(r), people.customers);
  if (people.keys.length > 0) await insertChunked((r) => db.insert(schema.apiKeys).values(r), people.keys);
  if (people.plans.length > 0) await insertChunked((r) => db.insert(schema.customerPlans).values(r), people.plans);
  if (marketing.spend.length > 0) await insertChunked((r) => db.insert(schema.spend).values(r), marketing.spend);
  if (marketing.touchpoints.length > 0) await insertChunked((r) => db.insert(schema.touchpoints).values(r), marketing.touchpoints);
  if (usage.length > 0) await writeUsage(usage);
  return { touchpoints: marketing.touchpoints.length, spend: marketing.spend.length };
}

async function recordSetting(store: Store, value: Record<string, unknown>): Promise<void> {
  await store.db.insert(schema.workspaceSettings).values({ key: DEMO_SETTING, value }).onConflictDoUpdate({ target: schema.workspaceSettings.key, set: { value, updatedAt: sql`now()` } });
}

/**
 * Creates the demo workspace: a seeded, day-by-day simulation of an AI-model startup's last `months`
 * months — segments, six channel types, twenty partners in four tiers with agreements, campaigns across the
 * promotion channels with daily spend, tracked links and touchpoint paths, customers acquired through all of
 * them who grow, pause and churn, and every API call metered into the usage ledger — then builds the
 * analytics rollups. Expects a workspace without demo rows.
 */
export async function generateDemo(store: Store, options: DemoOptions = {}): Promise<DemoSummary> {
  const seed = options.seed ?? 42;
  const scale = options.scale ?? 1;
  const clock = new DemoClock(options.until ?? new Date(), options.months ?? 12);
  const progress = options.progress ?? silentProgress();
  const writeUsage = options.writeUsage ?? ledgerSink(store);
  const meta = { seed, months: options.months ?? 12, scale, from: clock.date(0).toISOString().slice(0, 10), until: clock.date(clock.days).toISOString().slice(0, 10) };
  await recordSetting(store, { ...meta, status: 'generating' });
  const world = await createWorld(store, new DemoRandom(seed), clock, scale);
  const population = new Population(new DemoRandom(seed + 1), clock, world, seed, 1);
  const acquisition = new Acquisition(new DemoRandom(seed + 2), clock, world, population, scale);
  const usageDay = new UsageDay(new DemoRandom(seed + 3), clock, seed, await servedModels(store));
  let pending: DemoUsageRow[] = [];
  const totals = { usage: 0, touchpoints: 0, spend: 0 };
  progress.start(clock.days, 'demo workspace');
  for (let day = 0; day < clock.days; day++) {
    // PGlite answers through microtasks only; yielding once a day lets a server running the demo in the
    // background answer its requests meanwhile.
    await new Promise((resolve) => setImmediate(resolve));
    options.signal?.throwIfAborted();
    if (day > 0 && clock.monthStarts(day)) population.churnMonth(clock.date(day));
    const calling = population.alive.filter((c) => c.acquiredDay < day);
    acquisition.day(day);
    pending = pending.concat(usageDay.rows(day, calling));
    if (day % 7 === 6 || day === clock.days - 1) {
      totals.usage += pending.length;
      const written = await flush(store, population, acquisition, pending, writeUsage);
      totals.touchpoints += written.touchpoints;
      totals.spend += written.spend;
      pending = [];
    }
    progress.tick(1, { customers: population.acquired, calls: totals.usage + pending.length });
  }
  progress.done();
  await markChurned(store, population.churned);
  progress.start(0, 'analytics rollups');
  await refreshRollups(store, { onBatch: (rows) => progress.tick(0, { rows }) });
  progress.done();
  progress.start(0, 'invoices');
  const invoices = await billDemo(store, clock.date(0), new Date(Math.min(Date.now(), clock.date(clock.days).getTime())));
  progress.done();
  await recordSetting(store, { ...meta, status: 'ready' });
  return {
    seed, from: meta.from, until: meta.until, days: clock.days, customers: population.acquired, churned: population.churned.length,
    partners: world.partners.length, campaigns: world.campaigns.length, usageRows: totals.usage, touchpoints: totals.touchpoints, spendRows: totals.spend, invoices,
  };
}
