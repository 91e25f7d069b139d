import { and, asc, desc, eq, gt, isNull, or, type SQL } from 'drizzle-orm';
import { QudaoError } from '../errors/index.js';
import { effectiveRole, roleSchema, roleWithin, type Role } from '../shared/contract/access.js';
import type { AdminTokenInfo, CreateAdminTokenInput } from '../shared/contract/team.js';
import { newId, schema, type Database, type Store } from '../store/index.js';
import { ensureOwner, firstActiveOwner } from './owner.js';
import { digestsEqual, hashSecret, newSecret } from './secrets.js';

/** Admin API tokens look like `qd_admin_<40 base62>`; only their SHA-256 is stored. */
export const ADMIN_TOKEN_KIND = 'qd_admin';

/**
 * The notification channel of token and user changes: every replica's {@link AdminTokens} LISTENs on it
 * and reloads, so a revoked token, a disabled user or a demotion stops working on every replica at once.
 */
export const TOKENS_CHANNEL = 'qudao_admin_tokens';

/** How often a token's `last_used_at` is written at most: a busy script costs one write a minute, not one per request. */
const LAST_USED_EVERY_MS = 60_000;

/**
 * An admin caller, as the `/api` guard records it on the request: the user, the role this request acts
 * with (the user's role, or a token's narrower scope) and how it authenticated.
 */
export interface AdminPrincipal {
  kind: 'admin';
  userId: string;
  email: string;
  role: Role;
  via: 'token' | 'session';
  tokenId?: string;
}

/** One active token as cached: everything a request needs without a query. */
interface CachedToken {
  id: string;
  hash: string;
  userId: string;
  email: string;
  userRole: Role;
  scope: Role | null;
  expiresAtMs: number | null;
}

/** Who acts on tokens through the API: a non-owner sees and changes only their own. */
export interface TokenCaller {
  userId: string;
  role: Role;
}

/**
 * Admin API tokens of users: hashed in the store, verified against an in-memory cache in constant time
 * (every cached hash is compared, no early exit), reloaded after every change here and on a NOTIFY from
 * another replica ({@link TOKENS_CHANNEL}). Only tokens that are not revoked and whose user is not disabled
 * are cached; expiry is checked per request.
 */
export class AdminTokens {
  private tokens: CachedToken[] = [];
  private readonly lastUsedWrittenMs = new Map<string, number>();
  private unlisten: (() => Promise<void>) | undefined;

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Makes sure an owner and at least one token exist. The owner (e-mail `ownerEmail`) is created on the
   * first start; tokens from before users existed become the owner's. With a configured token, its hash is
   * registered as the owner's; otherwise, on the very first start, a token is created for the owner and
   * returned so the caller can print it once.
   */
  async ensure(configured?: string, ownerEmail?: string): Promise<{ created?: string }> {
    let created: string | undefined;
    const owner = await ensureOwner(this.store.db, ownerEmail);
    if (configured) {
      await this.store.db
        .insert(schema.adminTokens)
        .values({ id: newId('adm'), name: 'configured', prefix: configured.slice(0, 12), tokenHash: hashSecret(configured), userId: owner.id })
        .onConflictDoNothing();
    } else {
      const existing = await this.store.db.select({ id: schema.adminTokens.id }).from(schema.adminTokens).limit(1);
      if (existing.length === 0) {
        created = newSecret(ADMIN_TOKEN_KIND);
        await this.store.db.insert(schema.adminTokens).values({ id: newId('adm'), name: 'first start', prefix: created.slice(0, 12), tokenHash: hashSecret(created), userId: owner.id });
      }
    }
    await this.reload();
    return created ? { created } : {};
  }

  /** Subscribes to {@link TOKENS_CHANNEL}: another replica's change reloads this cache. */
  async start(): Promise<void> {
    this.unlisten ??= await this.store.listen(TOKENS_CHANNEL, () => void this.reload().catch(() => {}));
  }

  /** Unsubscribes. */
  async stop(): Promise<void> {
    const unlisten = this.unlisten;
    this.unlisten = undefined;
    await unlisten?.();
  }

  /** After a change of tokens or users: reload here at once, then tell the other replicas. */
  async changed(): Promise<void> {
    // Inside an audited /api mutation's transaction, after its commit (as GatewayCatalog.changed): a token
    // reloaded before the commit would authenticate even if the change then rolled back.
    await this.store.afterCommit(async () => {
      await this.reload();
      await this.store.notify(TOKENS_CHANNEL, 'changed').catch(() => {});
    });
  }

