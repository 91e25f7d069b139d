/**
 * The runtime pool of in-process serving (owned by inference): one loaded {@link ModelRuntime} per model
 * version, and the batching of concurrent requests to it.
 */
import type { GenerationItem, GenerationOutcome, LocalModels, ModelRuntime, RuntimeLoader } from './contract.js';

interface Queued {
  item: GenerationItem;
  resolve: (o: GenerationOutcome) => void;
  reject: (e: unknown) => void;
}

interface Slot {
  runtime: ModelRuntime;
  queue: Queued[];
  inFlight: number;
  scheduled: boolean;
}

/**
 * Holds one loaded runtime per model version and batches concurrent requests to it: requests that arrive
 * in the same turn of the event loop are handed to the runtime together (`generateBatch`), and at most
 * `maxBatch` generate at once per model; the rest wait for a free place. Loading happens once per version,
 * on first use.
 */
export class RuntimePool implements LocalModels {
  private readonly slots = new Map<string, Promise<Slot>>();

  constructor(
    private readonly load: RuntimeLoader,
    private readonly maxBatch = 16,
  ) {}

  /** The runtime of a version, loading it on first use. */
  async runtime(modelVersionId: string): Promise<ModelRuntime> {
    return (await this.slot(modelVersionId)).runtime;
  }

  /** Queues one generation; resolves when the runtime has finished it. */
  async generate(modelVersionId: string, item: GenerationItem): Promise<GenerationOutcome> {
    const slot = await this.slot(modelVersionId);
    return new Promise<GenerationOutcome>((resolve, reject) => {
      slot.queue.push({ item, resolve, reject });
      this.schedule(slot);
    });
  }

  private slot(modelVersionId: string): Promise<Slot> {
    let s = this.slots.get(modelVersionId);
    if (!s) {
      s = this.load(modelVersionId).then((runtime) => ({ runtime, queue: [], inFlight: 0, scheduled: false }));
      s.catch(() => this.slots.delete(modelVersionId));
      this.slots.set(modelVersionId, s);
    }
    return s;
  }

  private schedule(slot: Slot): void {
    if (slot.scheduled) return;
    slot.scheduled = true;
    // Let requests that arrive in this turn of the event loop join the same batch.
    setImmediate(() => {
      slot.scheduled = false;
      this.start(slot);
    });
  }

  private start(slot: Slot): void {
    const room = this.maxBatch - slot.inFlight;
    if (room <= 0 || slot.queue.length === 0) return;
    const batch = slot.queue.splice(0, room);
    slot.inFlight += batch.length;
    slot.runtime
      .generateBatch(batch.map((q) => q.item))
      .then(
        (outcomes) => batch.forEach((q, i) => q.resolve(outcomes[i]!)),
        (err) => batch.forEach((q) => q.reject(err)),
      )
      .finally(() => {
        slot.inFlight -= batch.length;
        this.start(slot);
      });
  }
}
