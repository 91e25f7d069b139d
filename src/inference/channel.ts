/** A single-consumer async queue: the producer pushes, the consumer iterates; `close` ends it. */
export class Channel<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | null = null;
  private closed = false;
  private failure: unknown = null;

  push(item: T): void {
    if (this.closed) return;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w({ value: item, done: false });
    } else {
      this.items.push(item);
    }
  }

  /** Ends the stream; a pending or later read gets `done`, or throws `error` when given. */
  close(error?: unknown): void {
    if (this.closed) return;
    this.closed = true;
    if (error !== undefined) this.failure = error;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      if (this.failure !== null) this.pendingReject?.(this.failure);
      else w({ value: undefined as never, done: true });
    }
  }

  private pendingReject: ((e: unknown) => void) | null = null;

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        const item = this.items.shift();
        if (item !== undefined) return Promise.resolve({ value: item, done: false });
        if (this.closed) {
          return this.failure !== null ? Promise.reject(this.failure) : Promise.resolve({ value: undefined as never, done: true });
        }
        return new Promise<IteratorResult<T>>((resolve, reject) => {
          this.waiting = resolve;
          this.pendingReject = reject;
        });
      },
    };
  }
}
