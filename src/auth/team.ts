import { and, asc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import { QudaoError } from '../errors/index.js';
import { roleSchema } from '../shared/contract/access.js';
import type { AdminUser, CreateAdminUserInput, UpdateAdminUserInput } from '../shared/contract/team.js';
import { isUniqueViolation, newId, schema, type Database, type Store } from '../store/index.js';
import { ADMIN_TOKEN_KIND, type AdminPrincipal, type AdminTokens } from './admin-tokens.js';
import { LoginThrottle } from './login-throttle.js';
import { ensureOwner } from './owner.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { hashSecret, newSecret } from './secrets.js';

/** Admin session tokens look like `qd_as_<40 base62>`; only their SHA-256 is stored. */
export const ADMIN_SESSION_KIND = 'qd_as';

/** Arbitrary constant key of the advisory lock that serialises changes of owners (the last-owner rule). */
const OWNER_LOCK_KEY = 72_420_619;

/** A live admin session as the HTTP layer sees it. */
export interface AdminSession {
  userId: string;
  expiresAt: Date;
}

type UserRow = typeof schema.adminUsers.$inferSelect;

function toUser(row: UserRow): AdminUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: roleSchema.parse(row.role),
    hasPassword: row.passwordHash !== null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    disabledAt: row.disabledAt?.toISOString() ?? null,
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
  };
}

/** A generated password: 20 base62 characters (≈119 bits), shown once. */
function generatedPassword(): string {
  return newSecret('pw').slice(3, 23);
}

/** The message of every failed sign-in, whatever failed: it never tells which e-mails exist. */
const LOGIN_FAILED = 'the e-mail or password is wrong, or the account is disabled';

/**
 * Admin users, their roles and dashboard sessions. The workspace always keeps one active owner: demoting,
 * disabling or deleting the last one is 409 QD_LAST_OWNER (checked under an advisory lock, so two owners
 * demoting each other at once cannot both succeed). Every change that affects what a user's tokens may do
 * (role, disabling, deletion) reloads the token cache on every replica.
 */
export class TeamService {
  private decoy: Promise<string> | undefined;
  private readonly throttle = new LoginThrottle();

  constructor(
    private readonly store: Store,
    private readonly tokens: AdminTokens,
    private readonly sessionTtlMs = 12 * 60 * 60 * 1000,
  ) {}

  /** Every admin user, by e-mail. */
  async listUsers(): Promise<AdminUser[]> {
    const rows = await this.store.db.select().from(schema.adminUsers).orderBy(asc(schema.adminUsers.email));
    return rows.map(toUser);
  }

  /** One user; QD_NOT_FOUND when absent. */
  async getUser(id: string): Promise<AdminUser> {
    return toUser(await this.row(this.store.db, id));
  }

  /** Adds a user; without a password one is generated and answered once. QD_CONFLICT when the e-mail is taken. */
  async createUser(input: CreateAdminUserInput): Promise<{ user: AdminUser; initialPassword: string | null }> {
    const initialPassword = input.password ? null : generatedPassword();
    const values = { id: newId('usr'), email: input.email.toLowerCase(), name: input.name, role: input.role, passwordHash: await hashPassword(input.password ?? initialPassword!) };
    try {
      const [row] = await this.store.db.insert(schema.adminUsers).values(values).returning();
      return { user: toUser(row!), initialPassword };
    } catch (err) {
      if (isUniqueViolation(err)) throw new QudaoError('QD_CONFLICT', `a user with e-mail ${values.email} exists`, { param: 'email' });
      throw err;
    }
  }

