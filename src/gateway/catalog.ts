import { asc, eq } from 'drizzle-orm';
import { hashSecret } from '../auth/index.js';
import type { Store } from '../store/index.js';
import { CACHE_CHANNEL, schema } from '../store/index.js';
import { compileGuardrail, type CompiledGuardrail } from './guardrails/rules.js';
import { creditedTotals } from './limits/prepaid.js';
import type { GatewayCustomer, GatewayDeployment, GatewayKey, GatewayPlan } from './types.js';
import { upstreamProviders, type UpstreamProviderName } from '../shared/contract/gateway.js';

/** Options of {@link GatewayCatalog}. */
export interface CatalogOptions {
  /** Resolves an upstream's API key from the environment variable a deployment names. */
  readonly secretFromEnv: (name: string) => string | undefined;
  /** Full reload period as a safety net for missed notifications (ms); 0 disables. */
  readonly refreshIntervalMs?: number;
}

interface Snapshot {
  keysByHash: Map<string, GatewayKey>;
  /** Secrets of this snapshot's keys already presented, with their hash (see {@link GatewayCatalog.hashOfSecret}). */
  secretHashes: Map<string, string>;
  plans: Map<string, GatewayPlan>;
  customers: Map<string, GatewayCustomer>;
  deploymentsByName: Map<string, GatewayDeployment>;
  deploymentsById: Map<string, GatewayDeployment>;
  /** Enabled guardrails by deployment id, compiled, in the order they run. */
  guardrails: Map<string, readonly CompiledGuardrail[]>;
}

/** Most secrets {@link GatewayCatalog.hashOfSecret} remembers per snapshot. */
const SECRET_CACHE_SIZE = 4_096;

const emptySnapshot = (): Snapshot => ({ keysByHash: new Map(), secretHashes: new Map(), plans: new Map(), customers: new Map(), deploymentsByName: new Map(), deploymentsById: new Map(), guardrails: new Map() });
const noGuardrails: readonly CompiledGuardrail[] = Object.freeze([]);

/**
 * The in-memory cache of keys, plans, customers, deployments and their guardrails that the hot path reads. A reload swaps a
 * whole new snapshot in one assignment, so a request never sees half of a change. Any process that changes
 * one of these tables calls {@link GatewayCatalog.changed}, which reloads here and NOTIFYs the other replicas.
 */
export class GatewayCatalog {
  private snapshot: Snapshot = emptySnapshot();
  private unlisten: (() => Promise<void>) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reloading: Promise<void> | undefined;
  private reloadAgain = false;

  constructor(
    private readonly store: Store,
    private readonly options: CatalogOptions,
  ) {}

  /** Loads the snapshot and subscribes to change notifications. */
  async start(): Promise<void> {
    await this.reload();
    this.unlisten = await this.store.listen(CACHE_CHANNEL, () => void this.reload().catch(() => {}));
    const every = this.options.refreshIntervalMs ?? 30_000;
    if (every > 0) {
      this.timer = setInterval(() => void this.reload().catch(() => {}), every);
      this.timer.unref();
    }
  }

  /** Stops listening. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.unlisten?.();
  }

  /**
   * Reloads and tells the other replicas to reload (call after any change to the cached tables). Inside
   * a transaction (an audited `/api` mutation) this happens after the commit, before the answer: a reload
   * inside it would cache a change that may still roll back, and on PGlite a reload already in flight
   * outside it would wait for the transaction that waits for it.
   */
  async changed(): Promise<void> {
    await this.store.afterCommit(async () => {
      await this.reload();
      await this.store.notify(CACHE_CHANNEL, 'changed');
    });
  }

