import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteProxy } from './pglite-proxy.js';

describe('PGlite in a worker thread', () => {
  let db: PgliteProxy;
  beforeAll(async () => {
    db = await PgliteProxy.open(null);
    await db.exec('CREATE TABLE t (id int PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())');
  });
  afterAll(async () => db.close());

  it('answers queries in object and array row modes, dates parsed or kept as text', async () => {
    await db.query('INSERT INTO t (id, at) VALUES ($1, $2)', [1, '2026-01-02T03:04:05Z']);
    const objects = await db.query<{ id: number; at: Date }>('SELECT id, at FROM t WHERE id = 1');
    expect(objects.rows[0]!.id).toBe(1);
    expect(objects.rows[0]!.at).toBeInstanceOf(Date);
    const arrays = await db.query<unknown[]>('SELECT id, at FROM t WHERE id = 1', [], { rowMode: 'array', parsers: {} });
    expect(arrays.rows[0]![0]).toBe(1);
    expect(typeof arrays.rows[0]![1]).toBe('string');
  });

  it("keeps PostgreSQL's error fields", async () => {
    await expect(db.query('INSERT INTO t (id) VALUES (1)')).rejects.toMatchObject({ code: '23505', constraint: 't_pkey' });
  });

  it('commits a transaction, rolls one back on a throw, and makes other queries wait for it', async () => {
    let outsideDone = false;
    let outside: Promise<unknown> | undefined;
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO t (id) VALUES (10)');
      outside = db.query('SELECT count(*)::int AS n FROM t').then((r) => {
        outsideDone = true;
        return r;
      });
      await new Promise((r) => setTimeout(r, 50));
      expect(outsideDone).toBe(false); // the single connection is the transaction's until it ends
      await tx.query('INSERT INTO t (id) VALUES (11)');
    });
    expect(((await outside) as { rows: { n: number }[] }).rows[0]!.n).toBe(3);
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO t (id) VALUES (12)');
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM t WHERE id = 12')).rows[0]!.n).toBe(0);
  });

  it('delivers notifications to listeners until they unsubscribe', async () => {
    const got: string[] = [];
    const unsubscribe = await db.listen('qd_test', (p) => got.push(p));
    await db.query("SELECT pg_notify('qd_test', 'one')");
    await new Promise((r) => setTimeout(r, 50));
    await unsubscribe();
    await db.query("SELECT pg_notify('qd_test', 'two')");
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toEqual(['one']);
  });
});
