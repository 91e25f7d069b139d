import { and, asc, eq, gt, isNull, ne } from 'drizzle-orm';
import { hashPassword, hashSecret, LoginThrottle, newSecret, verifyPassword } from '../auth/index.js';
import { isUniqueViolation } from '../store/index.js';
import { QudaoError } from '../errors/index.js';
import { newId, schema, type Store } from '../store/index.js';
import type { CreatePartnerUserInput, UpdatePartnerUserInput } from '../shared/contract/partners.js';

/** A partner user as shown: never the password hash. */
export interface PartnerUser {
  id: string;
  partnerId: string;
  email: string;
  name: string;
  status: string;
  createdAt: Date;
  lastLoginAt: Date | null;
}

/** A partner session as the HTTP layer sees it. */
export interface PartnerSession {
  userId: string;
  partnerId: string;
  expiresAt: Date;
}

/** Session tokens look like `qd_ps_<40 base62>`; only their SHA-256 is stored. */
export const PARTNER_SESSION_KIND = 'qd_ps';

function toUser(row: typeof schema.partnerUsers.$inferSelect): PartnerUser {
  const { passwordHash: _hidden, ...user } = row;
  return user;
}

/** Partner-portal users (scrypt-hashed passwords) and their sessions. */
export class PartnerUserService {
  private decoy: Promise<string> | undefined;
  /** Recent failed sign-ins by e-mail (auth/login-throttle.ts). */
  private readonly throttle = new LoginThrottle();

  constructor(
    private readonly store: Store,
    private readonly sessionTtlMs = 12 * 60 * 60 * 1000,
  ) {}

  /** The users of a partner, by e-mail. */
  async listUsers(partnerId: string): Promise<PartnerUser[]> {
    const rows = await this.store.db.select().from(schema.partnerUsers).where(eq(schema.partnerUsers.partnerId, partnerId)).orderBy(asc(schema.partnerUsers.email));
    return rows.map(toUser);
  }

  /** Creates a portal user for a partner; QD_CONFLICT when the e-mail is taken. */
  async createUser(partnerId: string, input: CreatePartnerUserInput): Promise<PartnerUser> {
    const [partner] = await this.store.db.select().from(schema.partners).where(eq(schema.partners.id, partnerId));
    if (!partner) throw new QudaoError('QD_NOT_FOUND', `no partner ${partnerId}`);
    if (partner.status === 'archived') throw new QudaoError('QD_IMMUTABLE', `partner ${partnerId} is archived`);
    const values = { id: newId('pus'), partnerId, email: input.email.toLowerCase(), name: input.name, passwordHash: await hashPassword(input.password) };
    try {
      return toUser((await this.store.db.insert(schema.partnerUsers).values(values).returning())[0]!);
    } catch (err) {
      if (isUniqueViolation(err)) throw new QudaoError('QD_CONFLICT', `a portal user with e-mail ${values.email} exists`, { param: 'email' });
      throw err;
    }
  }

  /** Changes a user's name, password or status; a new password or disabling ends their sessions. */
  async updateUser(partnerId: string, userId: string, input: UpdatePartnerUserInput): Promise<PartnerUser> {
    await this.getUser(partnerId, userId);
    const set = { ...(input.name !== undefined ? { name: input.name } : {}), ...(input.status ? { status: input.status } : {}), ...(input.password ? { passwordHash: await hashPassword(input.password) } : {}) };
    const [row] = await this.store.db.update(schema.partnerUsers).set(set).where(eq(schema.partnerUsers.id, userId)).returning();
    if (input.password || input.status === 'disabled') await this.endSessions(userId);
    return toUser(row!);
  }

  /** Deletes a user and their sessions (users are not referenced by the ledger). */
  async deleteUser(partnerId: string, userId: string): Promise<void> {
    await this.getUser(partnerId, userId);
    await this.store.db.delete(schema.partnerSessions).where(eq(schema.partnerSessions.userId, userId));
    await this.store.db.delete(schema.partnerUsers).where(eq(schema.partnerUsers.id, userId));
  }

  /**
   * Signs a user in and returns a new session token. An unknown e-mail still costs one scrypt, so the answer
   * time does not tell which e-mails exist; every failure is the same QD_UNAUTHENTICATED.
   */
  async login(email: string, password: string): Promise<{ token: string; session: PartnerSession; user: PartnerUser }> {
    const key = email.toLowerCase();
    this.throttle.refuseWhileThrottled(key);
    const [row] = await this.store.db.select().from(schema.partnerUsers).where(eq(schema.partnerUsers.email, key));
    this.decoy ??= hashPassword(newSecret('decoy'));
    const ok = await verifyPassword(password, row?.passwordHash ?? (await this.decoy));
    const [partner] = row ? await this.store.db.select().from(schema.partners).where(eq(schema.partners.id, row.partnerId)) : [];
    if (!row || !ok || row.status !== 'active' || !partner || partner.status === 'archived') {
      this.throttle.countFailure(key);
      throw new QudaoError('QD_UNAUTHENTICATED', 'the e-mail or password is wrong, or the account is disabled');
    }
    this.throttle.succeeded(key);
    const token = newSecret(PARTNER_SESSION_KIND);
    const session = { userId: row.id, partnerId: row.partnerId, expiresAt: new Date(Date.now() + this.sessionTtlMs) };
    await this.store.db.insert(schema.partnerSessions).values({ id: newId('pss'), tokenHash: hashSecret(token), ...session });
    await this.store.db.update(schema.partnerUsers).set({ lastLoginAt: new Date() }).where(eq(schema.partnerUsers.id, row.id));
    return { token, session, user: toUser(row) };
  }

  /** Ends the session of `token` (idempotent). */
  async logout(token: string): Promise<void> {
    await this.store.db.update(schema.partnerSessions).set({ revokedAt: new Date() }).where(eq(schema.partnerSessions.tokenHash, hashSecret(token)));
  }

  /** The live session of `token`: not revoked, not expired, its user active and its partner not archived. */
  async resolveSession(token: string): Promise<PartnerSession | undefined> {
    if (!token.startsWith(`${PARTNER_SESSION_KIND}_`)) return undefined;
    const s = schema.partnerSessions;
    const [row] = await this.store.db
      .select({ userId: s.userId, partnerId: s.partnerId, expiresAt: s.expiresAt })
      .from(s)
      .innerJoin(schema.partnerUsers, eq(schema.partnerUsers.id, s.userId))
      .innerJoin(schema.partners, eq(schema.partners.id, s.partnerId))
      .where(and(eq(s.tokenHash, hashSecret(token)), isNull(s.revokedAt), gt(s.expiresAt, new Date()), eq(schema.partnerUsers.status, 'active'), ne(schema.partners.status, 'archived')));
    return row;
  }

  private async getUser(partnerId: string, userId: string): Promise<PartnerUser> {
    const [row] = await this.store.db.select().from(schema.partnerUsers).where(and(eq(schema.partnerUsers.id, userId), eq(schema.partnerUsers.partnerId, partnerId)));
    if (!row) throw new QudaoError('QD_NOT_FOUND', `partner ${partnerId} has no user ${userId}`);
    return toUser(row);
  }

  private async endSessions(userId: string): Promise<void> {
    await this.store.db.update(schema.partnerSessions).set({ revokedAt: new Date() }).where(and(eq(schema.partnerSessions.userId, userId), isNull(schema.partnerSessions.revokedAt)));
  }
}
