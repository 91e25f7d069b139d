import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { AnalyticsService } from './analytics/index.js';
import { AdminTokens, TeamService } from './auth/index.js';
import { CreditService, createBillingServices } from './billing/index.js';
import { ChannelService } from './channels/index.js';
import { CustomerPrivacy, CustomerService } from './customers/index.js';
import { StartupDemo, type DemoOptions } from './demo/index.js';
import { environmentSecret, type Config } from './config/index.js';
import { createFineTuning } from './fine-tuning/index.js';
import { startGateway, type Gateway } from './gateway/index.js';
import { ClassifierPool, engineClassifierLoader, engineRuntimeLoader, RuntimePool, versionReadiness, type ClassifierLoader, type RuntimeLoader, type VersionLookup } from './inference/index.js';
import { createPartnerServices, partnerSessionResolver } from './partners/index.js';
import { createPipelineServices, ensureBundledModel } from './pipeline/index.js';
import { buildServer, connectableUrl, createMetrics, localCliTokenName, removeLocalServer, writeLocalServer, type ServerOptions, type Services } from './server/index.js';
import { openStore } from './store/index.js';
import { createStrategyServices } from './strategy/index.js';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** A running Qudao: its server, the URL it listens on, and a graceful stop. */
export interface RunningApp {
  readonly app: FastifyInstance;
  readonly services: Services;
  readonly url: string;
  /** A newly created admin token, present only on the very first start (print it once). */
  readonly createdAdminToken: string | undefined;
  /** Stops accepting, lets in-flight requests finish (up to the shutdown timeout), closes the store. */
  stop(): Promise<void>;
}

/** What tests and embedders may plug in beside the configuration. */
export interface AppExtras {
  /** Loads in-process models for `local` deployments (the engine's loader, or a fake in tests). */
  readonly runtimeLoader?: RuntimeLoader;
  /** Loads in-process classifiers for classifier guardrails (the engine's loader, or a fake in tests). */
  readonly classifierLoader?: ClassifierLoader;
  /** Options of the first-start demo (tests pass a smaller scale or a fixed seed); the defaults otherwise. */
  readonly demo?: Omit<DemoOptions, 'signal'>;
  /** Where the server's structured log lines go instead of stdout (the privacy tests read every line). */
  readonly logStream?: ServerOptions['logStream'];
}

/**
 * The composition root: builds config-dependent services, the store and the server, then listens.
 * Nothing else in the code base constructs long-lived services.
 */
