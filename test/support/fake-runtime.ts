import type { GenerationItem, GenerationOutcome, ModelRuntime, RuntimeLoader } from '../../src/inference/index.js';

/**
 * A tiny deterministic in-process model for gateway tests: the "tokenizer" is one token per byte, and it
 * generates the tokens ` t0`, ` t1`, ... one per event-loop turn until `max_tokens`, a stop sequence, or
 * abort. A promise returned by `onToken` holds that item (no next token until it settles) while the others
 * go on, as the engine does. It records the size of each batch it was given and the most items it generated at once, so
 * tests can see that concurrent requests are served together.
 */
export interface FakeRuntime extends ModelRuntime {
  readonly batchSizes: number[];
  /** Most items generating at the same time so far. */
  readonly maxConcurrent: number;
}

/** A fake runtime with the given context length. */
export function fakeRuntime(contextLength = 4096, stepMs = 0): FakeRuntime {
  const batchSizes: number[] = [];
  let active = 0;
  let maxConcurrent = 0;
  return {
    get maxConcurrent() {
      return maxConcurrent;
    },
    contextLength,
    chatTemplate: 'plain',
    batchSizes,
    countTokens: (text) => Buffer.byteLength(text),
    async generateBatch(items: readonly GenerationItem[]): Promise<GenerationOutcome[]> {
      batchSizes.push(items.length);
      active += items.length;
      maxConcurrent = Math.max(maxConcurrent, active);
      const state = items.map(() => ({ text: '', tokens: 0, done: undefined as GenerationOutcome['finishReason'] | undefined, hold: undefined as Promise<void> | undefined }));
      const aborted = items.map((item) => new Promise((r) => item.signal.addEventListener('abort', r, { once: true })));
      for (let step = 0; state.some((s) => !s.done); step++) {
        await new Promise((r) => (stepMs ? setTimeout(r, stepMs) : setImmediate(r)));
        const open = state.filter((s, i) => !s.done && !items[i]!.signal.aborted);
        if (open.length > 0 && open.every((s) => s.hold)) await Promise.race([...open.map((s) => s.hold), ...aborted]);
        items.forEach((item, i) => {
          const s = state[i]!;
          if (s.done) return;
          if (s.hold && !item.signal.aborted) return;
          if (item.signal.aborted) return void (s.done = 'cancelled');
          if (s.tokens >= item.maxTokens) return void (s.done = 'length');
          const token = ` t${step}`;
          if (item.stop.some((stop) => (s.text + token).includes(stop))) return void (s.done = 'stop');
          s.text += token;
          s.tokens++;
          const hold = item.onToken(token);
          if (hold instanceof Promise) {
            s.hold = hold;
            void hold.finally(() => (s.hold = undefined));
          }
        });
      }
      active -= items.length;
      return items.map((item, i) => ({ promptTokens: Buffer.byteLength(item.prompt), completionTokens: state[i]!.tokens, finishReason: state[i]!.done! }));
    },
  };
}

/** A loader that serves the same fake runtime for every model version. */
export function fakeRuntimeLoader(runtime: FakeRuntime): RuntimeLoader {
  return async () => runtime;
}
