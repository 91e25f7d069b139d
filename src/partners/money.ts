/**
 * Integer money helpers. Amounts are micro-units (1 unit = 1,000,000) held in JS numbers, which are exact up
 * to 2^53; products such as `revenue × basis points` can pass that, so they are taken in BigInt.
 */

/** Basis points in one whole (100 % = 10,000 bps). */
export const BPS = 10_000n;

/** ⌊a / b⌋ for BigInts, rounding towards −∞ (BigInt division truncates towards zero). */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

/** Back to a JS number, refusing values a number cannot hold exactly. */
export function toSafeNumber(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) throw new RangeError(`amount ${v} exceeds 2^53 micro-units`);
  return Number(v);
}

/**
 * Splits `⌊Σ amounts × bps / 10,000⌋` over the amounts by the largest-remainder method (Hamilton), so every
 * part is within one micro-unit of its exact share and the parts sum exactly to the rounded total. Ties in
 * the remainder go to the earlier amount, so the split is deterministic. Works for negative amounts
 * (corrections) because it floors, never truncates.
 */
export function apportionShare(amounts: readonly number[], bps: number): number[] {
  const b = BigInt(bps);
  const exact = amounts.map((a) => BigInt(a) * b);
  const floors = exact.map((e) => floorDiv(e, BPS));
  const total = floorDiv(exact.reduce((s, e) => s + e, 0n), BPS);
  let left = total - floors.reduce((s, f) => s + f, 0n);
  const order = exact
    .map((e, i) => ({ i, rem: e - floors[i]! * BPS }))
    .sort((x, y) => (x.rem === y.rem ? x.i - y.i : x.rem > y.rem ? -1 : 1));
  const parts = [...floors];
  for (const { i } of order) {
    if (left <= 0n) break;
    parts[i]! += 1n;
    left -= 1n;
  }
  return parts.map(toSafeNumber);
}
