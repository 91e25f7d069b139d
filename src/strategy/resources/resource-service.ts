import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { found, QudaoError } from '../../errors/index.js';
import { newId, schema, type Store } from '../../store/index.js';
import type { CreateResourceInput } from '../../shared/contract/strategy/resources.js';

/** A grant row. */
export type ResourceGrant = typeof schema.resourceGrants.$inferSelect;
/** A resource with its grants (active and revoked). */
export type SharedResource = typeof schema.resources.$inferSelect & { grants: ResourceGrant[]; deploymentName: string | null };

/** The `uri` a resource served by the gateway gets: `qudao:deployment/<public model name>`. */
export const DEPLOYMENT_URI_PREFIX = 'qudao:deployment/';

/**
 * Resource sharing and integration: a catalogue of shared models, fine-tunes, data sets, prompt packs and
 * documents, with per-partner grants. A `fine_tune` is a partner's own model: it names the gateway deployment
 * serving it, whose `owner_partner_id` must be that partner — the gateway then serves it to that partner's
 * keys only. Granting a fine-tune to another partner shares the catalogue entry (weights, docs), not gateway
 * access, which stays with the deployment's owner.
 */
export class ResourceService {
  constructor(private readonly store: Store) {}

  /** Resources by kind and name; `partnerId` keeps those it owns or holds an active grant to. */
  async listResources(filter: { kind?: string | undefined; partnerId?: string | undefined } = {}): Promise<SharedResource[]> {
    const q = this.store.db.select().from(schema.resources);
    const rows = await (filter.kind ? q.where(eq(schema.resources.kind, filter.kind)) : q).orderBy(asc(schema.resources.kind), asc(schema.resources.name));
    const grants = rows.length === 0 ? [] : await this.store.db.select().from(schema.resourceGrants).where(inArray(schema.resourceGrants.resourceId, rows.map((r) => r.id))).orderBy(asc(schema.resourceGrants.grantedAt));
    const out = rows.map((r): SharedResource => ({
      ...r, grants: grants.filter((g) => g.resourceId === r.id),
      deploymentName: r.uri?.startsWith(DEPLOYMENT_URI_PREFIX) ? r.uri.slice(DEPLOYMENT_URI_PREFIX.length) : null,
    }));
    if (!filter.partnerId) return out;
    return out.filter((r) => r.ownerPartnerId === filter.partnerId || r.grants.some((g) => g.partnerId === filter.partnerId && g.revokedAt === null));
  }

  /** One resource with its grants. */
  async getResource(id: string): Promise<SharedResource> {
    return found((await this.listResources()).find((r) => r.id === id), `resource ${id}`);
  }

  /** Adds a resource; a fine-tune needs its owner and a deployment owned by that same partner. */
  async createResource(input: CreateResourceInput): Promise<SharedResource> {
    if (input.ownerPartnerId) await this.checkPartner(input.ownerPartnerId, 'ownerPartnerId');
    if (input.kind === 'fine_tune' && !input.ownerPartnerId) invalid('ownerPartnerId', 'a fine_tune belongs to a partner: give ownerPartnerId');
    if (input.deploymentName) await this.checkDeployment(input);
    const uri = input.deploymentName ? `${DEPLOYMENT_URI_PREFIX}${input.deploymentName}` : input.uri ?? null;
    const id = newId('res');
    await this.store.db.insert(schema.resources).values({ id, kind: input.kind, name: input.name, description: input.description, uri, ownerPartnerId: input.ownerPartnerId ?? null });
    return this.getResource(id);
  }

  /** Grants a partner a resource; an active grant for the same pair is QD_CONFLICT. */
  async grant(resourceId: string, partnerId: string): Promise<ResourceGrant> {
    await this.getResource(resourceId);
    await this.checkPartner(partnerId, 'partnerId');
    const [active] = await this.store.db.select().from(schema.resourceGrants).where(and(eq(schema.resourceGrants.resourceId, resourceId), eq(schema.resourceGrants.partnerId, partnerId), isNull(schema.resourceGrants.revokedAt)));
    if (active) throw new QudaoError('QD_CONFLICT', `partner ${partnerId} already holds grant ${active.id} to resource ${resourceId}`);
    const [row] = await this.store.db.insert(schema.resourceGrants).values({ id: newId('grt'), resourceId, partnerId }).returning();
    return row!;
  }

  /** Revokes a grant (kept, with `revokedAt`); revoking twice is QD_CONFLICT. */
  async revoke(resourceId: string, grantId: string): Promise<ResourceGrant> {
    const [row] = await this.store.db.select().from(schema.resourceGrants).where(and(eq(schema.resourceGrants.id, grantId), eq(schema.resourceGrants.resourceId, resourceId)));
    const grant = found(row, `grant ${grantId} on resource ${resourceId}`);
    if (grant.revokedAt) throw new QudaoError('QD_CONFLICT', `grant ${grantId} was already revoked`);
    const [revoked] = await this.store.db.update(schema.resourceGrants).set({ revokedAt: new Date() }).where(eq(schema.resourceGrants.id, grantId)).returning();
    return revoked!;
  }

  private async checkPartner(partnerId: string, param: string): Promise<void> {
    const [p] = await this.store.db.select({ id: schema.partners.id }).from(schema.partners).where(eq(schema.partners.id, partnerId));
    if (!p) invalid(param, `no partner ${partnerId}`);
  }

  private async checkDeployment(input: CreateResourceInput): Promise<void> {
    const [d] = await this.store.db.select().from(schema.deployments).where(eq(schema.deployments.name, input.deploymentName!));
    if (!d) invalid('deploymentName', `no deployment ${input.deploymentName}`);
    if (input.kind === 'fine_tune' && d.ownerPartnerId !== input.ownerPartnerId) {
      invalid('deploymentName', `deployment ${d.name} is owned by ${d.ownerPartnerId ?? 'no partner'}; set its ownerPartnerId to ${input.ownerPartnerId} (PATCH /api/deployments/${d.id}) so only that partner's keys may call it`);
    }
  }
}

function invalid(param: string, why: string): never {
  throw new QudaoError('QD_INVALID_REQUEST', `${param}: ${why}`, { param });
}
