import { cp, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { QudaoError } from '../../errors/index.js';
import { newId, schema, type Store } from '../../store/index.js';

/** A model family row. */
export type ModelRow = typeof schema.models.$inferSelect;
/** An immutable model version row. */
export type ModelVersionRow = typeof schema.modelVersions.$inferSelect;

/** What registering a trained checkpoint needs. */
export interface RegisterVersionInput {
  /** Model family name, e.g. `qudao-brown`; created on first use. Lower case, digits, `-`, `_`, `.`. */
  readonly modelName: string;
  /** `gpt`, `lstm`, or `<arch>-classifier`. */
  readonly kind: string;
  /** The model's config (architecture, preset, tokenizer, training summary), stored with the version. */
  readonly config: Record<string, unknown>;
  /** Folder holding the checkpoint (safetensors + JSON). */
  readonly checkpointDir: string;
  /** Evaluation results (validation loss, perplexity, accuracy, ...). */
  readonly metrics?: Record<string, unknown>;
  readonly description?: string;
  readonly parentVersionId?: string;
  /**
   * Copy the checkpoint into the registry's own folder (default true), so later training cannot change a
   * registered version. The committed bundled model is registered in place (`false`): git keeps it fixed.
   */
  readonly copy?: boolean;
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/**
 * The model registry: model families and their immutable versions. A version's checkpoint is copied into
 * `<modelsDir>/<name>/v<version>/` when registered and never written again; versions are only ever added
 * (or archived), so a deployment that points at one always serves the same weights.
 */
export class ModelRegistry {
  constructor(
    private readonly store: Store,
    /** Folder that holds registered checkpoints (`<dataDir>/models`). */
    private readonly modelsDir: string,
  ) {}

  /** Registers a new version of `modelName` (created if new) and returns it. */
  async registerVersion(input: RegisterVersionInput): Promise<ModelVersionRow> {
    if (!NAME.test(input.modelName)) {
      throw new QudaoError('QD_INVALID_REQUEST', `model name "${input.modelName}" must be lower case letters, digits, ".", "-" or "_" (at most 64)`, { param: 'model' });
    }
    await assertCheckpointFolder(input.checkpointDir);
    const model = await this.ensureModel(input.modelName, input.kind, input.description ?? '');
    const [{ next }] = (await this.store.db
      .select({ next: sql<number>`coalesce(max(${schema.modelVersions.version}), 0) + 1` })
      .from(schema.modelVersions)
      .where(eq(schema.modelVersions.modelId, model.id))) as [{ next: number }];
    const version = Number(next);
    let checkpointPath = resolve(input.checkpointDir);
    if (input.copy ?? true) {
      checkpointPath = join(resolve(this.modelsDir), input.modelName, `v${version}`);
      // errorOnExist + force:false: a folder left by an earlier, failed registration is never overwritten.
      await cp(input.checkpointDir, checkpointPath, { recursive: true, errorOnExist: true, force: false });
    }
    const [row] = await this.store.db
      .insert(schema.modelVersions)
      .values({
        id: newId('mv'),
        modelId: model.id,
        version,
        config: input.config,
        checkpointPath,
        metrics: input.metrics ?? {},
        parentVersionId: input.parentVersionId ?? null,
      })
      .returning();
    return row!;
  }

  /** Every model family with its number of versions, by name. */
  async listModels(): Promise<Array<ModelRow & { versions: number }>> {
    const rows = await this.store.db
      .select({ model: schema.models, versions: sql<number>`count(${schema.modelVersions.id})::int` })
      .from(schema.models)
      .leftJoin(schema.modelVersions, eq(schema.modelVersions.modelId, schema.models.id))
      .groupBy(schema.models.id)
      .orderBy(asc(schema.models.name));
    return rows.map((r) => ({ ...r.model, versions: Number(r.versions) }));
  }

  /** The versions of one model, newest first. */
  async listVersions(modelName: string): Promise<ModelVersionRow[]> {
    const model = await this.model(modelName);
    return this.store.db.select().from(schema.modelVersions).where(eq(schema.modelVersions.modelId, model.id)).orderBy(desc(schema.modelVersions.version));
  }

  /** A model family by name; QD_NOT_FOUND when absent. */
  async model(name: string): Promise<ModelRow> {
    const [row] = await this.store.db.select().from(schema.models).where(eq(schema.models.name, name));
    if (!row) throw new QudaoError('QD_NOT_FOUND', `no model named "${name}"; see npx qudao models list`);
    return row;
  }

  /**
   * A version by reference: its id (`mv_…`), `name@3`, or a bare `name` (the newest ready version).
   * QD_NOT_FOUND when it does not exist.
   */
  async version(ref: string): Promise<ModelVersionRow & { modelName: string }> {
    const at = /^(.+)@(\d+)$/.exec(ref);
    const byName = !ref.startsWith('mv_');
    const where = !byName
      ? eq(schema.modelVersions.id, ref)
      : at
        ? and(eq(schema.models.name, at[1]!), eq(schema.modelVersions.version, Number(at[2])))
        : and(eq(schema.models.name, ref), eq(schema.modelVersions.status, 'ready'));
    const [row] = await this.store.db
      .select({ v: schema.modelVersions, modelName: schema.models.name })
      .from(schema.modelVersions)
      .innerJoin(schema.models, eq(schema.models.id, schema.modelVersions.modelId))
      .where(where)
      .orderBy(desc(schema.modelVersions.version))
      .limit(1);
    if (!row) throw new QudaoError('QD_NOT_FOUND', `no model version "${ref}"; give an id (mv_…), name@version or a model name`);
    return { ...row.v, modelName: row.modelName };
  }

  /**
   * What serving needs to load a version, by id: its checkpoint folder and config; undefined when no such
   * version is registered. The composition root hands this to inference as its version lookup.
   */
  async filesOf(modelVersionId: string): Promise<{ checkpointPath: string; config: unknown } | undefined> {
    const [row] = await this.store.db
      .select({ checkpointPath: schema.modelVersions.checkpointPath, config: schema.modelVersions.config })
      .from(schema.modelVersions)
      .where(eq(schema.modelVersions.id, modelVersionId));
    return row;
  }

  /** Archives a version (it stays readable, and deployments already on it keep working). */
  async archive(ref: string): Promise<ModelVersionRow> {
    const v = await this.version(ref);
    const [row] = await this.store.db.update(schema.modelVersions).set({ status: 'archived' }).where(eq(schema.modelVersions.id, v.id)).returning();
    return row!;
  }

  private async ensureModel(name: string, kind: string, description: string): Promise<ModelRow> {
    await this.store.db.insert(schema.models).values({ id: newId('mdl'), name, kind, description }).onConflictDoNothing({ target: schema.models.name });
    const model = await this.model(name);
    if (model.kind !== kind) {
      throw new QudaoError('QD_CONFLICT', `model "${name}" holds ${model.kind} versions, not ${kind}; register under another name`, { param: 'model' });
    }
    return model;
  }
}

async function assertCheckpointFolder(dir: string): Promise<void> {
  const s = await stat(dir).catch(() => null);
  if (!s?.isDirectory()) throw new QudaoError('QD_NOT_FOUND', `checkpoint folder ${dir} does not exist`, { param: 'checkpoint' });
}
