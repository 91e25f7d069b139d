/**
 * Step 6 of the pipeline, deploy and roll back: which model version a public name serves. The rows and the
 * cache notification belong to the store's {@link DeploymentStore}; this module resolves versions, checks
 * they can be served, and walks the trail.
 */
import { QudaoError } from '../../errors/index.js';
import type { DeploymentHistoryRow, DeploymentRow, DeploymentStore } from '../../store/index.js';
import type { ModelRegistry } from './registry.js';

export type { DeploymentHistoryRow, DeploymentRow };

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
  /** Restricts the deployment to one customer's keys (a customer's fine-tune, src/fine-tuning). */
  readonly ownerCustomerId?: string | null;
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
    private readonly deployments: DeploymentStore,
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
    const existing = await this.deployments.byName(input.name);
    const costs = {
      ...(input.costInputPer1mMicros === undefined ? {} : { costInputPer1mMicros: input.costInputPer1mMicros }),
      ...(input.costOutputPer1mMicros === undefined ? {} : { costOutputPer1mMicros: input.costOutputPer1mMicros }),
      ...(input.ownerPartnerId === undefined ? {} : { ownerPartnerId: input.ownerPartnerId }),
      ...(input.ownerCustomerId === undefined ? {} : { ownerCustomerId: input.ownerCustomerId }),
    };
    if (existing) {
      // Every deploy is an entry of the trail, even of the version already served.
      await this.deployments.update(existing.id, { kind: 'local', modelVersionId: version.id, upstreamUrl: null, upstreamModel: null, status: 'active', ...costs }, 'always');
    } else {
      await this.deployments.create({ name: input.name, kind: 'local', modelVersionId: version.id, ...costs });
    }
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
    await this.deployments.update(deployment.id, { kind: 'local', modelVersionId: targetId }, 'always');
    return this.view(name);
  }

  /** A deployment and its trail (oldest first); QD_NOT_FOUND when absent. */
  async view(name: string): Promise<DeploymentView> {
    const deployment = await this.deployments.byName(name);
    if (!deployment) throw new QudaoError('QD_NOT_FOUND', `no deployment named "${name}"; see npx qudao deployments list`);
    return { deployment, history: await this.deployments.history(deployment.id) };
  }

  /** Every deployment (local and upstream), by name. */
  async list(): Promise<DeploymentRow[]> {
    return this.deployments.list('name');
  }
}
