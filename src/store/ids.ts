import { randomFillSync } from 'node:crypto';

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
  const rand = randomPool.take(10);
  let tail = '';
  for (let i = rand; i < rand + 10; i++) tail += ALPHABET[randomPool.bytes[i]! % 32];
  return `${prefix}_${time}${tail}`;
}

/**
 * Random bytes drawn from the operating system 4 KiB at a time: one system call per ~400 ids instead of
 * one per id (an id is minted for every gateway request). Each byte is handed out once.
 */
const randomPool = {
  bytes: Buffer.alloc(4096),
  next: 4096,
  /** The offset of `n` fresh random bytes in `bytes`. */
  take(n: number): number {
    if (this.next + n > this.bytes.length) {
      randomFillSync(this.bytes);
      this.next = 0;
    }
    const at = this.next;
    this.next += n;
    return at;
  },
};
