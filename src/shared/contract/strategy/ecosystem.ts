import { z } from 'zod';
import { count, id, idParams, listOf, noContent, timestamp } from '../common.js';
import { defineRoute } from '../route.js';
import { windowAnswerFields, windowQuerySchema } from './common.js';

/** The kinds of relation between partners (生态系统协同). */
export const RELATION_KINDS = ['referral', 'co_selling', 'integration', 'resells_for'] as const;

/** `POST /api/partner-relations`: A → B of a kind. */
export const createRelationSchema = z.object({ fromPartnerId: z.string().min(1), toPartnerId: z.string().min(1), kind: z.enum(RELATION_KINDS) }).strict();
/** `GET /api/partner-relations` filters. */
export const listRelationsSchema = z.object({ partnerId: z.string().optional(), kind: z.enum(RELATION_KINDS).optional() }).strict();
/** `GET /api/ecosystem`. */
export const ecosystemQuerySchema = windowQuerySchema;

/** Input of relation creation. */
export type CreateRelationInput = z.infer<typeof createRelationSchema>;

const relationFields = { id, fromPartnerId: z.string(), toPartnerId: z.string(), kind: z.string(), createdAt: timestamp };

/** A relation from one partner to another. */
export const partnerRelationSchema = z.object(relationFields);

/** `GET /api/ecosystem`: partners (sourced and influenced revenue), relations (revenue along them) and totals. */
export const ecosystemGraphSchema = z.object({
  ...windowAnswerFields,
  nodes: z.array(
    z.object({
      partnerId: z.string(),
      name: z.string(),
      type: z.string(),
      status: z.string(),
      sourcedCustomers: count,
      sourcedRevenueMicros: z.number(),
      influencedCustomers: count,
      influencedRevenueMicros: z.number(),
    }),
  ),
  edges: z.array(z.object({ ...relationFields, customers: count, revenueMicros: z.number() })),
  totalRevenueMicros: z.number(),
  partnerSourcedRevenueMicros: z.number(),
  partnerInfluencedRevenueMicros: z.number(),
});

/** `GET /api/ecosystem` as answered. */
export type EcosystemGraphAnswer = z.infer<typeof ecosystemGraphSchema>;

const tag = 'ecosystem';

/** Ecosystem synergy: partner relations and the revenue graph (admin). */
export const ecosystemRoutes = {
  listRelations: defineRoute({ method: 'GET', url: '/api/partner-relations', tag, access: 'admin', summary: 'Partner relations', query: listRelationsSchema, response: { 200: listOf(partnerRelationSchema) } }),
  createRelation: defineRoute({ method: 'POST', url: '/api/partner-relations', tag, access: 'admin', summary: 'Relate one partner to another', body: createRelationSchema, response: { 201: partnerRelationSchema } }),
  deleteRelation: defineRoute({ method: 'DELETE', url: '/api/partner-relations/:id', tag, access: 'admin', summary: 'Delete a partner relation', params: idParams, response: { 204: noContent } }),
  graph: defineRoute({
    method: 'GET',
    url: '/api/ecosystem',
    tag,
    access: 'admin',
    summary: 'Partners with sourced and influenced revenue, and the revenue along their relations',
    query: ecosystemQuerySchema,
    response: { 200: ecosystemGraphSchema },
  }),
} as const;
