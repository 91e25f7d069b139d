import type { ReadinessCheck } from '../../inference/index.js';
import type { HealthProbe } from './health.js';

/**
 * Probes a `local` deployment without loading it, through inference's readiness check of its model version
 * (`versionReadiness`: registered, and the checkpoint folder holds its manifest).
 */
export function localHealthProbe(ready: ReadinessCheck): HealthProbe {
  return async (d) => {
    if (!d.modelVersionId) throw new Error('the deployment has no model version');
    await ready(d.modelVersionId);
  };
}
