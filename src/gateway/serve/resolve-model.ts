import { QudaoError } from '../../errors/index.js';
import type { GatewayCatalog } from '../catalog.js';
import type { Caller, GatewayDeployment } from '../types.js';

/**
 * True when the deployment is private to someone other than the caller: another partner's fine-tune
 * (`ownerPartnerId`) or another customer's (`ownerCustomerId`, src/fine-tuning). Such a deployment is
 * reported as missing, not forbidden: its name is not public.
 */
function isOthers(caller: Caller, d: GatewayDeployment): boolean {
  if (d.ownerPartnerId !== null && d.ownerPartnerId !== caller.key.partnerId) return true;
  return d.ownerCustomerId !== null && d.ownerCustomerId !== caller.key.customerId;
}

/** True when the caller's key may see and call the deployment (scopes, and a partner's or customer's own fine-tunes). */
export function mayUse(caller: Caller, d: GatewayDeployment): boolean {
  if (isOthers(caller, d)) return false;
  return caller.key.models.length === 0 || caller.key.models.includes(d.name);
}

/** The deployment serving `model` for this caller, or QD_MODEL_NOT_FOUND / QD_MODEL_NOT_ALLOWED. */
export function resolveDeployment(catalog: GatewayCatalog, caller: Caller, model: string): GatewayDeployment {
  const d = catalog.deploymentByName(model);
  if (!d || isOthers(caller, d)) {
    throw new QudaoError('QD_MODEL_NOT_FOUND', `the model "${model}" does not exist or is not deployed; GET /v1/models lists yours`, { param: 'model' });
  }
  if (!mayUse(caller, d)) throw new QudaoError('QD_MODEL_NOT_ALLOWED', `this API key may not use "${model}"`, { param: 'model' });
  return d;
}
