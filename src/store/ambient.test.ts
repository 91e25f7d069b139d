/**
 * The ambient transaction on both drivers: what a service does through `store.db`, `store.query` and
 * `store.notify` inside `withTransaction` commits or rolls back as one; a nested `db.transaction()` is a
 * savepoint; work that outlives the transaction falls back to the root connection; after-commit
 * callbacks run only after a commit.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, postgresReachable, type TestStore } from '../../test/support/stores.js';
import { schema } from './index.js';

const kinds = ['pglite', 'postgres'] as const;

describe.each(kinds)('ambient transactions on %s', (kind) => {
  let t: TestStore | undefined;
  const names = async () => (await t!.store.query<{ name: string }>('SELECT name FROM price_plans ORDER BY name')).map((r) => r.name);
  const plan = (id: string) => ({ id, name: id, inputPer1mMicros: 1, outputPer1mMicros: 1 });

  beforeAll(async () => {
    if (kind === 'postgres' && !(await postgresReachable())) return;
    t = await openTestStore(kind);
  }, 60_000);
  afterAll(async () => t?.dispose());

  it('commits what store.db and store.query wrote; a throw rolls both back', async (ctx) => {
    if (!t) return ctx.skip();
    const { store } = t;
    await store.withTransaction(async () => {
      await store.db.insert(schema.pricePlans).values(plan('a-db'));
      await store.query(`INSERT INTO price_plans (id, name, input_per_1m_micros, output_per_1m_micros) VALUES ('a-sql', 'a-sql', 1, 1)`);
      // Inside, the transaction sees its own writes.
      expect(await names()).toEqual(['a-db', 'a-sql']);
    });
    await expect(
      store.withTransaction(async () => {
        await store.db.insert(schema.pricePlans).values(plan('b-db'));
        await store.execRaw(`INSERT INTO price_plans (id, name, input_per_1m_micros, output_per_1m_micros) VALUES ('b-sql', 'b-sql', 1, 1)`);
        throw new Error('handler failed after writing');
      }),
    ).rejects.toThrow('handler failed after writing');
    expect(await names()).toEqual(['a-db', 'a-sql']);
  });

  it('turns a nested db.transaction() into a savepoint: its rollback keeps the outer work', async (ctx) => {
    if (!t) return ctx.skip();
    const { store } = t;
    await store.withTransaction(async () => {
      await store.db.insert(schema.pricePlans).values(plan('c-outer'));
      await expect(
        store.db.transaction(async (tx) => {
          await tx.insert(schema.pricePlans).values(plan('c-inner'));
          throw new Error('inner fails');
        }),
      ).rejects.toThrow('inner fails');
      await store.db.transaction(async (tx) => tx.insert(schema.pricePlans).values(plan('c-inner-ok')));
    });
    expect(await names()).toEqual(expect.arrayContaining(['c-outer', 'c-inner-ok']));
    expect(await names()).not.toContain('c-inner');
  });

  it('runs after-commit callbacks outside the transaction after a commit, never after a rollback', async (ctx) => {
    if (!t) return ctx.skip();
    const { store } = t;
    const seen: string[] = [];
    await store.withTransaction(async () => {
      await store.db.insert(schema.pricePlans).values(plan('d'));
      await store.afterCommit(async () => void seen.push(`committed:${(await names()).includes('d')}`));
      seen.push('body done');
    });
    await store
      .withTransaction(async () => {
        await store.afterCommit(async () => void seen.push('must not run'));
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    expect(seen).toEqual(['body done', 'committed:true']);
  });

  it('work that outlives the transaction uses the root connection, not the finished one', async (ctx) => {
    if (!t) return ctx.skip();
    const { store } = t;
    let later: Promise<unknown> | undefined;
    await store.withTransaction(async () => {
      await store.db.insert(schema.pricePlans).values(plan('e'));
      // A callback started inside (like a training run's child-process events) that runs after the commit.
      later = new Promise((r) => setTimeout(r, 50)).then(() => store.db.update(schema.pricePlans).set({ name: 'e-later' }).where(eq(schema.pricePlans.id, 'e')));
    });
    await later;
    expect(await names()).toContain('e-later');
    // outsideTransaction: a write that must not join (nor wait for) the caller's transaction.
    if (kind === 'postgres') {
      await store
        .withTransaction(async () => {
          await store.outsideTransaction(() => store.db.insert(schema.pricePlans).values(plan('f-outside')));
          throw new Error('roll back the caller');
        })
        .catch(() => undefined);
      expect(await names()).toContain('f-outside');
    }
  });

  it('delivers a NOTIFY sent inside the transaction at its commit only', async (ctx) => {
    if (!t) return ctx.skip();
    const { store } = t;
    const got: string[] = [];
    const unlisten = await store.listen('ambient_test', (p) => got.push(p));
    await store.withTransaction(() => store.notify('ambient_test', 'committed'));
    await store.withTransaction(async () => {
      await store.notify('ambient_test', 'rolled-back');
      throw new Error('no');
    }).catch(() => undefined);
    await expect.poll(() => got).toEqual(['committed']);
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual(['committed']);
    await unlisten();
  });
});
