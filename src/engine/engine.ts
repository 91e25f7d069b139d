import { TensorMemory } from './memory.js';
import { shapeSize } from './shapes.js';
import type { Kernels } from './kernels/types.js';
import { referenceKernels } from './kernels/reference.js';

// Tensor and Engine refer to each other (an engine makes tensors; every tensor points at its engine,
// where ops find it), so they share this module rather than forming an import cycle.

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

/** One recorded op: its outputs and the closure that pushes their gradients to its inputs. */
interface TapeEntry {
  outputs: readonly Tensor[];
  backward: () => void;
}

/**
 * Owns tensor memory, the kernel backend and the autograd tape. There is no global engine: every
 * tensor points at its engine, and ops find it there. Create one with `createEngine()`.
 */
export class Engine {
  /** When false, ops record nothing (inference). */
  gradEnabled = true;
  private tape: TapeEntry[] = [];
  private readonly freed = new WeakSet<Tensor>();

  constructor(
    /** Shared tensor memory. */
    readonly memory: TensorMemory,
    /** The kernel backend. */
    readonly kernels: Kernels = referenceKernels,
    private readonly onDispose: () => Promise<void> = async () => {},
    /** Which kernels run: `reference`, `native-avx512` / `native-avx2` / `native-portable`, `wasm-relaxed` (fused multiply-add) or `wasm-simd`. */
    readonly backendName: string = 'reference',
  ) {}

  /** An uninitialised arena tensor (valid until {@link resetArena}). */
  empty(shape: readonly number[]): Tensor {
    const n = shapeSize(shape);
    const ptr = this.memory.allocArenaBytes(n * 4);
    return new Tensor(this, shape, this.memory.f32(ptr, n), false);
  }

  /** A zero-filled arena tensor. */
  zeros(shape: readonly number[]): Tensor {
    const t = this.empty(shape);
    t.data.fill(0);
    return t;
  }

  /** An arena tensor holding a copy of `values`. */
  fromArray(shape: readonly number[], values: ArrayLike<number>): Tensor {
    const t = this.empty(shape);
    if (values.length !== t.size) throw new RangeError(`${values.length} values given for ${t.size} elements`);
    t.data.set(values);
    return t;
  }

  /** A zero-filled persistent tensor (optimiser state, caches); free it with {@link free}. */
  persistentZeros(shape: readonly number[]): Tensor {
    const n = shapeSize(shape);
    const ptr = this.memory.allocPersistentBytes(n * 4);
    const t = new Tensor(this, shape, this.memory.f32(ptr, n), true);
    t.data.fill(0);
    return t;
  }

  /**
   * A trainable persistent tensor initialised from `values` or zeros. Its gradient buffer is
   * allocated (persistently) on first use, so a model that is only served never pays for it.
   */
  parameter(shape: readonly number[], values?: ArrayLike<number>): Tensor {
    const t = this.persistentZeros(shape);
    if (values) t.data.set(values);
    t.requiresGrad = true;
    return t;
  }

  /** An Int32Array in the arena (token ids that kernels read). */
  int32(length: number): Int32Array {
    return this.memory.i32(this.memory.allocArenaBytes(length * 4), length);
  }

  /** A float scratch buffer in the arena. */
  scratch(length: number): Float32Array {
    return this.memory.f32(this.memory.allocArenaBytes(length * 4), length);
  }

  /** Returns a persistent tensor's memory (and its gradient's) for reuse; freeing twice is a no-op. */
  free(t: Tensor): void {
    if (!t.persistent || this.freed.has(t)) return;
    this.freed.add(t);
    this.memory.freePersistentBytes(t.data.byteOffset, t.size * 4);
    if (t.grad) this.memory.freePersistentBytes(t.grad.byteOffset, t.size * 4);
    t.grad = null;
  }

  /**
   * Drops all arena tensors and the tape. Call at the start of every training or decoding step; any
   * arena tensor from before becomes invalid.
   */
  resetArena(): void {
    this.tape = [];
    this.memory.resetArena();
  }

  /** Runs `fn` without recording on the tape. */
  noGrad<R>(fn: () => R): R {
    const prev = this.gradEnabled;
    this.gradEnabled = false;
    try {
      return fn();
    } finally {
      this.gradEnabled = prev;
    }
  }

  /**
   * Records an op on the tape when gradients are on and some input requires them; marks the
   * outputs as requiring gradients. Returns whether it recorded.
   */
  record(outputs: readonly Tensor[], inputs: readonly Tensor[], backward: () => void): boolean {
    if (!this.gradEnabled || !inputs.some((t) => t.requiresGrad)) return false;
    for (const o of outputs) o.requiresGrad = true;
    this.tape.push({ outputs, backward });
    return true;
  }

  /**
   * The gradient buffer of `t`, allocated zero-filled on first use (persistent for persistent
   * tensors, else in the arena); null if `t` needs no gradient.
   */
  gradOf(t: Tensor): Float32Array | null {
    if (!t.requiresGrad) return null;
    if (!t.grad) {
      const bytes = t.size * 4;
      t.grad = this.memory.f32(t.persistent ? this.memory.allocPersistentBytes(bytes) : this.memory.allocArenaBytes(bytes), t.size);
      t.grad.fill(0);
    }
    return t.grad;
  }

  /**
   * Reverse-mode autodiff: seeds d(loss)/d(loss) = 1 and walks the tape once, newest op first.
   * Gradients of activations are released as soon as their producer has consumed them.
   */
  backward(loss: Tensor): void {
    if (loss.size !== 1) throw new RangeError('backward() needs a scalar loss');
    if (!loss.requiresGrad) throw new Error('loss does not depend on any parameter that requires a gradient');
    this.gradOf(loss)![0] = 1;
    for (let i = this.tape.length - 1; i >= 0; i--) {
      const entry = this.tape[i]!;
      if (!entry.outputs.some((o) => o.grad)) continue;
      entry.backward();
      for (const o of entry.outputs) {
        // Op outputs are never leaves, so their gradients always live in the arena.
        if (o.grad) {
          this.memory.freeArenaBytes(o.grad.byteOffset, o.size * 4);
          o.grad = null;
        }
      }
    }
    this.tape = [];
  }

  /** Stops worker threads. The engine must not be used afterwards. */
  async dispose(): Promise<void> {
    await this.onDispose();
  }
}
