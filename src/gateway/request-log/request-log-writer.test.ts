import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openPglite, schema, type Store } from '../../store/index.js';
import { MAX_LOGGED_CHARS, RequestLogWriter, type RequestLogEntry } from './request-log-writer.js';

const entry = (requestId: string, prompt: string, completion = ''): RequestLogEntry => ({
  requestId, deploymentId: 'dep_x', keyId: null, customerId: null, endpoint: 'chat', model: 'm', prompt, completion, status: 'ok', httpStatus: 200, streamed: false,
});

describe('request log writer', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openPglite('memory://');
    await migrate(store);
  });
  afterAll(async () => store?.close());

  const stored = async (id: string) => (await store.db.select().from(schema.requestLogs)).find((r) => r.requestId === id)!;

  it('keeps the start of a long text, never a fragment of an address or number at the cut', async () => {
    const writer = new RequestLogWriter(store, { onFailure: () => {} });
    const filler = 'word '.repeat(Math.floor(MAX_LOGGED_CHARS / 5) - 2); // the personal data below straddles the cut
    const atCut = [`${filler}mail jane.doe@example.com now`, `${filler}card 4111 1111 1111 1111 ok`, `${filler}x +44 20 7946 0958 y`, 'z'.repeat(MAX_LOGGED_CHARS * 2)];
    atCut.forEach((text, i) => writer.record(entry(`long${i}`, text)));
    await writer.drain();
    for (const [i, text] of atCut.entries()) {
      const row = await stored(`long${i}`);
      expect(row.promptText.length).toBeLessThanOrEqual(MAX_LOGGED_CHARS + 60);
      expect(row.promptText).toMatch(/… \[\d+ more characters not logged\]$/);
      for (const fragment of ['jane', '4111', '7946', '0958']) expect(row.promptText.slice(filler.length - 10)).not.toContain(fragment);
      expect(text.startsWith(row.promptText.replace(/… \[\d+ more characters not logged\]$/, ''))).toBe(true);
    }
  });

  it('reports rows it could not write and rows beyond its queue, and never throws', async () => {
    const failures: string[] = [];
    const writer = new RequestLogWriter(store, { maxPending: 2, onFailure: (reason, rows) => failures.push(`${reason}:${rows}`) });
    for (const id of ['q1', 'q2', 'q3']) writer.record(entry(id, 'p'));
    await writer.drain();
    expect(failures).toEqual(['overflow:1']);
    await store.query('ALTER TABLE request_logs RENAME TO request_logs_gone');
    try {
      writer.record(entry('q4', 'p'));
      await writer.drain();
    } finally {
      await store.query('ALTER TABLE request_logs_gone RENAME TO request_logs');
    }
    expect(failures).toEqual(['overflow:1', 'write:1']);
    expect((await store.db.select().from(schema.requestLogs)).map((r) => r.requestId).filter((id) => id.startsWith('q')).sort()).toEqual(['q1', 'q2']);
  });
});
