import { asc, eq } from 'drizzle-orm';
import { QudaoError } from '../../errors/index.js';
import { newId, schema, type Store } from '../../store/index.js';
import type { GatewayCatalog } from '../catalog.js';

/** A deployment row. */
export type DeploymentRow = typeof schema.deployments.$inferSelect;

/** Fields of a deployment an admin sets. */
export interface DeploymentInput {
  readonly name: string;
  readonly kind: 'local' | 'upstream';
  readonly modelVersionId?: string | null | undefined;
  readonly upstreamUrl?: string | null | undefined;
  readonly upstreamModel?: string | null | undefined;
  readonly upstreamKeyEnv?: string | null | undefined;
  readonly fallbackDeploymentId?: string | null | undefined;
  readonly timeoutMs?: number | undefined;
  readonly maxRetries?: number | undefined;
  readonly costInputPer1mMicros?: number | undefined;
  readonly costOutputPer1mMicros?: number | undefined;
  readonly ownerPartnerId?: string | null | undefined;
}

function checkShape(d: Pick<DeploymentRow, 'kind' | 'modelVersionId' | 'upstreamUrl'>): void {
  if (d.kind === 'local' && !d.modelVersionId) throw new QudaoError('QD_INVALID_REQUEST', 'a local deployment needs model_version_id', { param: 'model_version_id' });
  if (d.kind === 'upstream' && !d.upstreamUrl) throw new QudaoError('QD_INVALID_REQUEST', 'an upstream deployment needs upstream_url', { param: 'upstream_url' });
}

/**
 * Creates, lists, repoints and archives deployments. Every change of what a deployment points at is
 * appended to `deployment_history` (the rollback trail) and reaches every replica's cache.
 */
export class DeploymentService {
  constructor(
    private readonly store: Store,
    private readonly catalog: GatewayCatalog,
  ) {}

  async createDeployment(input: DeploymentInput): Promise<DeploymentRow> {
    checkShape({ kind: input.kind, modelVersionId: input.modelVersionId ?? null, upstreamUrl: input.upstreamUrl ?? null });
    const existing = await this.store.db.select({ id: schema.deployments.id }).from(schema.deployments).where(eq(schema.deployments.name, input.name));
    if (existing[0]) throw new QudaoError('QD_CONFLICT', `a deployment named "${input.name}" already exists`, { param: 'name' });
    const row = await this.store.db.transaction(async (tx) => {
      const [d] = await tx.insert(schema.deployments).values({ id: newId('dep'), ...input }).returning();
      await tx.insert(schema.deploymentHistory).values({ id: newId('dph'), deploymentId: d!.id, modelVersionId: d!.modelVersionId, upstreamUrl: d!.upstreamUrl });
      return d!;
    });
    await this.catalog.changed();
    return row;
  }

  async listDeployments(): Promise<DeploymentRow[]> {
    return this.store.db.select().from(schema.deployments).orderBy(asc(schema.deployments.createdAt));
  }

  async getDeployment(idOrName: string): Promise<DeploymentRow> {
    const rows = await this.store.db.select().from(schema.deployments).where(idOrName.startsWith('dep_') ? eq(schema.deployments.id, idOrName) : eq(schema.deployments.name, idOrName));
    if (!rows[0]) throw new QudaoError('QD_NOT_FOUND', `no deployment ${idOrName}`);
    return rows[0];
  }

  /** Changes a deployment; a new target (version or URL) is recorded in the history. */
  async updateDeployment(idOrName: string, patch: Partial<DeploymentInput> & { status?: 'active' | 'archived' }): Promise<DeploymentRow> {
    const current = await this.getDeployment(idOrName);
    const next = { ...current, ...patch };
    checkShape(next);
    const row = await this.store.db.transaction(async (tx) => {
      const [d] = await tx.update(schema.deployments).set({ ...patch, updatedAt: new Date() }).where(eq(schema.deployments.id, current.id)).returning();
      if (d!.modelVersionId !== current.modelVersionId || d!.upstreamUrl !== current.upstreamUrl) {
        await tx.insert(schema.deploymentHistory).values({ id: newId('dph'), deploymentId: d!.id, modelVersionId: d!.modelVersionId, upstreamUrl: d!.upstreamUrl });
      }
      return d!;
    });
    await this.catalog.changed();
    return row;
  }
}
