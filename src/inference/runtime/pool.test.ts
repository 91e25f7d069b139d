import { describe, expect, it } from 'vitest';
import type { GenerationItem, GenerationOutcome, ModelRuntime } from './contract.js';
import { RuntimePool } from './pool.js';

/** A runtime that records its batches and finishes each item after one event-loop turn. */
function recordingRuntime(): ModelRuntime & { batches: number[] } {
  const batches: number[] = [];
  return {
    batches,
    contextLength: 64,
    chatTemplate: 'plain',
    countTokens: (t) => t.length,
    async generateBatch(items: readonly GenerationItem[]): Promise<GenerationOutcome[]> {
      batches.push(items.length);
      await new Promise((r) => setImmediate(r));
      return items.map((i) => ({ promptTokens: i.prompt.length, completionTokens: i.maxTokens, finishReason: 'length' }));
    },
  };
}

const item = (prompt: string): GenerationItem => ({ prompt, maxTokens: 2, temperature: 1, topP: 1, stop: [], seed: 1, signal: new AbortController().signal, onToken: () => {} });

describe('RuntimePool', () => {
  it('loads each version once and batches requests of the same turn, at most maxBatch at a time', async () => {
    const runtime = recordingRuntime();
    const loads: string[] = [];
    const pool = new RuntimePool(async (id) => (loads.push(id), runtime), 3);
    const outcomes = await Promise.all(['a', 'bb', 'ccc', 'dddd', 'eeeee'].map((p) => pool.generate('mv_1', item(p))));
    expect(outcomes.map((o) => o.promptTokens)).toEqual([1, 2, 3, 4, 5]);
    expect(loads).toEqual(['mv_1']);
    expect(runtime.batches).toEqual([3, 2]);
    expect(await pool.runtime('mv_1')).toBe(runtime);
  });

  it('forgets a version that failed to load, so the next request tries again', async () => {
    let attempts = 0;
    const pool = new RuntimePool(async () => {
      attempts++;
      if (attempts === 1) throw new Error('disk away');
      return recordingRuntime();
    });
    await expect(pool.runtime('mv_2')).rejects.toThrow('disk away');
    await expect(pool.generate('mv_2', item('x'))).resolves.toMatchObject({ completionTokens: 2 });
    expect(attempts).toBe(2);
  });
});
