/**
 * Tensor storage inside one shared `WebAssembly.Memory`.
 *
 * Why one memory: WebAssembly kernels address it directly (no copies) and worker threads that
 * instantiate the kernel module on the same memory see the same bytes. Two kinds of allocation:
 * - persistent (parameters, gradients, optimiser state, KV caches): live until freed;
 * - arena (activations of one training or decoding step): bump-allocated and dropped together by
 *   {@link TensorMemory.resetArena}, so a steady-state step asks the OS for nothing new.
 * Both carve out of chunks taken from the top of linear memory, so they never overlap.
 */

/** Every allocation starts on a 64-byte cache line so SIMD loads never straddle lines. */
const ALIGN = 64;
const PAGE_BYTES = 65536;
/** The first bytes belong to the kernel module's own static data; tensors start above them. */
const RESERVED_BYTES = 1 << 20;
const PERSISTENT_CHUNK = 16 << 20;
const ARENA_CHUNK = 64 << 20;
/** 4 GiB: the wasm32 ceiling. A shared memory only reserves address space up front. */
export const MAX_PAGES = 65536;
export const INITIAL_PAGES = 64;

interface Chunk {
  start: number;
  end: number;
}

function alignUp(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

/** Owns the shared memory and hands out aligned Float32Array / Int32Array views of it. */
export class TensorMemory {
  readonly memory: WebAssembly.Memory;
  private top = RESERVED_BYTES;
  private buffer: ArrayBufferLike;
  private readonly knownBuffers = new Set<ArrayBufferLike>();
  private persistent: Chunk = { start: 0, end: 0 };
  private readonly persistentFree = new Map<number, number[]>();
  private readonly arenaChunks: Chunk[] = [];
  private arenaIndex = 0;
  private arenaPtr = 0;
  private readonly arenaFree = new Map<number, number[]>();
  private arenaBytes = 0;
  private persistentBytes = 0;
  /** Highest arena use seen since creation, in bytes. */
  peakArenaBytes = 0;

  constructor(memory?: WebAssembly.Memory) {
    this.memory =
      memory ?? new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAX_PAGES, shared: true });
    this.buffer = this.memory.buffer;
    this.knownBuffers.add(this.buffer);
  }

  /** Bytes of linear memory in use (persistent + arena chunks). */
  get usedBytes(): number {
    return this.top;
  }

  /** Bytes currently held by live persistent allocations. */
  get livePersistentBytes(): number {
    return this.persistentBytes;
  }

  /** True when `view` lies in this memory, so a kernel may address it by `byteOffset`. */
  owns(view: ArrayBufferView): boolean {
    return this.knownBuffers.has(view.buffer);
  }

  private takeChunk(bytes: number): Chunk {
    const start = this.top;
    const end = start + alignUp(bytes);
    const needPages = Math.ceil(end / PAGE_BYTES) - this.memory.buffer.byteLength / PAGE_BYTES;
    if (needPages > 0) {
      if (Math.ceil(end / PAGE_BYTES) > MAX_PAGES) {
        throw new RangeError(`tensor memory exhausted: ${end} bytes needed, 4 GiB is the limit`);
      }
      this.memory.grow(needPages);
      this.buffer = this.memory.buffer;
      this.knownBuffers.add(this.buffer);
    }
    this.top = end;
    return { start, end };
  }

  /** Allocates `bytes` persistently; returns the byte offset. */
  allocPersistentBytes(bytes: number): number {
    const size = alignUp(Math.max(bytes, 1));
    const reuse = this.persistentFree.get(size);
    let ptr: number;
    if (reuse && reuse.length > 0) {
      ptr = reuse.pop()!;
    } else {
      if (this.persistent.start + size > this.persistent.end) {
        this.persistent = this.takeChunk(Math.max(size, PERSISTENT_CHUNK));
      }
      ptr = this.persistent.start;
      this.persistent.start += size;
    }
    this.persistentBytes += size;
    return ptr;
  }

  /** Returns a persistent allocation made by {@link allocPersistentBytes} for reuse. */
  freePersistentBytes(ptr: number, bytes: number): void {
    const size = alignUp(Math.max(bytes, 1));
    let list = this.persistentFree.get(size);
    if (!list) this.persistentFree.set(size, (list = []));
    list.push(ptr);
    this.persistentBytes -= size;
  }

  /** Allocates `bytes` from the arena; valid until the next {@link resetArena}. */
  allocArenaBytes(bytes: number): number {
    const size = alignUp(Math.max(bytes, 1));
    const reuse = this.arenaFree.get(size);
    if (reuse && reuse.length > 0) return reuse.pop()!;
    for (;;) {
      const chunk = this.arenaChunks[this.arenaIndex];
      if (chunk && this.arenaPtr + size <= chunk.end) break;
      if (chunk && this.arenaIndex + 1 < this.arenaChunks.length) {
        this.arenaIndex++;
        this.arenaPtr = this.arenaChunks[this.arenaIndex]!.start;
        continue;
      }
      const fresh = this.takeChunk(Math.max(size, ARENA_CHUNK));
      this.arenaChunks.push(fresh);
      this.arenaIndex = this.arenaChunks.length - 1;
      this.arenaPtr = fresh.start;
    }
    const ptr = this.arenaPtr;
    this.arenaPtr += size;
    this.arenaBytes += size;
    if (this.arenaBytes > this.peakArenaBytes) this.peakArenaBytes = this.arenaBytes;
    return ptr;
  }

  /** Gives an arena allocation back before the reset, so a same-sized request can reuse it. */
  freeArenaBytes(ptr: number, bytes: number): void {
    const size = alignUp(Math.max(bytes, 1));
    let list = this.arenaFree.get(size);
    if (!list) this.arenaFree.set(size, (list = []));
    list.push(ptr);
  }

  /** Drops every arena allocation at once; views into the arena become invalid. */
  resetArena(): void {
    this.arenaIndex = 0;
    this.arenaPtr = this.arenaChunks[0]?.start ?? 0;
    this.arenaFree.clear();
    this.arenaBytes = 0;
  }

  /** A Float32Array view of `length` floats at byte offset `ptr`. */
  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.buffer, ptr, length);
  }

  /** An Int32Array view of `length` ints at byte offset `ptr`. */
  i32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.buffer, ptr, length);
  }
}
