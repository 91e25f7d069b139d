import { DeploymentStore, type Store } from '../store/index.js';
import { models } from './catalog.js';

/** A model the demo's customers call, with the deployment that serves it (null when it is not deployed). */
export interface ServedModel {
  readonly name: string;
  readonly deploymentId: string | null;
  readonly costIn: number;
  readonly costOut: number;
  readonly msPerToken: number;
  readonly mix: Readonly<Record<'smb' | 'mid' | 'enterprise', number>>;
}

/**
 * The demo's models joined to the workspace's active deployments of the same name. The demo never creates a
 * deployment (one it made up would not answer); it gives a real one the catalogue's cost to serve, so the
 * ledger's costs and the deployment's rates agree, and tells every replica's cache. A model that is not
 * deployed (the demo written before the first `qudao start`) keeps its name in the ledger with no deployment.
 */
export async function servedModels(store: Store): Promise<ServedModel[]> {
  const out: ServedModel[] = [];
  // The deployments' owner: each change reaches every replica's cache.
  const deployments = new DeploymentStore(store);
  for (const m of models) {
    const found = await deployments.byName(m.name);
    const d = found?.status === 'active' ? found : undefined;
    if (d) await deployments.update(d.id, { costInputPer1mMicros: m.costIn, costOutputPer1mMicros: m.costOut });
    out.push({ name: m.name, deploymentId: d?.id ?? null, costIn: m.costIn, costOut: m.costOut, msPerToken: m.msPerToken, mix: m.mix });
  }
  return out;
}
