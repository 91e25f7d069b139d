/**
 * The admin API's view of deployments (`/api/deployments`): validates what an admin sends and phrases its
 * errors; the rows themselves belong to the store's {@link DeploymentStore}, which this service is built on
 * with the gateway catalog's `changed` as its change hook (this replica's cache reloads before the answer).
 */
import { QudaoError } from '../../errors/index.js';
import type { UpstreamProviderName } from '../../shared/contract/gateway.js';
import type { DeploymentRow, DeploymentStore } from '../../store/index.js';

export type { DeploymentRow };

/** Fields of a deployment an admin sets. */
export interface DeploymentInput {
  readonly name: string;
  readonly kind: 'local' | 'upstream';
  readonly modelVersionId?: string | null | undefined;
  readonly upstreamUrl?: string | null | undefined;
  readonly upstreamModel?: string | null | undefined;
  readonly provider?: UpstreamProviderName | undefined;
  readonly apiVersion?: string | null | undefined;
  readonly upstreamKeyEnv?: string | null | undefined;
  readonly fallbackDeploymentId?: string | null | undefined;
  readonly timeoutMs?: number | undefined;
  readonly maxRetries?: number | undefined;
  readonly costInputPer1mMicros?: number | undefined;
  readonly costOutputPer1mMicros?: number | undefined;
  readonly ownerPartnerId?: string | null | undefined;
  /** Privacy: request logging (off by default) and its retention; either field may be sent alone. */
  readonly requestLog?: { readonly enabled?: boolean | undefined; readonly retentionDays?: number | undefined } | undefined;
}

/** The columns of the request logging settings an admin sent. */
function requestLogColumns(requestLog: DeploymentInput['requestLog']): { requestLogEnabled?: boolean; requestLogRetentionDays?: number } {
  return {
    ...(requestLog?.enabled === undefined ? {} : { requestLogEnabled: requestLog.enabled }),
    ...(requestLog?.retentionDays === undefined ? {} : { requestLogRetentionDays: requestLog.retentionDays }),
  };
}

function checkShape(d: Pick<DeploymentRow, 'kind' | 'modelVersionId' | 'upstreamUrl' | 'provider'>): void {
  if (d.kind === 'local' && !d.modelVersionId) throw new QudaoError('QD_INVALID_REQUEST', 'a local deployment needs modelVersionId', { param: 'modelVersionId' });
  if (d.kind === 'upstream' && !d.upstreamUrl) throw new QudaoError('QD_INVALID_REQUEST', 'an upstream deployment needs upstreamUrl', { param: 'upstreamUrl' });
  if (d.kind === 'local' && d.provider !== 'openai-compatible') throw new QudaoError('QD_INVALID_REQUEST', 'provider is for upstream deployments; a local deployment is served in-process', { param: 'provider' });
}

/**
 * Creates, lists, repoints and archives deployments. Every change of what a deployment points at is
 * appended to `deployment_history` (the rollback trail) and reaches every replica's cache.
 */
export class DeploymentService {
  constructor(private readonly deployments: DeploymentStore) {}

  async createDeployment(input: DeploymentInput): Promise<DeploymentRow> {
    checkShape({ kind: input.kind, modelVersionId: input.modelVersionId ?? null, upstreamUrl: input.upstreamUrl ?? null, provider: input.provider ?? 'openai-compatible' });
    if (await this.deployments.byName(input.name)) throw new QudaoError('QD_CONFLICT', `a deployment named "${input.name}" already exists`, { param: 'name' });
    const { requestLog, ...fields } = input;
    return this.deployments.create({ ...fields, ...requestLogColumns(requestLog) });
  }

  async listDeployments(): Promise<DeploymentRow[]> {
    return this.deployments.list('created');
  }

  async getDeployment(idOrName: string): Promise<DeploymentRow> {
    const row = await this.deployments.find(idOrName);
    if (!row) throw new QudaoError('QD_NOT_FOUND', `no deployment ${idOrName}`);
    return row;
  }

  /** Changes a deployment; a new target (version or URL) is recorded in the history. */
  async updateDeployment(idOrName: string, patch: Partial<DeploymentInput> & { status?: 'active' | 'archived' }): Promise<DeploymentRow> {
    const current = await this.getDeployment(idOrName);
    const { requestLog, ...fields } = patch;
    checkShape({ ...current, ...fields });
    return this.deployments.update(current.id, { ...fields, ...requestLogColumns(requestLog) });
  }
}
