import { and, eq, isNull } from 'drizzle-orm';
import { newId, schema, type Store } from '../store/index.js';
import { digestsEqual, hashSecret, newSecret } from './secrets.js';

/** Authenticates admin bearer tokens against the hashed tokens in the store, cached in memory. */
export class AdminTokens {
  private hashes: string[] = [];

  constructor(private readonly store: Store) {}

  /**
   * Makes sure at least one admin token exists. With a configured token, its hash is registered; otherwise,
   * on the very first start, a token is created and returned so the caller can print it once.
   */
  async ensure(configured?: string): Promise<{ created?: string }> {
    let created: string | undefined;
    if (configured) {
      await this.store.db
        .insert(schema.adminTokens)
        .values({ id: newId('adm'), name: 'configured', prefix: configured.slice(0, 12), tokenHash: hashSecret(configured) })
        .onConflictDoNothing();
    } else {
      const existing = await this.store.db.select({ id: schema.adminTokens.id }).from(schema.adminTokens).limit(1);
      if (existing.length === 0) {
        created = newSecret('qd_admin');
        await this.store.db.insert(schema.adminTokens).values({ id: newId('adm'), name: 'first start', prefix: created.slice(0, 12), tokenHash: hashSecret(created) });
      }
    }
    await this.reload();
    return created ? { created } : {};
  }

  /**
   * Issues a new token under `name` and revokes every earlier one of that name (e.g. the token a server
   * leaves in its data folder for the local CLI: one per server start, so a stale copy stops working).
   */
  async rotate(name: string): Promise<string> {
    const token = newSecret('qd_admin');
    await this.store.db.transaction(async (tx) => {
      await tx.update(schema.adminTokens).set({ revokedAt: new Date() }).where(and(eq(schema.adminTokens.name, name), isNull(schema.adminTokens.revokedAt)));
      await tx.insert(schema.adminTokens).values({ id: newId('adm'), name, prefix: token.slice(0, 12), tokenHash: hashSecret(token) });
    });
    await this.reload();
    return token;
  }

  /** Revokes every active token named `name`. */
  async revokeNamed(name: string): Promise<void> {
    await this.store.db.update(schema.adminTokens).set({ revokedAt: new Date() }).where(and(eq(schema.adminTokens.name, name), isNull(schema.adminTokens.revokedAt)));
    await this.reload();
  }

  /** Re-reads the active token hashes (after a change, or a NOTIFY from another replica). */
  async reload(): Promise<void> {
    const rows = await this.store.db.select({ hash: schema.adminTokens.tokenHash }).from(schema.adminTokens).where(isNull(schema.adminTokens.revokedAt));
    this.hashes = rows.map((r) => r.hash);
  }

  /** True when `token` is an active admin token; compares every stored hash in constant time. */
  verify(token: string): boolean {
    const h = hashSecret(token);
    let ok = false;
    for (const stored of this.hashes) ok = digestsEqual(h, stored) || ok;
    return ok;
  }
}
