import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { AnalyticsService } from './analytics/index.js';
import { AdminTokens } from './auth/index.js';
import { ChannelService } from './channels/index.js';
import { CustomerService } from './customers/index.js';
import { StartupDemo, type DemoOptions } from './demo/index.js';
import { environmentSecret, type Config } from './config/index.js';
import { engineRuntimeLoader, startGateway, type Gateway, type RuntimeLoader } from './gateway/index.js';
import { createPartnerServices, partnerSessionResolver, portalPublicPaths } from './partners/index.js';
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
  /** `/api` paths reachable without credentials (e.g. the partner login). */
  readonly publicApiPaths: readonly string[];
  /** A newly created admin token, present only on the very first start (print it once). */
  readonly createdAdminToken: string | undefined;
  /** Stops accepting, lets in-flight requests finish (up to the shutdown timeout), closes the store. */
  stop(): Promise<void>;
}

/** What tests and embedders may plug in beside the configuration. */
export interface AppExtras {
  /** Loads in-process models for `local` deployments (the engine's loader, or a fake in tests). */
  readonly runtimeLoader?: RuntimeLoader;
  /** Options of the first-start demo (tests pass a smaller scale or a fixed seed); the defaults otherwise. */
  readonly demo?: Omit<DemoOptions, 'signal'>;
}

/**
 * The composition root: builds config-dependent services, the store and the server, then listens.
 * Nothing else in the code base constructs long-lived services.
 */
export async function startApp(config: Config, extras: AppExtras = {}): Promise<RunningApp> {
  const store = await openStore(config);
  let gateway: Gateway | undefined;
  try {
    const adminTokens = new AdminTokens(store);
    const { created } = await adminTokens.ensure(config.adminToken);
    gateway = await startGateway({ store, redisUrl: config.redisUrl, redisTimeoutMs: config.redisTimeoutMs, ledgerJournalDir: ledgerJournalDir(config, store.kind), streamLimits: { bufferBytes: config.streamBufferBytes, stallMs: config.streamStallMs }, streamJournalDir: config.dataDir === 'memory://' ? undefined : join(config.dataDir, 'stream-journal'), streamProgressMs: config.streamProgressMs, healthCheck: { intervalMs: config.healthCheckIntervalMs, timeoutMs: config.healthCheckTimeoutMs }, secretFromEnv: environmentSecret, runtimeLoader: extras.runtimeLoader ?? engineRuntimeLoader({ store, threads: config.threads, kernels: config.kernels }), localHealth: extras.runtimeLoader ? 'none' : 'checkpoint' });
    const channels = new ChannelService(store);
    await channels.ensureDefaultTypes();
    const customers = new CustomerService(store);
    const partners = createPartnerServices(store, { keys: gateway.keys });
    const strategy = createStrategyServices(store);
    const analytics = new AnalyticsService(store);
    // Pipeline runs started through /api execute in `qudao runs worker` child processes of this same checkout.
    const pipeline = createPipelineServices(store, { dataDir: config.dataDir, workerCommand: [process.execPath, fileURLToPath(new URL('../bin/qudao.js', import.meta.url))] });
    await pipeline.runs.markInterrupted();
    // The bundled model belongs to the starter workspace: registered and deployed on an empty registry unless demo is off.
    if (config.demo) await ensureBundledModel(pipeline, fileURLToPath(new URL('../models/bundled', import.meta.url)));
    const demo = new StartupDemo();
    const services: Services = { config, store, adminTokens, metrics: createMetrics(), version: packageJson.version, startedAt: new Date(), analytics, demo, gateway, channels, customers, partners, strategy, pipeline };
    const serverOptions: ServerOptions = {
      webRoot: fileURLToPath(new URL('../dist/web', import.meta.url)),
      publicApiPaths: [...portalPublicPaths],
      principalResolvers: [partnerSessionResolver(partners.users)],
    };
    const app = await buildServer(services, serverOptions);
    gateway.attachLogger(app.log);
    gateway.attachMetrics(services.metrics);
    await app.listen({ host: config.host, port: config.port });
    // Rollups first catch up with the ledger, then follow it; the demo (first start only) runs in the background.
    const stopRollupRefresh = analytics.startAutoRefresh(60_000, (err) => app.log.error({ err }, 'analytics: rollup refresh failed'));
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
      publicApiPaths: serverOptions.publicApiPaths ?? [],
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
          await pipeline.manager.stopAll();
          await strategy.methods.close();
          await stopRollupRefresh();
          await gateway?.stop();
          await store.close();
        })();
        return stopping;
      },
    };
  } catch (err) {
    await gateway?.stop();
    await store.close();
    throw err;
  }
}

/** The usage ledger journal's folder, or undefined for direct commits (see the `ledgerJournal` setting). */
function ledgerJournalDir(config: Config, storeKind: 'pglite' | 'postgres'): string | undefined {
  const on = config.ledgerJournal === 'on' || (config.ledgerJournal === 'auto' && storeKind === 'pglite' && config.dataDir !== 'memory://');
  return on ? join(config.dataDir, 'ledger-journal') : undefined;
}
