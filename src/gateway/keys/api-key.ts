import { digestsEqual, hashSecret, newSecret } from '../../auth/index.js';
import { QudaoError } from '../../errors/index.js';
import type { GatewayCatalog } from '../catalog.js';
import type { Caller } from '../types.js';

/** Every customer key starts with this, so leaked keys are easy to recognise (secret scanners). */
export const API_KEY_KIND = 'qd_sk';

/** Characters of the key kept visible (kind + 8 random characters), enough to tell keys apart in lists. */
export const API_KEY_PREFIX_LENGTH = API_KEY_KIND.length + 1 + 8;

/** A freshly minted key: the secret (shown once), its visible prefix and the hash that is stored. */
export interface MintedKey {
  readonly secret: string;
  readonly prefix: string;
  readonly keyHash: string;
}

/** Creates a new random customer key. */
export function mintApiKey(): MintedKey {
  const secret = newSecret(API_KEY_KIND);
  return { secret, prefix: secret.slice(0, API_KEY_PREFIX_LENGTH), keyHash: hashSecret(secret) };
}

/**
 * Finds the caller of a `/v1` request from its bearer key, using only the in-memory catalog. The lookup is
 * by SHA-256 hash (remembered by the catalog for the secrets of its keys); the stored hash is then compared in constant time, so neither the map lookup nor the
 * comparison leaks how much of a guessed key was right (the hash of a guess is unrelated to the key).
 */
export function authenticateCaller(catalog: GatewayCatalog, secret: string | undefined, nowMs: number): Caller {
  if (!secret) throw new QudaoError('QD_INVALID_API_KEY', 'send Authorization: Bearer <API key>');
  const hash = catalog.hashOfSecret(secret);
  const key = catalog.keyByHash(hash);
  if (!key || !digestsEqual(hash, key.keyHash)) throw new QudaoError('QD_INVALID_API_KEY');
  if (key.status !== 'active') throw new QudaoError('QD_API_KEY_REVOKED');
  if (key.expiresAtMs !== null && key.expiresAtMs <= nowMs) throw new QudaoError('QD_API_KEY_EXPIRED');
  const plan = catalog.plan(key.planId);
  const customer = catalog.customer(key.customerId);
  if (!plan || !customer) throw new QudaoError('QD_INVALID_API_KEY', 'the API key has no plan or customer');
  if (customer.status !== 'active') throw new QudaoError('QD_FORBIDDEN', 'the customer of this API key is not active');
  return { key, plan, customer };
}
