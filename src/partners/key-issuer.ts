import { eq } from 'drizzle-orm';
import { hashSecret, newSecret } from '../auth/index.js';
import { QudaoError } from '../errors/index.js';
import { newId, schema, startPlanHistory, type Store } from '../store/index.js';

/** What the portal asks for when a partner creates a key for one of its customers. */
export interface PartnerKeyRequest {
  customerId: string;
  channelId: string;
  partnerId: string;
  name?: string | undefined;
}

/** A created key: the secret appears here once and is never stored. */
export interface IssuedKey {
  id: string;
  prefix: string;
  key: string;
}

/**
 * Creates customer API keys for the portal. The gateway's key service satisfies this interface (the
 * composition root passes it in), so keys created in the portal reach the gateway's caches at once.
 */
export interface PartnerKeyIssuer {
  createKey(input: PartnerKeyRequest): Promise<IssuedKey>;
}

/**
 * A minimal issuer that writes `api_keys` rows exactly as the schema documents them (SHA-256 hex hash, visible
 * prefix, plan from the channel). Used where no gateway key service is wired in (tests, tools); a running
 * gateway picks such keys up when its key cache next reloads.
 */
export class LedgerKeyIssuer implements PartnerKeyIssuer {
  constructor(private readonly store: Store) {}

  async createKey(input: PartnerKeyRequest): Promise<IssuedKey> {
    const [channel] = await this.store.db.select().from(schema.channels).where(eq(schema.channels.id, input.channelId));
    if (!channel?.defaultPlanId) throw new QudaoError('QD_INVALID_REQUEST', `channelId: channel ${input.channelId} has no default price plan`, { param: 'channelId' });
    const secret = newSecret('qd_sk');
    const prefix = secret.slice(0, 'qd_sk_'.length + 8);
    const id = newId('key');
    await this.store.db.insert(schema.apiKeys).values({
      id,
      prefix,
      keyHash: hashSecret(secret),
      name: input.name ?? '',
      customerId: input.customerId,
      channelId: input.channelId,
      partnerId: input.partnerId,
      planId: channel.defaultPlanId,
    });
    // A customer's first key starts its plan history (the plan its invoices bill fees and rates from).
    await startPlanHistory(this.store.db, input.customerId, channel.defaultPlanId, new Date());
    return { id, prefix, key: secret };
  }
}
