import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { newId, schema, type Database } from '../store/index.js';

/** The e-mail of the owner created on first start when the configuration names none. */
export const DEFAULT_OWNER_EMAIL = 'owner@localhost';

/** The oldest active owner, or undefined when there is none. */
export async function firstActiveOwner(db: Database): Promise<{ id: string; email: string } | undefined> {
  const u = schema.adminUsers;
  const [row] = await db
    .select({ id: u.id, email: u.email })
    .from(u)
    .where(and(eq(u.role, 'owner'), isNull(u.disabledAt)))
    .orderBy(asc(u.createdAt), asc(u.id))
    .limit(1);
  return row;
}

/**
 * Makes sure an active owner exists: on the first start of a workspace (or of a database from before users
 * existed) an owner with `email` and no password is created. Tokens without a user (from before users
 * existed) become that owner's. Returns the owner.
 */
export async function ensureOwner(db: Database, email = DEFAULT_OWNER_EMAIL): Promise<{ id: string; email: string }> {
  let owner = await firstActiveOwner(db);
  if (!owner) {
    const key = email.toLowerCase();
    const u = schema.adminUsers;
    // Two replicas starting at once on an empty database both get here: the e-mail's unique index lets one
    // insert win, and both then read the same user.
    await db.insert(u).values({ id: newId('usr'), email: key, name: 'Owner', role: 'owner' }).onConflictDoNothing();
    const [row] = await db.select({ id: u.id, email: u.email, role: u.role, disabledAt: u.disabledAt }).from(u).where(sql`lower(${u.email}) = ${key}`);
    // A user with the owner's e-mail may exist already (e.g. every owner was disabled by hand in SQL): they become the owner.
    if (row!.role !== 'owner' || row!.disabledAt !== null) await db.update(u).set({ role: 'owner', disabledAt: null, updatedAt: new Date() }).where(eq(u.id, row!.id));
    owner = { id: row!.id, email: row!.email };
  }
  await db.update(schema.adminTokens).set({ userId: owner.id }).where(isNull(schema.adminTokens.userId));
  return owner;
}
