import type { Store } from '../../src/store/index.js';

/**
 * Every row of every table of the store's `public` schema (listed from information_schema, so a table added
 * later is dumped too), as one JSON text per table: what the privacy tests search for text that must not be
 * stored anywhere.
 */
export async function dumpDatabase(store: Store): Promise<Record<string, string>> {
  const tables = await store.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name");
  const dump: Record<string, string> = {};
  for (const { table_name: name } of tables) dump[name] = JSON.stringify(await store.query(`SELECT * FROM "${name.replaceAll('"', '""')}"`));
  return dump;
}

/** The tables whose dump contains `needle` (empty when none does). */
export function tablesContaining(dump: Record<string, string>, needle: string): string[] {
  return Object.entries(dump)
    .filter(([, text]) => text.includes(needle))
    .map(([name]) => name);
}
