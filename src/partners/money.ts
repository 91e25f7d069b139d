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

/** Options of {@link formatMicros}. */
export interface FormatMicrosOptions {
  /** Group thousands with commas (tables people read); off for files machines read (CSV). */
  readonly grouping?: boolean;
  /**
   * `exact` writes every non-zero micro digit (at least two decimals: `0.000477`, `10000.00`), for CSV and
   * JSON consumers; `cents` rounds half away from zero to two decimals, for text people read.
   */
  readonly precision?: 'exact' | 'cents';
}

/**
 * Integer micro-units as a decimal string of currency units, computed on the integer digits so no float
 * ever rounds it: `formatMicros(477) === '0.000477'`, `formatMicros(10_000_000_000, { grouping: true, precision: 'cents' }) === '10,000.00'`.
 */
export function formatMicros(micros: number, options: FormatMicrosOptions = {}): string {
  if (!Number.isSafeInteger(micros)) throw new RangeError(`money must be a safe integer of micro-units, got ${micros}`);
  const negative = micros < 0;
  let abs = BigInt(Math.abs(micros));
  let fractionDigits = 6;
  if (options.precision === 'cents') {
    abs = (abs + 5_000n) / 10_000n; // half away from zero, in cents
    fractionDigits = 2;
  }
  const scale = 10n ** BigInt(fractionDigits);
  const whole = (abs / scale).toString();
  let fraction = (abs % scale).toString().padStart(fractionDigits, '0');
  if (options.precision !== 'cents') fraction = fraction.replace(/0+$/, '').padEnd(2, '0');
  const grouped = options.grouping ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : whole;
  return `${negative && abs > 0n ? '-' : ''}${grouped}.${fraction}`;
}
