import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { UsageRow } from './ledger-writer.js';
import { priceOfTokens } from './pricing.js';
import { recoveredRow, recoverInterruptedStreams, StreamJournal } from './stream-journal.js';

const rates = { inputPer1mMicros: 1_000_000, outputPer1mMicros: 2_000_000, costInputPer1mMicros: 100_000, costOutputPer1mMicros: 200_000 };
const rowAtZero = (requestId: string): UsageRow => ({
  requestId, keyId: 'key_1', customerId: 'cus_1', channelId: 'chn_1', model: 'm', deploymentId: 'dep_1', endpoint: 'chat',
  promptTokens: 10, completionTokens: 0, latencyMs: 0, status: 'cancelled', httpStatus: 499, errorCode: null, streamed: true, costMicros: 1, priceMicros: 0,
});
const words = (text: string) => text.split(' ').filter(Boolean).length;

describe('stream journal', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qd-stream-journal-'));
  });
  afterEach(() => {
    vi.useRealTimers();
    rmSync(dir, { recursive: true, force: true });
  });

  it('journals deliveries at most once per interval, and never later than one interval after them', () => {
    vi.useFakeTimers();
    const journal = new StreamJournal(dir, 100, words);
    journal.open();
    const progress = journal.start(rowAtZero('req_a'), rates)!;
    const file = () => readFileSync(join(dir, 'req_a.stream.jsonl'), 'utf8').split('\n').filter(Boolean);
    progress.delivered(' a', 1);
    progress.delivered(' b', 1);
    expect(file()).toHaveLength(1); // only the opening line: the first interval has not passed
    vi.advanceTimersByTime(100);
    expect(file()).toHaveLength(2);
    progress.delivered(' c', 1);
    vi.advanceTimersByTime(99);
    expect(file()).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(file()).toHaveLength(3);
    expect(recoveredRow(`${file().join('\n')}\n`, words)?.completionTokens).toBe(3);
    progress.settle();
    expect(readdirSync(dir).filter((f) => f.endsWith('.jsonl'))).toEqual([]);
  });

  it('recovers a stream as cancelled: exact counts when every chunk had one, else the text counted, priced like a live cut', () => {
    const open = JSON.stringify({ row: rowAtZero('req_b'), rates, at: 1_000 });
    const exact = recoveredRow(`${open}\n${JSON.stringify({ t: ' x y', k: 2, at: 1_500 })}\n${JSON.stringify({ t: ' z', k: 1, at: 2_000 })}\n`, () => 999)!;
    expect(exact).toMatchObject({ requestId: 'req_b', status: 'cancelled', completionTokens: 3, latencyMs: 1_000, priceMicros: priceOfTokens(10, 3, 1_000_000, 2_000_000), costMicros: priceOfTokens(10, 3, 100_000, 200_000) });
    const counted = recoveredRow(`${open}\n${JSON.stringify({ t: ' x y', k: null, at: 1_500 })}\n${JSON.stringify({ t: ' z', k: 1, at: 2_000 })}\n`, words)!;
    expect(counted.completionTokens).toBe(3);
    // A torn last line (the crash cut the write) is dropped; a stream cut before any token costs nothing.
    const torn = recoveredRow(`${open}\n{"t":" x y","k":2,"a`, words)!;
    expect(torn).toMatchObject({ completionTokens: 0, priceMicros: 0 });
    expect(recoveredRow('{"row":', words)).toBeUndefined();
  });

  it('bills what a previous process left open, then deletes its files', async () => {
    writeFileSync(join(dir, 'req_c.stream.jsonl'), `${JSON.stringify({ row: rowAtZero('req_c'), rates, at: 1 })}\n${JSON.stringify({ t: ' a b', k: null, at: 2 })}\n`);
    writeFileSync(join(dir, 'req_d.stream.jsonl'), 'not json\n');
    const errors: unknown[] = [];
    const journal = new StreamJournal(dir, 100, words, (e) => errors.push(e));
    const appended: UsageRow[] = [];
    const n = await recoverInterruptedStreams(journal, { append: async (row) => void appended.push(row), settled: async () => {} });
    expect(n).toBe(1);
    expect(appended.map((r) => [r.requestId, r.status, r.completionTokens])).toEqual([['req_c', 'cancelled', 2]]);
    expect(errors).toHaveLength(1);
    expect(readdirSync(dir).filter((f) => f.endsWith('.jsonl'))).toEqual([]);
    await journal.close();
  });

  it('serves without journaling when another live process holds the folder', async () => {
    const holder = new StreamJournal(dir, 100, words);
    holder.open();
    const errors: unknown[] = [];
    const second = new StreamJournal(dir, 100, words, (e) => errors.push(e));
    expect(second.open()).toEqual({ rows: [], leftovers: [] });
    expect(errors).toMatchObject([{ code: 'QD_DATA_DIR_LOCKED' }]);
    expect(second.start(rowAtZero('req_e'), rates)).toBeUndefined();
    await holder.close();
  });
});