  /**
   * Issues a new owner token under `name` and revokes every earlier one of that name (the token a server
   * leaves in its data folder for the local CLI: one per server start, so a stale copy stops working).
   */
  async rotate(name: string): Promise<string> {
    const token = newSecret(ADMIN_TOKEN_KIND);
    await this.store.db.transaction(async (tx) => {
      const owner = await ensureOwner(tx);
      await tx.update(schema.adminTokens).set({ revokedAt: new Date(this.now()) }).where(and(eq(schema.adminTokens.name, name), isNull(schema.adminTokens.revokedAt)));
      await tx.insert(schema.adminTokens).values({ id: newId('adm'), name, prefix: token.slice(0, 12), tokenHash: hashSecret(token), userId: owner.id });
    });
    await this.changed();
    return token;
  }

  /** Revokes every active token named `name`. */
  async revokeNamed(name: string): Promise<void> {
    await this.store.db.update(schema.adminTokens).set({ revokedAt: new Date(this.now()) }).where(and(eq(schema.adminTokens.name, name), isNull(schema.adminTokens.revokedAt)));
    await this.changed();
  }

  /** Re-reads the active tokens and their users (after a change, or a NOTIFY from another replica). */
  async reload(): Promise<void> {
    const t = schema.adminTokens;
    const u = schema.adminUsers;
    const rows = await this.store.db
      .select({ id: t.id, hash: t.tokenHash, userId: u.id, email: u.email, userRole: u.role, scope: t.scope, expiresAt: t.expiresAt })
      .from(t)
      .innerJoin(u, eq(u.id, t.userId))
      .where(and(isNull(t.revokedAt), isNull(u.disabledAt)));
    this.tokens = rows.map((r) => ({
      id: r.id,
      hash: r.hash,
      userId: r.userId,
      email: r.email,
      userRole: roleSchema.parse(r.userRole),
      scope: r.scope === null ? null : roleSchema.parse(r.scope),
      expiresAtMs: r.expiresAt ? r.expiresAt.getTime() : null,
    }));
  }

  /**
   * The principal of an active, unexpired admin token, else undefined. Every cached hash is compared in
   * constant time, whichever matches; the role is the token's scope capped by its user's current role.
   */
  verify(token: string): AdminPrincipal | undefined {
    const h = hashSecret(token);
    let found: CachedToken | undefined;
    for (const cached of this.tokens) if (digestsEqual(h, cached.hash)) found = cached;
    if (!found) return undefined;
    const now = this.now();
    if (found.expiresAtMs !== null && found.expiresAtMs <= now) return undefined;
    this.touch(found.id, now);
    return { kind: 'admin', userId: found.userId, email: found.email, role: effectiveRole(found.scope, found.userRole), via: 'token', tokenId: found.id };
  }

  /** Lists tokens: of one user, or everyone's (`userId` undefined); active only unless `include` is `all`. */
  async list(userId: string | undefined, include: 'active' | 'all' = 'active'): Promise<AdminTokenInfo[]> {
    const t = schema.adminTokens;
    const filters: SQL[] = [];
    if (userId !== undefined) filters.push(eq(t.userId, userId));
    if (include === 'active') {
      filters.push(isNull(t.revokedAt));
      filters.push(or(isNull(t.expiresAt), gt(t.expiresAt, new Date(this.now())))!);
    }
    return this.select(this.store.db, and(...filters), [asc(schema.adminUsers.email), desc(t.createdAt), asc(t.id)]);
  }

  /**
   * Creates a token for the caller: its scope must be the caller's role or narrower (QD_INVALID_REQUEST
   * otherwise, naming `scope`), its expiry in the future.
   */
  async create(caller: TokenCaller, input: CreateAdminTokenInput): Promise<AdminTokenInfo & { token: string }> {
    const scope = input.scope ?? null;
    if (scope !== null && !roleWithin(scope, caller.role)) {
      throw new QudaoError('QD_INVALID_REQUEST', `scope: a ${caller.role} may issue tokens of scope ${caller.role}${caller.role === 'viewer' ? '' : ' or viewer'}, not ${scope}`, { param: 'scope' });
    }
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
    if (expiresAt && expiresAt.getTime() <= this.now()) throw new QudaoError('QD_INVALID_REQUEST', 'expiresAt: must be in the future', { param: 'expiresAt' });
    const token = newSecret(ADMIN_TOKEN_KIND);
    const id = newId('adm');
    await this.store.db.insert(schema.adminTokens).values({ id, name: input.name, prefix: token.slice(0, 12), tokenHash: hashSecret(token), userId: caller.userId, scope, expiresAt });
    await this.changed();
    return { ...(await this.get(caller, id)), token };
  }