  /** Re-reads every cached table; concurrent calls coalesce into at most one extra reload. */
  reload(): Promise<void> {
    if (this.reloading) {
      this.reloadAgain = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      try {
        do {
          this.reloadAgain = false;
          this.snapshot = await this.load();
        } while (this.reloadAgain);
      } finally {
        this.reloading = undefined;
      }
    })();
    return this.reloading;
  }

  /** The key with this SHA-256 hash, or undefined. */
  keyByHash(hash: string): GatewayKey | undefined {
    return this.snapshot.keysByHash.get(hash);
  }

  /**
   * The SHA-256 of a presented secret, remembered for secrets of known keys: hashing is most of a
   * request's key check, and a client sends the same key again and again. Only secrets whose hash is a
   * key of this snapshot are kept (guesses fill nothing), at most {@link SECRET_CACHE_SIZE}, and they are
   * dropped with the snapshot at every reload (a revoked key's secret is forgotten with it).
   */
  hashOfSecret(secret: string): string {
    const { secretHashes, keysByHash } = this.snapshot;
    const cached = secretHashes.get(secret);
    if (cached !== undefined) return cached;
    const hash = hashSecret(secret);
    if (secretHashes.size < SECRET_CACHE_SIZE && keysByHash.has(hash)) secretHashes.set(secret, hash);
    return hash;
  }

  plan(id: string): GatewayPlan | undefined {
    return this.snapshot.plans.get(id);
  }

  customer(id: string): GatewayCustomer | undefined {
    return this.snapshot.customers.get(id);
  }

  deploymentByName(name: string): GatewayDeployment | undefined {
    return this.snapshot.deploymentsByName.get(name);
  }

  deploymentById(id: string): GatewayDeployment | undefined {
    return this.snapshot.deploymentsById.get(id);
  }

  /** A deployment's enabled guardrails, compiled, in the order they run (empty when it has none). */
  guardrailsOf(deploymentId: string): readonly CompiledGuardrail[] {
    return this.snapshot.guardrails.get(deploymentId) ?? noGuardrails;
  }

  /** Every active deployment, oldest first. */
  deployments(): GatewayDeployment[] {
    return [...this.snapshot.deploymentsByName.values()];
  }

  private async load(): Promise<Snapshot> {
    const { db } = this.store;
    const [keys, plans, customers, credited, deployments, guardrails] = await Promise.all([
      db.select().from(schema.apiKeys),
      db.select().from(schema.pricePlans),
      db.select().from(schema.customers),
      creditedTotals(this.store),
      db.select().from(schema.deployments),
      db.select().from(schema.guardrails).where(eq(schema.guardrails.enabled, true)).orderBy(asc(schema.guardrails.position), asc(schema.guardrails.createdAt)),
    ]);
    const next = emptySnapshot();
    for (const k of keys) next.keysByHash.set(k.keyHash, Object.freeze(toKey(k)));
    for (const p of plans) next.plans.set(p.id, Object.freeze(toPlan(p)));
    for (const c of customers) next.customers.set(c.id, Object.freeze(toCustomer(c, credited.get(c.id) ?? 0)));
    for (const d of deployments) {
      if (d.status !== 'active') continue;
      const dep = Object.freeze(toDeployment(d, this.options.secretFromEnv));
      next.deploymentsByName.set(dep.name, dep);
      next.deploymentsById.set(dep.id, dep);
    }
    for (const g of guardrails) {
      const compiled = compileGuardrail(g);
      if (!compiled) continue;
      next.guardrails.set(g.deploymentId, [...(next.guardrails.get(g.deploymentId) ?? []), Object.freeze(compiled)]);
    }
    return next;
  }
}

function toKey(k: typeof schema.apiKeys.$inferSelect): GatewayKey {
  const models = Array.isArray(k.models) ? (k.models as unknown[]).filter((m): m is string => typeof m === 'string') : [];
  return {
    id: k.id,
    prefix: k.prefix,
    keyHash: k.keyHash,
    customerId: k.customerId,
    channelId: k.channelId,
    partnerId: k.partnerId,
    planId: k.planId,
    models,
    status: k.status,
    expiresAtMs: k.expiresAt ? k.expiresAt.getTime() : null,
    timeoutMs: k.timeoutMs ?? null,
  };
}

function toPlan(p: typeof schema.pricePlans.$inferSelect): GatewayPlan {
  return {
    id: p.id,
    name: p.name,
    inputPer1mMicros: p.inputPer1mMicros,
    outputPer1mMicros: p.outputPer1mMicros,
    trainingPer1mMicros: p.trainingPer1mMicros,
    rpmLimit: p.rpmLimit,
    tpmLimit: p.tpmLimit,
    monthlyTokenQuota: p.monthlyTokenQuota,
  };
}

function toCustomer(c: typeof schema.customers.$inferSelect, creditedMicros: number): GatewayCustomer {
  return {
    id: c.id,
    acquiredPartnerId: c.acquiredPartnerId,
    acquiredCampaignId: c.acquiredCampaignId,
    spendBudgetMicros: c.spendBudgetMicros,
    monthlyTokenQuota: c.monthlyTokenQuota,
    status: c.status,
    billingMode: c.billingMode === 'prepaid' ? 'prepaid' : 'postpaid',
    prepaidSinceMs: c.prepaidSince ? c.prepaidSince.getTime() : null,
    creditedMicros,
    lowBalanceMicros: c.lowBalanceMicros,
  };
}

function isProviderName(p: string): p is UpstreamProviderName {
  return (upstreamProviders as readonly string[]).includes(p);
}

function toDeployment(d: typeof schema.deployments.$inferSelect, secretFromEnv: (name: string) => string | undefined): GatewayDeployment {
  return {
    id: d.id,
    name: d.name,
    kind: d.kind === 'local' ? 'local' : 'upstream',
    modelVersionId: d.modelVersionId,
    upstreamUrl: d.upstreamUrl,
    upstreamModel: d.upstreamModel,
    provider: isProviderName(d.provider) ? d.provider : 'openai-compatible',
    apiVersion: d.apiVersion,
    upstreamApiKey: d.upstreamKeyEnv ? (secretFromEnv(d.upstreamKeyEnv) ?? null) : null,
    fallbackDeploymentId: d.fallbackDeploymentId,
    timeoutMs: d.timeoutMs,
    maxRetries: d.maxRetries,
    costInputPer1mMicros: d.costInputPer1mMicros,
    costOutputPer1mMicros: d.costOutputPer1mMicros,
    ownerPartnerId: d.ownerPartnerId,
    ownerCustomerId: d.ownerCustomerId,
    createdAtMs: d.createdAt.getTime(),
    requestLogEnabled: d.requestLogEnabled,
  };
}
