import { describe, expect, it } from 'vitest';
import { migrate, openPglite, schema } from '../store/index.js';
import { StartupDemo } from './startup.js';

const quiet = { info() {}, error() {} };

describe('start-up demo', () => {
  it('generates in the background on an empty workspace, can be stopped, and leaves a non-empty one alone', async () => {
    const store = await openPglite('memory://');
    try {
      await migrate(store);
      const demo = new StartupDemo();
      expect(demo.state).toBe('off');
      await demo.startIfEmpty(store, quiet, { months: 1, until: new Date('2026-03-01T00:00:00Z') });
      expect(demo.state).toBe('generating');
      await demo.stop();
      expect(['stopped', 'ready']).toContain(demo.state);

      await store.db.insert(schema.customers).values({ id: 'c_real', name: 'A real customer' }).onConflictDoNothing();
      const again = new StartupDemo();
      await again.startIfEmpty(store, quiet);
      expect(again.state).toBe('off');
    } finally {
      await store.close();
    }
  });
});