  /**
   * Changes a user's name, role, password or disabled state. A new password, disabling or a role change
   * ends their sessions; the last active owner cannot be demoted or disabled (QD_LAST_OWNER).
   */
  async updateUser(id: string, input: UpdateAdminUserInput): Promise<AdminUser> {
    const passwordHash = input.password ? await hashPassword(input.password) : undefined;
    const row = await this.ownerChange(async (tx) => {
      const before = await this.row(tx, id);
      const losesOwner = before.role === 'owner' && before.disabledAt === null && ((input.role !== undefined && input.role !== 'owner') || input.disabled === true);
      if (losesOwner) await this.refuseLastOwner(tx, id, input.disabled === true ? 'disabled' : 'demoted');
      const set = {
        updatedAt: new Date(),
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.role !== undefined ? { role: input.role } : {}),
        ...(input.disabled !== undefined ? { disabledAt: input.disabled ? (before.disabledAt ?? new Date()) : null } : {}),
        ...(passwordHash ? { passwordHash } : {}),
      };
      const [after] = await tx.update(schema.adminUsers).set(set).where(eq(schema.adminUsers.id, id)).returning();
      const roleChanged = input.role !== undefined && input.role !== before.role;
      if (passwordHash || input.disabled === true || roleChanged) await this.endSessions(tx, id);
      return after!;
    });
    await this.tokens.changed();
    return toUser(row);
  }

  /** Deletes a user with their sessions and tokens; not the last active owner (QD_LAST_OWNER). */
  async deleteUser(id: string): Promise<void> {
    await this.ownerChange(async (tx) => {
      const before = await this.row(tx, id);
      if (before.role === 'owner' && before.disabledAt === null) await this.refuseLastOwner(tx, id, 'deleted');
      await tx.delete(schema.adminSessions).where(eq(schema.adminSessions.userId, id));
      await tx.delete(schema.adminTokens).where(eq(schema.adminTokens.userId, id));
      await tx.delete(schema.adminUsers).where(eq(schema.adminUsers.id, id));
    });
    await this.tokens.changed();
  }

  /**
   * Signs a user in and returns a new session token. An unknown e-mail, a wrong password, a user without a
   * password and a disabled user all cost one scrypt and answer the same QD_UNAUTHENTICATED, so neither the
   * answer nor its time tells which e-mails exist; five failures for one e-mail in 15 minutes make it wait.
   */
  async login(email: string, password: string): Promise<{ token: string; session: AdminSession; user: AdminUser }> {
    const key = email.trim().toLowerCase();
    this.throttle.refuseWhileThrottled(key);
    const u = schema.adminUsers;
    const [row] = await this.store.db.select().from(u).where(sql`lower(${u.email}) = ${key}`);
    this.decoy ??= hashPassword(newSecret('decoy'));
    const ok = await verifyPassword(password, row?.passwordHash ?? (await this.decoy));
    if (!row || !ok || row.passwordHash === null || row.disabledAt !== null) {
      this.throttle.countFailure(key);
      throw new QudaoError('QD_UNAUTHENTICATED', LOGIN_FAILED);
    }
    this.throttle.succeeded(key);
    const token = newSecret(ADMIN_SESSION_KIND);
    const session = { userId: row.id, expiresAt: new Date(Date.now() + this.sessionTtlMs) };
    await this.store.db.insert(schema.adminSessions).values({ id: newId('ass'), tokenHash: hashSecret(token), ...session });
    const [after] = await this.store.db.update(u).set({ lastLoginAt: new Date() }).where(eq(u.id, row.id)).returning();
    return { token, session, user: toUser(after!) };
  }

  /** Ends the session of `token` (idempotent). */
  async logout(token: string): Promise<void> {
    await this.store.db.update(schema.adminSessions).set({ revokedAt: new Date() }).where(eq(schema.adminSessions.tokenHash, hashSecret(token)));
  }

  /** The principal of a live session token: not revoked, not expired, its user not disabled. */
  async resolveSession(token: string): Promise<AdminPrincipal | undefined> {
    if (!token.startsWith(`${ADMIN_SESSION_KIND}_`)) return undefined;
    const s = schema.adminSessions;
    const u = schema.adminUsers;
    const [row] = await this.store.db
      .select({ userId: u.id, email: u.email, role: u.role })
      .from(s)
      .innerJoin(u, eq(u.id, s.userId))
      .where(and(eq(s.tokenHash, hashSecret(token)), isNull(s.revokedAt), gt(s.expiresAt, new Date()), isNull(u.disabledAt)));
    return row ? { kind: 'admin', userId: row.userId, email: row.email, role: roleSchema.parse(row.role), via: 'session' } : undefined;
  }

  /**
   * Changes the caller's own password. When one is set, `currentPassword` must match (QD_UNAUTHENTICATED,
   * the login's message otherwise). Every other session of the user ends; `keepSession` (the caller's own,
   * when it signed in with one) stays.
   */
  async changePassword(userId: string, currentPassword: string | undefined, newPassword: string, keepSession?: string): Promise<void> {
    const row = await this.row(this.store.db, userId);
    if (row.passwordHash !== null && !(await verifyPassword(currentPassword ?? '', row.passwordHash))) {
      throw new QudaoError('QD_UNAUTHENTICATED', 'currentPassword: the current password is wrong', { param: 'currentPassword' });
    }
    const passwordHash = await hashPassword(newPassword);
    await this.store.db.transaction(async (tx) => {
      await tx.update(schema.adminUsers).set({ passwordHash, updatedAt: new Date() }).where(eq(schema.adminUsers.id, userId));
      const s = schema.adminSessions;
      const others = keepSession ? and(eq(s.userId, userId), isNull(s.revokedAt), ne(s.tokenHash, hashSecret(keepSession))) : and(eq(s.userId, userId), isNull(s.revokedAt));
      await tx.update(s).set({ revokedAt: new Date() }).where(others);
    });
  }

  /**
   * `qudao admin reset-owner`, run with the data folder or DATABASE_URL at hand (the server stopped): makes
   * the user with `email` an active owner (creating them when absent; without `email`, the first owner, or
   * one created with `defaultEmail`), gives them a generated password and a new owner token, and ends their
   * sessions. Returns both secrets, to be printed once.
   */
  async resetOwner(email: string | undefined, defaultEmail?: string): Promise<{ user: AdminUser; password: string; token: string }> {
    const password = generatedPassword();
    const passwordHash = await hashPassword(password);
    const userId = await this.ownerChange(async (tx) => {
      const u = schema.adminUsers;
      let id: string;
      if (email) {
        const key = email.trim().toLowerCase();
        const [existing] = await tx.select({ id: u.id }).from(u).where(sql`lower(${u.email}) = ${key}`);
        if (existing) id = existing.id;
        else id = (await tx.insert(u).values({ id: newId('usr'), email: key, name: 'Owner', role: 'owner' }).returning({ id: u.id }))[0]!.id;
      } else {
        id = (await ensureOwner(tx, defaultEmail)).id;
      }
      await tx.update(u).set({ role: 'owner', disabledAt: null, passwordHash, updatedAt: new Date() }).where(eq(u.id, id));
      await this.endSessions(tx, id);
      await tx.update(schema.adminTokens).set({ userId: id }).where(isNull(schema.adminTokens.userId));
      return id;
    });
    const token = newSecret(ADMIN_TOKEN_KIND);
    await this.store.db.insert(schema.adminTokens).values({ id: newId('adm'), name: 'reset-owner', prefix: token.slice(0, 12), tokenHash: hashSecret(token), userId });
    await this.tokens.changed();
    return { user: await this.getUser(userId), password, token };
  }

  /** Runs a change of users under the owner lock, in one transaction. */
  private async ownerChange<T>(work: (tx: Database) => Promise<T>): Promise<T> {
    return this.store.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(${OWNER_LOCK_KEY})`);
      return work(tx);
    });
  }

  /** QD_LAST_OWNER when no active owner but `id` would remain. */
  private async refuseLastOwner(tx: Database, id: string, what: 'demoted' | 'disabled' | 'deleted'): Promise<void> {
    const u = schema.adminUsers;
    const [other] = await tx.select({ id: u.id }).from(u).where(and(eq(u.role, 'owner'), isNull(u.disabledAt), ne(u.id, id))).limit(1);
    if (!other) throw new QudaoError('QD_LAST_OWNER', `user ${id} is the last active owner and cannot be ${what}; make another user an owner first`);
  }

  private async row(db: Database, id: string): Promise<UserRow> {
    const [row] = await db.select().from(schema.adminUsers).where(eq(schema.adminUsers.id, id));
    if (!row) throw new QudaoError('QD_NOT_FOUND', `no user ${id}`);
    return row;
  }

  private async endSessions(db: Database, userId: string): Promise<void> {
    await db.update(schema.adminSessions).set({ revokedAt: new Date() }).where(and(eq(schema.adminSessions.userId, userId), isNull(schema.adminSessions.revokedAt)));
  }
}
