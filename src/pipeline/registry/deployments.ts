import { asc, desc, eq } from 'drizzle-orm';
import { QudaoError } from '../../errors/index.js';
import { newId, schema, type Store } from '../../store/index.js';
import type { ModelRegistry } from './registry.js';

/** A deployment row. */
export type DeploymentRow = typeof schema.deployments.$inferSelect;
/** One entry of a deployment's trail. */
export type DeploymentHistoryRow = typeof schema.deploymentHistory.$inferSelect;

/**
 * The channel the gateway's deployment cache listens on (src/gateway/catalog.ts, `CACHE_CHANNEL`); any
 * payload makes every replica reload. Named here rather than imported so the pipeline does not depend on
 * the gateway's internals.
 */
export const GATEWAY_CACHE_CHANNEL = 'qudao_cache';

/** What `deploy` needs: the public name and the version to serve. */
export interface DeployInput {
  /** The name clients pass as `model` on /v1. */
  readonly name: string;
  /** Version reference: `mv_…`, `model@3` or a model name (its newest ready version). */
  readonly version: string;
  /** What serving costs us per 1M tokens (micro-units), for the ledger's cost column. */
  readonly costInputPer1mMicros?: number;
  readonly costOutputPer1mMicros?: number;
  /** Restricts the deployment to one partner's keys (a partner's fine-tune). */
  readonly ownerPartnerId?: string | null;
}

/** A deployment and the version it serves now. */
export interface DeploymentView {
  readonly deployment: DeploymentRow;
  readonly history: readonly DeploymentHistoryRow[];
}

/**
 * Step 6 of the pipeline, deploy: points a public model name at one immutable model version, keeps the
 * trail in `deployment_history`, and rolls back along it. Every change notifies the gateway's cache.
 */
export class Deployer {
  constructor(
    private readonly store: Store,
    private readonly registry: ModelRegistry,
  ) {}

  /** Creates or repoints the deployment `name` to a version; returns it with its trail. */
  async deploy(input: DeployInput): Promise<DeploymentView> {
    if (!/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/.test(input.name)) {
      throw new QudaoError('QD_INVALID_REQUEST', `deployment name "${input.name}" may hold letters, digits and . _ : / - (at most 128)`, { param: 'name' });
    }
    const version = await this.registry.version(input.version);
    if ((version.config as { classifier?: unknown }).classifier !== undefined) {
      throw new QudaoError('QD_CONFLICT', `${version.modelName}@${version.version} is a classifier; the gateway serves language models`, { param: 'version' });
    }
    if (version.status !== 'ready') throw new QudaoError('QD_CONFLICT', `version ${version.modelName}@${version.version} is ${version.status}; deploy a ready version`, { param: 'version' });
    const existing = await this.find(input.name);
    const costs = {
      ...(input.costInputPer1mMicros === undefined ? {} : { costInputPer1mMicros: input.costInputPer1mMicros }),
      ...(input.costOutputPer1mMicros === undefined ? {} : { costOutputPer1mMicros: input.costOutputPer1mMicros }),
      ...(input.ownerPartnerId === undefined ? {} : { ownerPartnerId: input.ownerPartnerId }),
    };
    const id = existing?.id ?? newId('dep');
    const changedAt = await this.nextChangeTime(id);
    await this.store.db.transaction(async (tx) => {
      if (existing) {
        await tx.update(schema.deployments)
          .set({ kind: 'local', modelVersionId: version.id, upstreamUrl: null, upstreamModel: null, status: 'active', updatedAt: new Date(), ...costs })
          .where(eq(schema.deployments.id, id));
      } else {
        await tx.insert(schema.deployments).values({ id, name: input.name, kind: 'local', modelVersionId: version.id, ...costs });
      }
      await tx.insert(schema.deploymentHistory).values({ id: newId('dph'), deploymentId: id, modelVersionId: version.id, changedAt });
    });
    await this.notifyGateway();
    return this.view(input.name);
  }

  /**
   * Points `name` back at the version it served before the current one (or at `to`, a version reference
   * that must appear in its trail). Rolling back twice returns to where it started: each rollback is itself
   * an entry of the trail.
   */
  async rollback(name: string, to?: string): Promise<DeploymentView> {
    const { deployment, history } = await this.view(name);
    const current = deployment.modelVersionId;
    let targetId: string | null | undefined;
    if (to !== undefined) {
      const v = await this.registry.version(to);
      if (!history.some((h) => h.modelVersionId === v.id)) throw new QudaoError('QD_CONFLICT', `deployment ${name} never served ${v.modelName}@${v.version}; deploy it instead`, { param: 'to' });
      targetId = v.id;
    } else {
      // The trail is oldest first; the newest entry is the current version.
      targetId = [...history].reverse().find((h, i) => i > 0 && h.modelVersionId !== current)?.modelVersionId;
    }
    if (!targetId) throw new QudaoError('QD_CONFLICT', `deployment ${name} has no earlier version to roll back to`);
    // Read before the transaction: PGlite has one connection, so a query outside `tx` would wait forever.
    const changedAt = await this.nextChangeTime(deployment.id);
    await this.store.db.transaction(async (tx) => {
      await tx.update(schema.deployments).set({ kind: 'local', modelVersionId: targetId, updatedAt: new Date() }).where(eq(schema.deployments.id, deployment.id));
      await tx.insert(schema.deploymentHistory).values({ id: newId('dph'), deploymentId: deployment.id, modelVersionId: targetId, changedAt });
    });
    await this.notifyGateway();
    return this.view(name);
  }

  /** A deployment and its trail (oldest first); QD_NOT_FOUND when absent. */
  async view(name: string): Promise<DeploymentView> {
    const deployment = await this.find(name);
    if (!deployment) throw new QudaoError('QD_NOT_FOUND', `no deployment named "${name}"; see npx qudao deployments list`);
    const history = await this.store.db.select().from(schema.deploymentHistory).where(eq(schema.deploymentHistory.deploymentId, deployment.id)).orderBy(asc(schema.deploymentHistory.changedAt));
    return { deployment, history };
  }

  /** Every deployment (local and upstream), by name. */
  async list(): Promise<DeploymentRow[]> {
    return this.store.db.select().from(schema.deployments).orderBy(asc(schema.deployments.name));
  }

  private async find(name: string): Promise<DeploymentRow | undefined> {
    const [row] = await this.store.db.select().from(schema.deployments).where(eq(schema.deployments.name, name));
    return row;
  }

  /** Strictly after the newest entry, so the trail's order never depends on clock resolution. */
  private async nextChangeTime(deploymentId: string): Promise<Date> {
    const [last] = await this.store.db.select({ at: schema.deploymentHistory.changedAt }).from(schema.deploymentHistory)
      .where(eq(schema.deploymentHistory.deploymentId, deploymentId)).orderBy(desc(schema.deploymentHistory.changedAt)).limit(1);
    return new Date(Math.max(Date.now(), (last?.at.getTime() ?? 0) + 1));
  }

  private async notifyGateway(): Promise<void> {
    await this.store.notify(GATEWAY_CACHE_CHANNEL, 'deployments');
  }
}
