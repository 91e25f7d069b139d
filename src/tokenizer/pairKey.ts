/**
 * Packs an ordered pair of token ids into one number so that pair tables can be `Map<number, …>`, which V8
 * handles far faster than string keys. Ids must stay below 2^22 (4M), far above any vocabulary we train.
 */
export const MAX_TOKEN_ID = 1 << 22;

/** The packed key of pair (a, b). */
export function pairKey(a: number, b: number): number {
  return a * MAX_TOKEN_ID + b;
}

/** Left id of a packed pair. */
export function pairLeft(key: number): number {
  return Math.floor(key / MAX_TOKEN_ID);
}

/** Right id of a packed pair. */
export function pairRight(key: number): number {
  return key % MAX_TOKEN_ID;
}
