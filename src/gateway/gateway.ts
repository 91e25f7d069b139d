import type { FastifyBaseLogger } from 'fastify';
import type { Registry } from 'prom-client';
import type { LocalClassifiers, LocalModels, ReadinessCheck } from '../inference/index.js';
import { DeploymentStore, type Store } from '../store/index.js';
import { gpt2Tokenizer } from '../tokenizer/index.js';
import { GatewayCatalog } from './catalog.js';
import { DeploymentService } from './deployments/deployment-service.js';
import { GuardrailService } from './guardrails/guardrail-service.js';
import { KeyService } from './keys/key-service.js';
import type { Limiter } from './limits/limiter.js';
import { MemoryLimiter } from './limits/memory-limiter.js';
import { ledgerMonthTotals } from './limits/month-ledger.js';
import { rebuildMonthlyTotals } from './limits/quota-rebuild.js';
import { RedisLimiter } from './limits/redis-limiter.js';
import { GatewayMetrics } from './metering/gateway-metrics.js';
import { LedgerWriter } from './metering/ledger-writer.js';
import { recoverInterruptedStreams, StreamJournal } from './metering/stream-journal.js';
import { PlanService } from './plans/plan-service.js';
import { RequestLogService } from './request-log/request-log-service.js';
import { RequestLogWriter } from './request-log/request-log-writer.js';
import { UsageService } from './usage/usage-service.js';
import type { ServeContext } from './serve/context.js';
import type { StreamLimits } from './serve/stream-writer.js';
import { createUpstreamAgents, type UpstreamAgents } from './upstream/http-client.js';
import { HealthMonitor, httpHealthProbe } from './upstream/health.js';
import { HttpUpstream } from './upstream/http-upstream.js';
import { localHealthProbe } from './upstream/local-health.js';
import { LocalUpstream } from './upstream/local-upstream.js';
import { UpstreamRouter } from './upstream/router.js';

/** What the composition root passes to {@link startGateway}. */
export interface GatewayOptions {
  readonly store: Store;
  /** Redis URL for counters shared by replicas; undefined = in-process counters. */
  readonly redisUrl?: string | undefined;
  /** Longest wait for one Redis command before a request fails with QD_OVERLOADED (default 250 ms). */
  readonly redisTimeoutMs?: number | undefined;
  /** Resolves a deployment's `upstream_key_env` (the composition root reads the environment). */
  readonly secretFromEnv: (name: string) => string | undefined;
  /**
   * The in-process models `local` deployments are served by (inference's `RuntimePool`); without them,
   * `local` deployments fail with QD_UPSTREAM_ERROR.
   */
  readonly localModels?: LocalModels | undefined;
  /**
   * How `local` deployments are health-checked: inference's readiness check of their version (the engine's:
   * the checkpoint folder holds its manifest). Undefined (e.g. a test's fake models, which need no folder):
   * local deployments stay `unknown` and are served.
   */
  readonly localReadiness?: ReadinessCheck | undefined;
  /** The in-process classifiers that classifier guardrails run (inference's `ClassifierPool`). */
  readonly localClassifiers?: LocalClassifiers | undefined;
  /** Counts tokens for HTTP upstreams that send no usage; default: the GPT-2 vocabulary. */
  readonly countText?: ((text: string) => number) | undefined;
  /**
   * Folder of the usage ledger's local journal: answers wait for a journal write instead of a database
   * commit, and rows reach the database in the background (see LedgerWriter). Undefined = direct commits.
   */
  readonly ledgerJournalDir?: string | undefined;
  /** First retry delay for upstream retries, ms. */
  readonly retryBackoffMs?: number | undefined;
  /** Per-stream buffer bound and stall timeout; default 256 KiB and 30 s. */
  readonly streamLimits?: StreamLimits | undefined;
  /**
   * Folder of the stream journal (progress of streams in flight, billed as `cancelled` after a crash; see
   * StreamJournal), and how often a stream's delivered tokens are journaled (default 1000 ms). Undefined = none.
   */
  readonly streamJournalDir?: string | undefined;
  readonly streamProgressMs?: number | undefined;
  /**
   * Background health checks of deployments: time between rounds (default 15 s; 0 = off, every deployment
   * stays `unknown` and is always tried) and the longest wait for one probe (default 2 s).
   */
  readonly healthCheck?: { readonly intervalMs: number; readonly timeoutMs: number } | undefined;
  readonly log?: FastifyBaseLogger | undefined;
}

/** The running gateway: caches, limiter, ledger writer, upstreams, and the admin services. */
export interface Gateway extends ServeContext {
  readonly keys: KeyService;
  readonly plans: PlanService;
  readonly deployments: DeploymentService;
  readonly guardrails: GuardrailService;
  readonly usage: UsageService;
  /** Request logs of deployments that have logging on: read, delete, expire. */
  readonly requestLogs: RequestLogService;
  /** The deployments' last health checks (shown by `/api/deployments`, used by the router). */
  readonly health: HealthMonitor;
  /** Sends background failures (settlement) to the server's log once it exists. */
  attachLogger(log: FastifyBaseLogger): void;
  /** Registers the gateway's Prometheus counters on the server's registry. */
  attachMetrics(registry: Registry): void;
  /** Waits for pending ledger rows, stops listening, closes Redis and upstream connections. */
  stop(): Promise<void>;
}

