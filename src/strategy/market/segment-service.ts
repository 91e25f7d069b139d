import { asc, eq } from 'drizzle-orm';
import { found, QudaoError } from '../../errors/index.js';
import { newId, schema, uniquely, type Store } from '../../store/index.js';
import type { CreateSegmentInput, UpdateSegmentInput } from '../../shared/contract/strategy/market.js';

/** A market segment row. */
export type Segment = typeof schema.segments.$inferSelect;

/** Market segments (目标市场): industry × region × company size with size, growth, willingness to pay, competition, fit. */
export class SegmentService {
  constructor(private readonly store: Store) {}

  /** Every segment, by name. */
  listSegments(): Promise<Segment[]> {
    return this.store.db.select().from(schema.segments).orderBy(asc(schema.segments.name));
  }

  /** One segment; QD_NOT_FOUND when absent. */
  async getSegment(id: string): Promise<Segment> {
    const [row] = await this.store.db.select().from(schema.segments).where(eq(schema.segments.id, id));
    return found(row, `segment ${id}`);
  }

  /** Creates a segment; QD_CONFLICT when the name is taken. */
  async createSegment(input: CreateSegmentInput): Promise<Segment> {
    const [row] = await uniquely(`segment "${input.name}"`, 'name', () => this.store.db.insert(schema.segments).values({ id: newId('seg'), ...input }).returning());
    return row!;
  }

  /** Changes a segment. */
  async updateSegment(id: string, input: UpdateSegmentInput): Promise<Segment> {
    const [row] = await uniquely(`segment "${input.name ?? ''}"`, 'name', () => this.store.db.update(schema.segments).set(input).where(eq(schema.segments.id, id)).returning());
    return found(row, `segment ${id}`);
  }

  /** Deletes a segment no customer or campaign refers to; QD_REFERENCED otherwise. */
  async deleteSegment(id: string): Promise<void> {
    const [refs] = await this.store.query<{ customers: string; campaigns: string }>(
      `SELECT (SELECT count(*) FROM customers WHERE segment_id = $1)::text AS customers,
              (SELECT count(*) FROM campaigns WHERE segment_id = $1)::text AS campaigns`,
      [id],
    );
    const held = [[refs!.customers, 'customers'], [refs!.campaigns, 'campaigns']].filter(([n]) => Number(n) > 0).map(([n, what]) => `${n} ${what}`);
    if (held.length > 0) throw new QudaoError('QD_REFERENCED', `segment ${id} is referenced by ${held.join(', ')}`);
    const gone = await this.store.db.delete(schema.segments).where(eq(schema.segments.id, id)).returning();
    if (gone.length === 0) throw new QudaoError('QD_NOT_FOUND', `no segment ${id}`);
  }
}
