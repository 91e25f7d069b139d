import { z } from 'zod';
import { windowQueryFields } from '../http/window.js';

/** The kinds of relation between partners (生态系统协同). */
export const RELATION_KINDS = ['referral', 'co_selling', 'integration', 'resells_for'] as const;

/** `POST /api/partner-relations`: A → B of a kind. */
export const createRelationSchema = z.object({ fromPartnerId: z.string().min(1), toPartnerId: z.string().min(1), kind: z.enum(RELATION_KINDS) }).strict();
/** `GET /api/partner-relations` filters. */
export const listRelationsSchema = z.object({ partnerId: z.string().optional(), kind: z.enum(RELATION_KINDS).optional() }).strict();
/** `GET /api/ecosystem`. */
export const ecosystemQuerySchema = z.object(windowQueryFields).strict();

/** Input of relation creation. */
export type CreateRelationInput = z.infer<typeof createRelationSchema>;
