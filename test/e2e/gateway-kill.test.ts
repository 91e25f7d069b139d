import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/store/index.js';
import { seedDataDir, TEST_ADMIN_TOKEN } from '../support/gateway-workspace.js';
import { startMockUpstream } from '../support/mock-upstream.js';
import { startQudao } from '../support/process.js';

/** One worker of the load run: requests back to back, recording the ids of answers received in full. */
async function worker(url: string, key: string, stream: boolean, completed: string[], stop: { now: boolean }): Promise<void> {
  while (!stop.now) {
    try {
      const res = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 3, stream }),
      });
      const text = await res.text();
      if (res.status !== 200) continue;
      if (stream) {
        if (!text.endsWith('data: [DONE]\n\n')) continue;
        completed.push(/"id":"chatcmpl-([^"]+)"/.exec(text)![1]!);
      } else completed.push((JSON.parse(text) as { id: string }).id.replace('chatcmpl-', ''));
    } catch {
      return; // the server is gone
    }
  }
}

describe('kill -9 of the gateway under load', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'qd-gw-kill-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('loses no completed request and duplicates none', async () => {
    const mock = await startMockUpstream();
    try {
      const key = await seedDataDir(dataDir, [{ id: 'dep_k', name: 'm', url: mock.url }]);
      const server = await startQudao(['--data-dir', dataDir], { QUDAO_ADMIN_TOKEN: TEST_ADMIN_TOKEN, QUDAO_DEMO: 'false' });
      const completed: string[] = [];
      const stop = { now: false };
      const workers = Array.from({ length: 16 }, (_, i) => worker(server.url, key, i % 2 === 0, completed, stop));
      while (completed.length < 400) await new Promise((r) => setTimeout(r, 10));
      server.child.kill('SIGKILL');
      await server.exited;
      stop.now = true;
      await Promise.all(workers);
      // Rows answered but not yet inserted wait in the ledger journal; the next start replays them.
      const journal = join(dataDir, 'ledger-journal');
      const journaled = readdirSync(journal)
        .filter((f) => f.endsWith('.jsonl'))
        .reduce((n, f) => n + readFileSync(join(journal, f), 'utf8').split('\n').length - 1, 0);
      console.log(`kill -9 after ${completed.length} completed requests; ${journaled} rows in the journal segments left behind`);
      const restarted = await startQudao(['--data-dir', dataDir], { QUDAO_ADMIN_TOKEN: TEST_ADMIN_TOKEN, QUDAO_DEMO: 'false' });
      restarted.child.kill('SIGTERM');
      const code = await restarted.exited;
      expect(code, restarted.stderr()).toBe(0);
      expect(readdirSync(journal).filter((f) => f.endsWith('.jsonl'))).toEqual([]);
      const store = await openPglite(dataDir);
      try {
        const rows = await store.query<{ request_id: string }>('SELECT request_id FROM usage_events');
        const inLedger = new Set(rows.map((r) => r.request_id));
        expect(inLedger.size).toBe(rows.length);
        expect(completed.filter((id) => !inLedger.has(id))).toEqual([]);
        expect(rows.length).toBeGreaterThanOrEqual(completed.length);
        expect(rows.length - completed.length).toBeLessThanOrEqual(16);
      } finally {
        await store.close();
      }
    } finally {
      await mock.close();
    }
  });
});
