/**
 * `qudao audit verify` and `qudao audit list` on a data folder: with the server stopped they open the
 * store themselves; with a server holding the folder they ask it. An edited row and a deleted row make
 * verify exit 1 with one line naming the first bad row.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app.js';
import { recordCliChange } from '../../src/cli/audit-trail.js';
import { rootCommand, runCli } from '../../src/cli/index.js';
import { loadConfig } from '../../src/config/index.js';
import { openStore } from '../../src/store/index.js';

const dir = mkdtempSync(join(tmpdir(), 'qudao-audit-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(rootCommand, [...argv, '--data-dir', dir], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function withStore(fn: (store: Awaited<ReturnType<typeof openStore>>) => Promise<void>) {
  const store = await openStore({ dataDir: dir, databaseUrl: undefined });
  try {
    await fn(store);
  } finally {
    await store.close();
  }
}

describe('qudao audit on a data folder', () => {
  it('verifies an intact chain with the server stopped and lists it with filters', async () => {
    await withStore(async (store) => {
      for (const n of [1, 2, 3, 4]) await recordCliChange(store, { command: 'qudao test', action: n % 2 ? 'things.create' : 'things.update', targetType: 'things', targetId: `t${n}`, diff: [{ op: 'replace', path: '/n', value: n }] });
    });
    const verified = await cli('audit', 'verify');
    expect(verified).toMatchObject({ code: 0, out: expect.stringMatching(/^audit trail intact: 4 rows verified, head [0-9a-f]{64}$/) });
    const listed = await cli('audit', 'list', '--action', 'things.update');
    expect(listed.code).toBe(0);
    const lines = listed.out.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^4\s.*cli:\S+\s+things\.update\s+things t4\s+~ \/n = 4$/);
    expect(lines[2]).toMatch(/^2\s.*things t2/);
    expect((await cli('audit', 'list', '--from', 'yesterday')).err).toMatch(/--from must be a date/);
  });

  it('through the server that holds the folder, the same answer', async () => {
    const verified = await cli('audit', 'verify');
    const running = await startApp(loadConfig({ env: { QUDAO_DATA_DIR: dir, QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent' } }));
    try {
      expect(await cli('audit', 'verify')).toMatchObject({ code: 0, out: verified.out });
      expect((await cli('audit', 'list', '--target', 't3')).out).toMatch(/things\.create\s+things t3/);
    } finally {
      await running.stop();
    }
  }, 120_000);

  it('exits 1 naming the first bad row when a row was edited, then when one was deleted', async () => {
    await withStore(async (store) => {
      await store.execRaw(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only; UPDATE audit_log SET diff = '[{"op":"replace","path":"/n","value":20}]' WHERE seq = 2`);
    });
    const edited = await cli('audit', 'verify');
    expect(edited.code).toBe(1);
    expect(edited.err.split('\n')).toHaveLength(1);
    expect(edited.err).toMatch(/row 2 was changed after it was written .*first bad seq 2/);

    await withStore(async (store) => {
      await store.execRaw(`UPDATE audit_log SET diff = '[{"op":"replace","path":"/n","value":2}]' WHERE seq = 2`);
      await store.execRaw(`DELETE FROM audit_log WHERE seq = 3`);
    });
    const deleted = await cli('audit', 'verify');
    expect(deleted.code).toBe(1);
    expect(deleted.err).toMatch(/row 3 is missing.*first bad seq 3/);

    await withStore(async (store) => {
      await store.execRaw(`DELETE FROM audit_log WHERE seq = 4`);
    });
    // Rows 1 and 2 are intact but the head records row 4: the chain's tail was cut.
    const truncated = await cli('audit', 'verify', '--json');
    expect(truncated.code).toBe(1);
    expect(JSON.parse(truncated.out)).toMatchObject({ ok: false, rows: 2, firstBadSeq: 3 });
  });
});
