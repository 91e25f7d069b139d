import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** SHA-256 of a secret, hex. Only this is stored for API keys and admin tokens. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A new random secret `<kind>_<40 base62 chars>` (≈238 bits). */
export function newSecret(kind: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(48);
  let out = '';
  for (const b of bytes) {
    if (b < 248) out += alphabet[b % 62];
    if (out.length === 40) break;
  }
  while (out.length < 40) out += alphabet[randomBytes(1)[0]! % 62];
  return `${kind}_${out}`;
}

/** Compares two hex digests in constant time (no early exit on the first differing byte). */
export function digestsEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a, 'hex');
  const bb = Buffer.from(b, 'hex');
  return ba.length === bb.length && ba.length > 0 && timingSafeEqual(ba, bb);
}
