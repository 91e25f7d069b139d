import { doublePrecision, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.js';
import { partners } from './partners.js';

/** A criterion partner candidates are scored on (合作伙伴选择); `kind` says whether more is better. */
export const selectionCriteria = pgTable('selection_criteria', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  /** `benefit` (more is better) or `cost` (more is worse). */
  kind: text('kind').notNull(),
  description: text('description').notNull().default(''),
  /** Order of the criterion in decision matrices and AHP pairwise matrices (ascending). */
  position: integer('position').notNull().default(0),
  createdAt: createdAt(),
});

/** A candidate partner under evaluation; `partner_id` links it once it is (or already was) a partner. */
export const partnerCandidates = pgTable('partner_candidates', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  partnerId: text('partner_id').references(() => partners.id),
  type: text('type').notNull().default(''),
  region: text('region').notNull().default(''),
  notes: text('notes').notNull().default(''),
  /** `candidate`, `shortlisted`, `selected` or `rejected`. */
  status: text('status').notNull().default('candidate'),
  createdAt: createdAt(),
});

/** A candidate's raw score on one criterion (any consistent scale per criterion). */
export const candidateScores = pgTable(
  'candidate_scores',
  {
    candidateId: text('candidate_id').notNull().references(() => partnerCandidates.id, { onDelete: 'cascade' }),
    criterionId: text('criterion_id').notNull().references(() => selectionCriteria.id, { onDelete: 'cascade' }),
    score: doublePrecision('score').notNull(),
  },
  (t) => [primaryKey({ columns: [t.candidateId, t.criterionId] })],
);

/** A saved AHP pairwise comparison matrix (Saaty 1–9 scale) over named criteria, with its consistency. */
export const ahpMatrices = pgTable('ahp_matrices', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  /** Criterion ids (or any labels) in row order. */
  labels: jsonb('labels').notNull(),
  /** Row-major n × n matrix, a_ij = how much more i matters than j. */
  matrix: jsonb('matrix').notNull(),
  consistencyRatio: doublePrecision('consistency_ratio').notNull(),
  createdAt: createdAt(),
});
