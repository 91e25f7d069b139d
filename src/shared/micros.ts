/**
 * Currency units written as digits → integer micro-units, converted from the digits (BigInt), never through a
 * float: `whole` and up to six `fraction` digits, negated when `negative` (never −0). Null when the amount is
 * beyond the safe-integer range. The dashboard's amount fields and the CLI's amount arguments both read their
 * text with their own grammar, then convert here.
 */
export function microsOfDigits(negative: boolean, whole: string, fraction: string): number | null {
  if (!/^\d*$/.test(whole) || !/^\d{0,6}$/.test(fraction)) throw new RangeError(`not an amount: ${whole}.${fraction}`);
  const micros = BigInt(whole || '0') * 1_000_000n + BigInt(fraction.padEnd(6, '0'));
  if (micros > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return negative && micros !== 0n ? -Number(micros) : Number(micros);
}
