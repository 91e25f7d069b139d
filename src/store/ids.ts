import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * A new identifier: a short type prefix, the creation time (so ids sort roughly by age, which keeps
 * B-tree inserts local) and 80 random bits, e.g. `cus_01jd8x2k7m_3f9q0w2c8ab1`.
 */
export function newId(prefix: string, now = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const rand = randomBytes(10);
  let tail = '';
  for (const b of rand) tail += ALPHABET[b % 32];
  return `${prefix}_${time}${tail}`;
}