const noLocalEngine: LocalModels = {
  runtime: async (id) => {
    throw new Error(`no in-process engine is configured to load model version ${id}`);
  },
  generate: async (id) => {
    throw new Error(`no in-process engine is configured to load model version ${id}`);
  },
};

/**
 * Builds and starts the gateway: loads the caches, subscribes to changes, and (in-process counters) rebuilds
 * this month's quota totals from the ledger so a restart never resets a quota; Redis totals are rebuilt on
 * demand when missing.
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const { store } = options;
  const catalog = new GatewayCatalog(store, { secretFromEnv: options.secretFromEnv });
  let log = options.log;
  const ledger = new LedgerWriter(store, { journalDir: options.ledgerJournalDir, onError: (err) => log?.error({ err }, 'gateway: writing journaled usage rows to the database failed; retrying') });
  // Only journaled rows can be settled in Redis before they are in the database, so only they need draining
  // before a rebuild reads the ledger (and a direct-mode writer under load may never be idle).
  const drainJournal = () => (ledger.journaling ? ledger.settled() : Promise.resolve());
  const limiter: Limiter = options.redisUrl
    ? new RedisLimiter({ url: options.redisUrl, timeoutMs: options.redisTimeoutMs ?? 250, ledger: ledgerMonthTotals(store, drainJournal) })
    : new MemoryLimiter();
  const agents: UpstreamAgents = createUpstreamAgents();
  const countText = options.countText ?? ((text: string) => gpt2Tokenizer().encode(text).length);
  const httpProbe = httpHealthProbe(agents);
  const localProbe = options.localReadiness ? localHealthProbe(options.localReadiness) : undefined;
  const health = new HealthMonitor({
    deployments: () => catalog.deployments(),
    checks: (d) => d.kind !== 'local' || localProbe !== undefined,
    probe: (d, timeoutMs) => (d.kind === 'local' && localProbe ? localProbe(d, timeoutMs) : httpProbe(d, timeoutMs)),
    intervalMs: options.healthCheck?.intervalMs ?? 15_000,
    timeoutMs: options.healthCheck?.timeoutMs ?? 2_000,
  });
  const router = new UpstreamRouter({
    local: new LocalUpstream(options.localModels ?? noLocalEngine),
    http: new HttpUpstream({ agents, countText }),
    deploymentById: (id) => catalog.deploymentById(id),
    backoffMs: options.retryBackoffMs,
    healthOf: (d) => health.of(d),
    onUnreachable: (d, message) => health.reportUnreachable(d, message),
  });
  const streamJournal = options.streamJournalDir === undefined ? undefined : new StreamJournal(options.streamJournalDir, options.streamProgressMs ?? 1000, countText, (err) => log?.error({ err }, 'gateway: stream journal'));
  try {
    // Rows a crash left in the journal reach the ledger before the quota totals are rebuilt from it.
    const replayed = await ledger.open();
    if (replayed > 0) log?.info({ rows: replayed }, 'gateway: replayed usage rows from the ledger journal');
    // So do the streams a crash cut: billed `cancelled` for what their journal says was delivered.
    const recovered = streamJournal ? await recoverInterruptedStreams(streamJournal, ledger) : 0;
    if (recovered > 0) log?.info({ streams: recovered }, 'gateway: billed interrupted streams from the stream journal');
    await catalog.start();
    // Redis rebuilds a missing total when a request needs it; a Redis still away at start is not fatal.
    if (limiter.monthTotals === 'at-start') await rebuildMonthlyTotals(store, limiter, Date.now());
    else await limiter.ping().catch((err: unknown) => log?.warn({ err }, 'gateway: Redis does not answer yet; metered requests fail with QD_OVERLOADED until it does'));
    health.start();
  } catch (err) {
    await ledger.drain().catch(() => {});
    await streamJournal?.close();
    await catalog.stop();
    await limiter.close();
    throw err;
  }
  const metrics = new GatewayMetrics();
  // The error is logged without the rows: they hold request text, which the server's log never does.
  const requestLog = new RequestLogWriter(store, {
    onFailure: (reason, rows, err) => {
      metrics.requestLogFailed(reason, rows);
      log?.error({ reason, rows, code: (err as { code?: unknown } | undefined)?.code }, 'gateway: request log rows were not written');
    },
  });
  const deploymentStore = new DeploymentStore(store, { changed: () => catalog.changed() });
  const classifiers = options.localClassifiers;
  return {
    catalog,
    limiter,
    ledger,
    router,
    metrics,
    streamLimits: options.streamLimits ?? { bufferBytes: 256 * 1024, stallMs: 30_000 },
    streamJournal,
    requestLog,
    requestLogs: new RequestLogService(store),
    keys: new KeyService(store, catalog),
    plans: new PlanService(store, catalog),
    deployments: new DeploymentService(deploymentStore),
    guardrails: new GuardrailService(store, deploymentStore, catalog),
    classify: classifiers ? (id, text) => classifiers.classify(id, text) : undefined,
    usage: new UsageService(store, () => ledger.settled()),
    health,
    onBackgroundError: (err, what) => log?.error({ err }, `gateway: ${what} failed`),
    attachLogger(l) {
      log = l;
    },
    attachMetrics(registry) {
      metrics.attach(registry);
    },
    async stop() {
      await health.stop();
      await ledger.drain();
      await requestLog.drain();
      await streamJournal?.close();
      await catalog.stop();
      await limiter.close();
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