  /** A new secret for a token (same user, name, scope and expiry); the old secret is revoked in the same transaction. */
  async rotateById(caller: TokenCaller, id: string): Promise<AdminTokenInfo & { token: string }> {
    const old = await this.get(caller, id);
    if (old.revokedAt) throw new QudaoError('QD_IMMUTABLE', `token ${id} is revoked; create a new one`);
    const token = newSecret(ADMIN_TOKEN_KIND);
    const newTokenId = newId('adm');
    await this.store.db.transaction(async (tx) => {
      const [revoked] = await tx.update(schema.adminTokens).set({ revokedAt: new Date(this.now()) }).where(and(eq(schema.adminTokens.id, id), isNull(schema.adminTokens.revokedAt))).returning({ id: schema.adminTokens.id });
      if (!revoked) throw new QudaoError('QD_CONFLICT', `token ${id} was revoked meanwhile`);
      await tx.insert(schema.adminTokens).values({ id: newTokenId, name: old.name, prefix: token.slice(0, 12), tokenHash: hashSecret(token), userId: old.userId, scope: old.scope, expiresAt: old.expiresAt ? new Date(old.expiresAt) : null });
    });
    await this.changed();
    return { ...(await this.get(caller, newTokenId)), token };
  }

  /** Revokes a token at once, here and (by NOTIFY) on every replica. Idempotent. */
  async revoke(caller: TokenCaller, id: string): Promise<AdminTokenInfo> {
    await this.get(caller, id);
    await this.store.db.update(schema.adminTokens).set({ revokedAt: new Date(this.now()) }).where(and(eq(schema.adminTokens.id, id), isNull(schema.adminTokens.revokedAt)));
    await this.changed();
    return this.get(caller, id);
  }

  /** One token; QD_NOT_FOUND when it does not exist or is someone else's and the caller is not an owner. */
  async get(caller: TokenCaller, id: string): Promise<AdminTokenInfo> {
    const t = schema.adminTokens;
    const [row] = await this.select(this.store.db, eq(t.id, id), [asc(t.id)]);
    if (!row || (row.userId !== caller.userId && caller.role !== 'owner')) throw new QudaoError('QD_NOT_FOUND', `no token ${id}`);
    return row;
  }

  /** The owner the local CLI token and `reset-owner` tokens belong to. */
  async owner(): Promise<{ id: string; email: string } | undefined> {
    return firstActiveOwner(this.store.db);
  }

  private async select(db: Database, where: SQL | undefined, order: SQL[]): Promise<AdminTokenInfo[]> {
    const t = schema.adminTokens;
    const u = schema.adminUsers;
    const rows = await db
      .select({ id: t.id, name: t.name, prefix: t.prefix, userId: u.id, userEmail: u.email, userRole: u.role, scope: t.scope, createdAt: t.createdAt, expiresAt: t.expiresAt, lastUsedAt: t.lastUsedAt, revokedAt: t.revokedAt })
      .from(t)
      .innerJoin(u, eq(u.id, t.userId))
      .where(where)
      .orderBy(...order);
    return rows.map(({ userRole, scope, createdAt, expiresAt, lastUsedAt, revokedAt, ...r }) => {
      const s = scope === null ? null : roleSchema.parse(scope);
      return { ...r, scope: s, role: effectiveRole(s, roleSchema.parse(userRole)), createdAt: createdAt.toISOString(), expiresAt: expiresAt?.toISOString() ?? null, lastUsedAt: lastUsedAt?.toISOString() ?? null, revokedAt: revokedAt?.toISOString() ?? null };
    });
  }

  /** Records a use, at most once a minute per token, without making the request wait for the write. */
  private touch(id: string, now: number): void {
    const last = this.lastUsedWrittenMs.get(id);
    if (last !== undefined && now - last < LAST_USED_EVERY_MS) return;
    this.lastUsedWrittenMs.set(id, now);
    if (this.lastUsedWrittenMs.size > 10_000) for (const [k, at] of this.lastUsedWrittenMs) if (now - at >= LAST_USED_EVERY_MS) this.lastUsedWrittenMs.delete(k);
    void this.store.db
      .update(schema.adminTokens)
      .set({ lastUsedAt: new Date(now) })
      .where(eq(schema.adminTokens.id, id))
      .catch(() => {});
  }
}
