import { and, desc, eq } from 'drizzle-orm';
import { QudaoError } from '../../errors/index.js';
import { newId, schema, startPlanHistory, type Store } from '../../store/index.js';
import type { GatewayCatalog } from '../catalog.js';
import { mintApiKey } from './api-key.js';

/** What an admin asks for when creating a key. Plan and partner default to the channel's. */
export interface CreateKeyInput {
  readonly customerId: string;
  readonly channelId: string;
  readonly planId?: string | undefined;
  readonly partnerId?: string | undefined;
  readonly name?: string | undefined;
  readonly models?: readonly string[] | undefined;
  readonly expiresAt?: Date | undefined;
  /** Upstream request timeout of this key's requests, ms (the deployment's when shorter); absent: none. */
  readonly timeoutMs?: number | undefined;
}

/** A key as listed: never the secret or its hash. */
export interface KeyView {
  readonly id: string;
  readonly prefix: string;
  readonly name: string;
  readonly customerId: string;
  readonly channelId: string;
  readonly partnerId: string | null;
  readonly planId: string;
  readonly models: string[];
  readonly status: string;
  readonly expiresAt: string | null;
  readonly timeoutMs: number | null;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

type KeyRow = typeof schema.apiKeys.$inferSelect;

function toView(row: KeyRow): KeyView {
  return {
    id: row.id,
    prefix: row.prefix,
    name: row.name,
    customerId: row.customerId,
    channelId: row.channelId,
    partnerId: row.partnerId,
    planId: row.planId,
    models: (row.models as string[]) ?? [],
    status: row.status,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    timeoutMs: row.timeoutMs,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** Creates, lists and revokes customer API keys; every change refreshes the gateway caches everywhere. */
export class KeyService {
  constructor(
    private readonly store: Store,
    private readonly catalog: GatewayCatalog,
  ) {}

  /** Creates a key for a customer through a channel; the returned `key` is the only time the secret is seen. */
  async createKey(input: CreateKeyInput): Promise<KeyView & { key: string }> {
    const { db } = this.store;
    const [customer] = await db.select({ id: schema.customers.id }).from(schema.customers).where(eq(schema.customers.id, input.customerId));
    if (!customer) throw new QudaoError('QD_NOT_FOUND', `no customer ${input.customerId}`, { param: 'customerId' });
    const [channel] = await db.select().from(schema.channels).where(eq(schema.channels.id, input.channelId));
    if (!channel) throw new QudaoError('QD_NOT_FOUND', `no channel ${input.channelId}`, { param: 'channelId' });
    const planId = input.planId ?? channel.defaultPlanId;
    if (!planId) throw new QudaoError('QD_INVALID_REQUEST', 'the channel has no default plan; pass planId', { param: 'planId' });
    const [plan] = await db.select({ id: schema.pricePlans.id }).from(schema.pricePlans).where(eq(schema.pricePlans.id, planId));
    if (!plan) throw new QudaoError('QD_NOT_FOUND', `no plan ${planId}`, { param: 'planId' });
    const minted = mintApiKey();
    const [row] = await db
      .insert(schema.apiKeys)
      .values({
        id: newId('key'),
        prefix: minted.prefix,
        keyHash: minted.keyHash,
        name: input.name ?? '',
        customerId: input.customerId,
        channelId: input.channelId,
        partnerId: input.partnerId ?? channel.ownerPartnerId,
        planId,
        models: [...(input.models ?? [])],
        expiresAt: input.expiresAt ?? null,
        timeoutMs: input.timeoutMs ?? null,
      })
      .returning();
    // A customer's first key starts its plan history (the plan its invoices bill fees and rates from).
    await startPlanHistory(db, input.customerId, planId, row!.createdAt);
    await this.catalog.changed();
    return { ...toView(row!), key: minted.secret };
  }

  /** Lists keys, newest first, optionally of one customer. */
  async listKeys(filter: { customerId?: string | undefined } = {}): Promise<(KeyView & { readonly customerName: string | null })[]> {
    const where = filter.customerId ? eq(schema.apiKeys.customerId, filter.customerId) : undefined;
    // The customer's name comes with each key so a list of thousands of keys reads by name, not `cus_…`.
    const rows = await this.store.db
      .select({ key: schema.apiKeys, customerName: schema.customers.name })
      .from(schema.apiKeys)
      .leftJoin(schema.customers, eq(schema.customers.id, schema.apiKeys.customerId))
      .where(where)
      .orderBy(desc(schema.apiKeys.createdAt));
    return rows.map((r) => ({ ...toView(r.key), customerName: r.customerName }));
  }

  /** One key by id or visible prefix. */
  async getKey(idOrPrefix: string): Promise<KeyView> {
    const rows = await this.store.db.select().from(schema.apiKeys).where(idOrPrefix.startsWith('key_') ? eq(schema.apiKeys.id, idOrPrefix) : eq(schema.apiKeys.prefix, idOrPrefix));
    if (!rows[0]) throw new QudaoError('QD_NOT_FOUND', `no API key ${idOrPrefix}`);
    return toView(rows[0]);
  }

  /** Revokes a key (idempotent); every replica refuses it once its cache reloads (this one at once). */
  async revokeKey(idOrPrefix: string): Promise<KeyView> {
    const key = await this.getKey(idOrPrefix);
    const [row] = await this.store.db
      .update(schema.apiKeys)
      .set({ status: 'revoked', revokedAt: new Date() })
      .where(and(eq(schema.apiKeys.id, key.id), eq(schema.apiKeys.status, 'active')))
      .returning();
    await this.catalog.changed();
    return row ? toView(row) : this.getKey(key.id);
  }
}
