import type { GenerationItem, GenerationOutcome, ModelRuntime, RuntimeLoader } from './runtime.js';

interface Queued {
  item: GenerationItem;
  resolve: (o: GenerationOutcome) => void;
  reject: (e: unknown) => void;
}

interface Slot {
  runtime: ModelRuntime;
  queue: Queued[];
  running: boolean;
}

/**
 * Holds one loaded runtime per model version and batches concurrent requests to it: while a batch is
 * generating, new requests wait, and when it ends all of them (up to `maxBatch`) start together as the
 * next batch. Loading happens once per version, on first use.
 */
export class RuntimePool {
  private readonly slots = new Map<string, Promise<Slot>>();

  constructor(
    private readonly load: RuntimeLoader,
    private readonly maxBatch = 16,
  ) {}

  /** The runtime of a version, loading it on first use. */
  async runtime(modelVersionId: string): Promise<ModelRuntime> {
    return (await this.slot(modelVersionId)).runtime;
  }

  /** Queues one generation; resolves when its batch has finished it. */
  async generate(modelVersionId: string, item: GenerationItem): Promise<GenerationOutcome> {
    const slot = await this.slot(modelVersionId);
    return new Promise<GenerationOutcome>((resolve, reject) => {
      slot.queue.push({ item, resolve, reject });
      this.pump(slot);
    });
  }

  private slot(modelVersionId: string): Promise<Slot> {
    let s = this.slots.get(modelVersionId);
    if (!s) {
      s = this.load(modelVersionId).then((runtime) => ({ runtime, queue: [], running: false }));
      s.catch(() => this.slots.delete(modelVersionId));
      this.slots.set(modelVersionId, s);
    }
    return s;
  }

  private pump(slot: Slot): void {
    if (slot.running || slot.queue.length === 0) return;
    slot.running = true;
    // Let requests that arrive in this turn of the event loop join the batch.
    setImmediate(() => {
      const batch = slot.queue.splice(0, this.maxBatch);
      slot.runtime
        .generateBatch(batch.map((q) => q.item))
        .then(
          (outcomes) => batch.forEach((q, i) => q.resolve(outcomes[i]!)),
          (err) => batch.forEach((q) => q.reject(err)),
        )
        .finally(() => {
          slot.running = false;
          this.pump(slot);
        });
    });
  }
}
