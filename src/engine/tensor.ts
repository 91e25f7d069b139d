import type { Engine } from './engine.js';

/**
 * A Float32 tensor: a shape and a view of the engine's shared memory. Row-major, contiguous.
 * `grad` is allocated when the backward pass first reaches the tensor (parameters get theirs at
 * creation). Arena tensors are valid until the engine's arena is reset.
 */
export class Tensor {
  /** Gradient of the loss with respect to this tensor, once backward has reached it. */
  grad: Float32Array | null = null;
  /** Whether gradients flow to this tensor (parameters, and results of ops on them). */
  requiresGrad = false;
  /** Number of elements. */
  readonly size: number;

  constructor(
    /** The engine that owns the memory. */
    readonly engine: Engine,
    /** Dimensions, outermost first. */
    readonly shape: readonly number[],
    /** The values, a view of the engine's memory. */
    readonly data: Float32Array,
    /** True for parameters, optimiser state and caches; false for per-step activations. */
    readonly persistent: boolean,
  ) {
    this.size = shapeSize(shape);
    if (data.length !== this.size) {
      throw new RangeError(`tensor data has ${data.length} values, shape [${shape.join(', ')}] needs ${this.size}`);
    }
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new RangeError(`item() needs one element, tensor has ${this.size}`);
    return this.data[0]!;
  }

  /** A copy of the values on the JavaScript heap. */
  toArray(): Float32Array {
    return Float32Array.from(this.data);
  }
}

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
