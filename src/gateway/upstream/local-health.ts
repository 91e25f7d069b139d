import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { schema, type Store } from '../../store/index.js';
import type { HealthProbe } from './health.js';

/**
 * Probes a `local` deployment without loading it: its model version is registered and the version's
 * checkpoint folder holds its manifest (`checkpoint.json`). Loading the weights would cost seconds and memory on every round.
 */
export function localHealthProbe(store: Store): HealthProbe {
  return async (d) => {
    if (!d.modelVersionId) throw new Error('the deployment has no model version');
    const [version] = await store.db.select({ path: schema.modelVersions.checkpointPath }).from(schema.modelVersions).where(eq(schema.modelVersions.id, d.modelVersionId));
    if (!version) throw new Error(`model version ${d.modelVersionId} is not registered`);
    const folder = await stat(version.path).catch(() => null);
    if (!folder?.isDirectory()) throw new Error(`the checkpoint folder ${version.path} is missing`);
    if (!(await stat(join(version.path, 'checkpoint.json')).catch(() => null))) throw new Error(`${version.path} holds no checkpoint manifest`);
  };
}
