import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { QudaoError } from '../errors/index.js';
import type { Store } from './database.js';
import { rowsOf } from './rows.js';

const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));

/** Arbitrary constant key of the advisory lock that serialises migrations across processes. */
const MIGRATION_LOCK_KEY = 72_420_231;

/** A committed migration file. */
export interface Migration {
  name: string;
  sql: string;
  hash: string;
}

/** The committed migrations, in order (file names sort by their numeric prefix). */
export function listMigrations(dir = migrationsDir): Migration[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((name) => {
      const sql = readFileSync(`${dir}${name}`, 'utf8');
      return { name, sql, hash: createHash('sha256').update(sql).digest('hex') };
    });
}

/**
 * Applies every migration not yet applied, each in its own transaction, under a session-level advisory
 * lock, so two processes starting at once against one PostgreSQL apply each migration exactly once.
 * Idempotent: a second run applies nothing. An edited, already-applied migration is refused (its hash
 * changed), since silently skipping it would leave databases that differ.
 */
export async function migrate(store: Store, migrations = listMigrations()): Promise<string[]> {
  const applied: string[] = [];
  // The whole run happens in one transaction-scoped lock on PGlite (single connection) and one session
  // lock on PostgreSQL; pg_advisory_xact_lock inside each transaction would let two runners interleave.
  await store.db.transaction(async (tx) => {
    await tx.execute(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await tx.execute(
      'CREATE TABLE IF NOT EXISTS qudao_migrations (name text PRIMARY KEY, hash text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const rows = rowsOf<{ name: string; hash: string }>(await tx.execute('SELECT name, hash FROM qudao_migrations'));
    const byName = new Map(rows.map((r) => [r.name, r.hash]));
    for (const m of migrations) {
      const seen = byName.get(m.name);
      if (seen === m.hash) continue;
      if (seen !== undefined) {
        throw new QudaoError('QD_MIGRATION_FAILED', `migration ${m.name} was changed after it was applied; add a new migration instead`);
      }
      for (const statement of m.sql.split('--> statement-breakpoint')) {
        if (statement.trim()) await tx.execute(statement);
      }
      await tx.execute(`INSERT INTO qudao_migrations (name, hash) VALUES ('${m.name}', '${m.hash}')`);
      applied.push(m.name);
    }
  });
  return applied;
}
