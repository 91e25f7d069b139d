/**
 * The admin side of guardrails (`/api/deployments/:id/guardrails`): validates what an admin sends
 * (./rules.ts), stores it, and reloads every replica's cache, so the hot path never queries per request.
 * The counts of what guardrails did come from their ledger lines (./ledger-lines.ts).
 */
import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import { QudaoError } from '../../errors/index.js';
import type { CreateGuardrailInput, Guardrail, GuardrailStats, UpdateGuardrailInput } from '../../shared/contract/guardrails.js';
import { newId, schema, uniquely, type DeploymentStore, type Store } from '../../store/index.js';
import type { GatewayCatalog } from '../catalog.js';
import { GUARDRAIL_ENDPOINT, GUARDRAIL_REQUEST_MARK } from './ledger-lines.js';
import { guardrailConfigOf, type GuardrailConfig } from './rules.js';

type Row = typeof schema.guardrails.$inferSelect;

/** A stored row as `/api` answers it (the other kinds' settings null). */
function view(r: Row): Guardrail {
  const c = r.config as GuardrailConfig;
  return {
    id: r.id,
    deploymentId: r.deploymentId,
    name: r.name,
    stage: r.stage as Guardrail['stage'],
    kind: r.kind as Guardrail['kind'],
    action: r.action as Guardrail['action'],
    enabled: r.enabled,
    order: r.position,
    terms: c.terms ? [...c.terms] : null,
    patterns: c.patterns ? [...c.patterns] : null,
    maxChars: c.maxChars ?? null,
    maxTokens: c.maxTokens ?? null,
    classifier: c.classifier ?? null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** Creates, lists, changes and removes guardrails; every change reaches every replica's cache. */
export class GuardrailService {
  constructor(
    private readonly store: Store,
    private readonly deployments: DeploymentStore,
    private readonly catalog: GatewayCatalog,
  ) {}

  /** A deployment's guardrails in the order they run. */
  async list(deployment: string): Promise<Guardrail[]> {
    const dep = await this.deploymentId(deployment);
    return (await this.rowsOf(dep)).map(view);
  }

  async create(deployment: string, input: CreateGuardrailInput): Promise<Guardrail> {
    const deploymentId = await this.deploymentId(deployment);
    const config = guardrailConfigOf(input);
    await this.checkClassifier(config);
    const row = await uniquely(`a guardrail named "${input.name}" on this deployment`, 'name', async () => {
      const [r] = await this.store.db
        .insert(schema.guardrails)
        .values({ id: newId('grd'), deploymentId, name: input.name, stage: input.stage, kind: input.kind, action: input.action, config, enabled: input.enabled ?? true, position: input.order ?? 0 })
        .returning();
      return r!;
    });
    await this.catalog.changed();
    return view(row);
  }

  async update(deployment: string, guardrailId: string, patch: UpdateGuardrailInput): Promise<Guardrail> {
    const current = await this.find(deployment, guardrailId);
    const before = current.config as GuardrailConfig;
    const kind = patch.kind ?? current.kind;
    // A new kind drops the old kind's settings; the same kind keeps those the patch does not replace.
    const kept: GuardrailConfig = kind === current.kind ? before : {};
    const merged = {
      stage: patch.stage ?? (current.stage as Guardrail['stage']),
      kind: kind as Guardrail['kind'],
      action: patch.action ?? (current.action as Guardrail['action']),
      ...kept,
      ...(patch.terms ? { terms: patch.terms } : {}),
      ...(patch.patterns ? { patterns: patch.patterns } : {}),
      ...(patch.maxChars !== undefined ? { maxChars: patch.maxChars } : {}),
      ...(patch.maxTokens !== undefined ? { maxTokens: patch.maxTokens } : {}),
      ...(patch.classifier ? { classifier: patch.classifier } : {}),
    };
    const config = guardrailConfigOf(merged);
    await this.checkClassifier(config);
    const row = await uniquely(`a guardrail named "${patch.name ?? current.name}" on this deployment`, 'name', async () => {
      const [r] = await this.store.db
        .update(schema.guardrails)
        .set({ name: patch.name ?? current.name, stage: merged.stage, kind: merged.kind, action: merged.action, config, enabled: patch.enabled ?? current.enabled, position: patch.order ?? current.position, updatedAt: new Date() })
        .where(eq(schema.guardrails.id, current.id))
        .returning();
      return r!;
    });
    await this.catalog.changed();
    return view(row);
  }

  /** Removes a guardrail; the ledger lines it wrote stay (the ledger is append-only). */
  async remove(deployment: string, guardrailId: string): Promise<{ id: string; deleted: true }> {
    const current = await this.find(deployment, guardrailId);
    await this.store.db.delete(schema.guardrails).where(eq(schema.guardrails.id, current.id));
    await this.catalog.changed();
    return { id: current.id, deleted: true };
  }

  /** Per-guardrail counts of refusals, redactions and flags, and classifier runs with their cost, from the ledger. */
  async stats(deployment: string, range: { from?: Date | undefined; to?: Date | undefined }): Promise<GuardrailStats> {
    const deploymentId = await this.deploymentId(deployment);
    const u = schema.usageEvents;
    // A literal, not a parameter: GROUP BY must see the same expression as the SELECT list.
    const guardrailId = sql<string>`split_part(${u.requestId}, ${sql.raw(`'${GUARDRAIL_REQUEST_MARK}'`)}, 2)`;
    const counted = (status: string) => sql<number>`count(*) filter (where ${u.status} = ${status})`.mapWith(Number);
    const where = and(eq(u.endpoint, GUARDRAIL_ENDPOINT), eq(u.deploymentId, deploymentId), range.from ? gte(u.occurredAt, range.from) : undefined, range.to ? lt(u.occurredAt, range.to) : undefined);
    const rows = await this.store.db
      .select({ guardrailId, refusals: counted('refuse'), redactions: counted('redact'), flags: counted('flag'), evaluations: sql<number>`count(*) filter (where ${u.costMicros} > 0)`.mapWith(Number), costMicros: sql<number>`coalesce(sum(${u.costMicros}), 0)`.mapWith(Number) })
      .from(u)
      .where(where)
      .groupBy(guardrailId);
    const byId = new Map(rows.map((r) => [r.guardrailId, r]));
    const guards = await this.rowsOf(deploymentId);
    return {
      deploymentId,
      data: guards.map((g) => {
        const r = byId.get(g.id);
        return { guardrailId: g.id, name: g.name, refusals: r?.refusals ?? 0, redactions: r?.redactions ?? 0, flags: r?.flags ?? 0, evaluations: r?.evaluations ?? 0, costMicros: r?.costMicros ?? 0 };
      }),
    };
  }

  private rowsOf(deploymentId: string): Promise<Row[]> {
    return this.store.db.select().from(schema.guardrails).where(eq(schema.guardrails.deploymentId, deploymentId)).orderBy(asc(schema.guardrails.position), asc(schema.guardrails.createdAt));
  }

  private async deploymentId(idOrName: string): Promise<string> {
    const d = await this.deployments.find(idOrName);
    if (!d) throw new QudaoError('QD_NOT_FOUND', `no deployment ${idOrName}`);
    return d.id;
  }

  private async find(deployment: string, guardrailId: string): Promise<Row> {
    const deploymentId = await this.deploymentId(deployment);
    const [row] = await this.store.db.select().from(schema.guardrails).where(and(eq(schema.guardrails.id, guardrailId), eq(schema.guardrails.deploymentId, deploymentId)));
    if (!row) throw new QudaoError('QD_NOT_FOUND', `no guardrail ${guardrailId} on deployment ${deployment}`);
    return row;
  }

  /** A classifier guardrail names a registered classifier version with the label it watches. */
  private async checkClassifier(config: GuardrailConfig): Promise<void> {
    const c = config.classifier;
    if (!c) return;
    const [version] = await this.store.db.select().from(schema.modelVersions).where(eq(schema.modelVersions.id, c.modelVersionId));
    if (!version) throw new QudaoError('QD_INVALID_REQUEST', `classifier.modelVersionId: no model version ${c.modelVersionId} is registered`, { param: 'classifier.modelVersionId' });
    const labels = (version.config as { classifier?: { labels?: unknown } }).classifier?.labels;
    if (!Array.isArray(labels)) throw new QudaoError('QD_INVALID_REQUEST', `classifier.modelVersionId: ${c.modelVersionId} is a language model, not a classifier`, { param: 'classifier.modelVersionId' });
    if (!labels.includes(c.label)) throw new QudaoError('QD_INVALID_REQUEST', `classifier.label: must be one of the classifier's labels (${labels.join(', ')})`, { param: 'classifier.label' });
  }
}