export async function startApp(config: Config, extras: AppExtras = {}): Promise<RunningApp> {
  const store = await openStore(config);
  let gateway: Gateway | undefined;
  let pipelineDir: string | undefined;
  const removeTempPipelineDir = () => {
    if (config.dataDir === 'memory://' && pipelineDir) rmSync(pipelineDir, { recursive: true, force: true });
  };
  try {
    const adminTokens = new AdminTokens(store);
    const { created } = await adminTokens.ensure(config.adminToken, config.ownerEmail);
    await adminTokens.start();
    const team = new TeamService(store, adminTokens);
    // Pipeline runs started through /api execute in `qudao runs worker` child processes of this same checkout.
    // With an in-memory store, registered checkpoints go to a temporary folder removed at stop (not to ./memory:/models).
    pipelineDir = config.dataDir === 'memory://' ? mkdtempSync(join(tmpdir(), 'qudao-memory-')) : config.dataDir;
    const pipeline = createPipelineServices(store, { dataDir: pipelineDir, workerCommand: [process.execPath, fileURLToPath(new URL('../bin/qudao.js', import.meta.url))] });
    // In-process serving (inference) finds versions through the registry, as a plain function; the gateway routes to it.
    const lookup: VersionLookup = (id) => pipeline.registry.filesOf(id);
    const localModels = new RuntimePool(extras.runtimeLoader ?? engineRuntimeLoader({ lookup, threads: config.threads, kernels: config.kernels }));
    const localClassifiers = new ClassifierPool(extras.classifierLoader ?? engineClassifierLoader({ lookup, threads: config.threads, kernels: config.kernels }));
    gateway = await startGateway({ localClassifiers, store, redisUrl: config.redisUrl, redisTimeoutMs: config.redisTimeoutMs, ledgerJournalDir: ledgerJournalDir(config, store.kind), streamLimits: { bufferBytes: config.streamBufferBytes, stallMs: config.streamStallMs }, streamJournalDir: config.dataDir === 'memory://' ? undefined : join(config.dataDir, 'stream-journal'), streamProgressMs: config.streamProgressMs, healthCheck: { intervalMs: config.healthCheckIntervalMs, timeoutMs: config.healthCheckTimeoutMs }, secretFromEnv: environmentSecret, localModels, localReadiness: extras.runtimeLoader ? undefined : versionReadiness(lookup) });
    const channels = new ChannelService(store);
    await channels.ensureDefaultTypes();
    const customers = new CustomerService(store);
    // An erasure revokes keys: this replica's key cache reloads before the answer (and tells the others).
    const started = gateway;
    const customerPrivacy = new CustomerPrivacy(store, { changed: () => started.catalog.changed() });
    const partners = createPartnerServices(store, { keys: gateway.keys });
    const strategy = createStrategyServices(store);
    const analytics = new AnalyticsService(store);
    const billing = createBillingServices(store, { refreshKpis: () => analytics.refresh() });
    // A credit or billing-mode change reloads this replica's customer cache before the answer and tells the others.
    const credits = new CreditService(store, { changed: () => started.catalog.changed(), ledgerSettled: () => (started.ledger.journaling ? started.ledger.settled() : Promise.resolve()) });
    await pipeline.runs.markInterrupted();
    // Fine-tuning jobs run in the pipeline's worker; jobs a restart interrupted are queued again (after markInterrupted).
    const fineTuning = createFineTuning(store, gateway.catalog, pipeline, { workDir: pipelineDir, maxFileBytes: config.fineTuningFileMaxBytes, onError: (err, what) => started.onBackgroundError(err, what) });
    await fineTuning.jobs.start();
    // The bundled model belongs to the starter workspace: registered and deployed on an empty registry unless demo is off.
    if (config.demo) await ensureBundledModel(pipeline, fileURLToPath(new URL('../models/bundled', import.meta.url)));
    const demo = new StartupDemo();
    const services: Services = { config, store, adminTokens, team, metrics: createMetrics(), version: packageJson.version, startedAt: new Date(), analytics, demo, gateway, channels, customers, customerPrivacy, partners, billing, strategy, pipeline, credits, fineTuning };
    const serverOptions: ServerOptions = {
      webRoot: fileURLToPath(new URL('../dist/web', import.meta.url)),
      principalResolvers: [partnerSessionResolver(partners.users)],
      logStream: extras.logStream,
    };
    const app = await buildServer(services, serverOptions);
    gateway.attachLogger(app.log);
    gateway.attachMetrics(services.metrics);
    await app.listen({ host: config.host, port: config.port });
    // Rollups first catch up with the ledger, then follow it; the demo (first start only) runs in the background.
    const stopRollupRefresh = analytics.startAutoRefresh(60_000, (err) => app.log.error({ err }, 'analytics: rollup refresh failed'));
    // Request logs past their deployment's retention are deleted in the background (privacy).
    const stopRequestLogRetention = gateway.requestLogs.startRetention(config.requestLogRetentionIntervalMs, () => new Date(), (err) => app.log.error({ err }, 'privacy: request log retention failed'));
    if (config.demo) await demo.startIfEmpty(store, { info: (m) => app.log.info(m), error: (m) => app.log.error(m) }, extras.demo);
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    const url = `http://${host}:${port}`;
    // The CLI on this machine finds the server that owns the data folder (and a token for this start) here.
    const localFolder = config.dataDir !== 'memory://';
    if (localFolder) await writeLocalServer(config.dataDir, { pid: process.pid, url: connectableUrl(url), adminToken: await adminTokens.rotate(localCliTokenName(config.dataDir)) });
    let stopping: Promise<void> | undefined;
    return {
      app,
      services,
      url,
      createdAdminToken: created,
      stop() {
        stopping ??= (async () => {
          const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), config.shutdownTimeoutMs).unref());
          const closed = app.close().then(() => 'closed' as const);
          if ((await Promise.race([closed, timer])) === 'timeout') {
            app.log.warn('shutdown timeout: closing remaining connections');
            app.server.closeAllConnections();
            await closed;
          }
          if (localFolder) {
            removeLocalServer(config.dataDir);
            await adminTokens.revokeNamed(localCliTokenName(config.dataDir)).catch(() => undefined);
          }
          await demo.stop();
          // Before the workers stop: a job their stop interrupts stays running and resumes on the next start.
          await fineTuning.jobs.stop();
          await pipeline.manager.stopAll();
          await strategy.methods.close();
          await stopRollupRefresh();
          await stopRequestLogRetention();
          await gateway?.stop();
          await adminTokens.stop();
          await store.close();
          removeTempPipelineDir();
        })();
        return stopping;
      },
    };
  } catch (err) {
    await gateway?.stop();
    await store.close();
    removeTempPipelineDir();
    throw err;
  }
}

/** The usage ledger journal's folder, or undefined for direct commits (see the `ledgerJournal` setting). */
function ledgerJournalDir(config: Config, storeKind: 'pglite' | 'postgres'): string | undefined {
  const on = config.ledgerJournal === 'on' || (config.ledgerJournal === 'auto' && storeKind === 'pglite' && config.dataDir !== 'memory://');
  return on ? join(config.dataDir, 'ledger-journal') : undefined;
}
