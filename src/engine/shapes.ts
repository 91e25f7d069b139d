/** Shape arithmetic shared by the engine and its ops; imports nothing. */

/** Product of the dimensions. */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`bad dimension ${d} in shape [${shape.join(', ')}]`);
    n *= d;
  }
  return n;
}

/** Human-readable shape, for error messages. */
export function shapeString(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
