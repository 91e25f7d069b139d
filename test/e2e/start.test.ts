import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runQudao, startQudao } from '../support/process.js';
import { createTempDatabase, postgresReachable } from '../support/stores.js';

describe('qudao start on the embedded store', () => {
  it('serves /healthz and /metrics, writes its data folder, and restarts on the same data', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'qd-e2e-')), 'data');
    const first = await startQudao(['--data-dir', dataDir]);
    const token = /admin token \(shown once[^)]*\): (\S+)/.exec(first.stdout())?.[1];
    expect(token).toBeDefined();
    expect(existsSync(join(dataDir, 'pg'))).toBe(true);
    expect(await (await fetch(`${first.url}/healthz`)).json()).toMatchObject({ status: 'ok', store: 'pglite' });
    expect(await (await fetch(`${first.url}/metrics`)).text()).toContain('qudao_http_requests_total');
    expect((await fetch(`${first.url}/api/system`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);

    // A second process on the same folder is refused with one clear line.
    const clash = await runQudao(['start', '--port', '0', '--data-dir', dataDir]);
    expect(clash.code).toBe(1);
    expect(clash.stderr.trim()).toMatch(/^qudao: data folder .* is in use by process \d+/);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await startQudao(['--data-dir', dataDir]);
    expect(second.stdout()).not.toContain('admin token');
    expect((await fetch(`${second.url}/api/system`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('refuses a bad setting with one line and a non-zero exit', async () => {
    const r = await runQudao(['start'], { QUDAO_PORT: '99999' });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('qudao: QUDAO_PORT: must be at most 65535 (got "99999")');
  });
});

describe('qudao start on PostgreSQL', async () => {
  const available = await postgresReachable();
  it.skipIf(!available)('serves on DATABASE_URL and restarts on the same data', async () => {
    const db = await createTempDatabase();
    try {
      const first = await startQudao([], { DATABASE_URL: db.url, QUDAO_DATA_DIR: mkdtempSync(join(tmpdir(), 'qd-e2e-')) });
      expect(await (await fetch(`${first.url}/healthz`)).json()).toMatchObject({ status: 'ok', store: 'postgres' });
      const token = /admin token \(shown once[^)]*\): (\S+)/.exec(first.stdout())?.[1];
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      const second = await startQudao([], { DATABASE_URL: db.url });
      expect((await fetch(`${second.url}/api/system`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    } finally {
      await db.drop();
    }
  });
});
