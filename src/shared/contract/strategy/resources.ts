import { z } from 'zod';
import { id, listOf, timestamp } from '../common.js';
import { defineRoute } from '../route.js';

/** Kinds of shared resource (资源共享与整合). */
export const RESOURCE_KINDS = ['model', 'fine_tune', 'dataset', 'prompt_pack', 'document'] as const;

/** `POST /api/resources`. A `fine_tune` names the gateway deployment that serves it and its owner partner. */
export const createResourceSchema = z
  .object({
    kind: z.enum(RESOURCE_KINDS),
    name: z.string().trim().min(1, 'must not be empty').max(120),
    description: z.string().max(2000).default(''),
    uri: z.string().min(1).max(2000).optional(),
    ownerPartnerId: z.string().min(1).optional(),
    /** The deployment (public model name) serving a model or fine-tune through the gateway. */
    deploymentName: z.string().min(1).optional(),
  })
  .strict();
/** `GET /api/resources` filters. */
export const listResourcesSchema = z.object({ kind: z.enum(RESOURCE_KINDS).optional(), partnerId: z.string().optional() }).strict();
/** `POST /api/resources/:id/grants`. */
export const grantSchema = z.object({ partnerId: z.string().min(1) }).strict();
/** `GET /api/resources/shared` (admins name the partner). */
export const sharedQuerySchema = z.object({ partnerId: z.string().optional() }).strict();

/** Input of resource creation. */
export type CreateResourceInput = z.infer<typeof createResourceSchema>;

/** A partner's grant to a resource; `revokedAt` once revoked. */
export const resourceGrantSchema = z.object({ id, resourceId: z.string(), partnerId: z.string(), grantedAt: timestamp, revokedAt: timestamp.nullable() });

/** A shared resource with its grants; `deploymentName` is the gateway deployment serving it, if any. */
export const sharedResourceSchema = z.object({
  id,
  kind: z.string(),
  name: z.string(),
  description: z.string(),
  uri: z.string().nullable(),
  ownerPartnerId: z.string().nullable(),
  createdAt: timestamp,
  grants: z.array(resourceGrantSchema),
  deploymentName: z.string().nullable(),
});

/** A resource as answered. */
export type SharedResourceAnswer = z.infer<typeof sharedResourceSchema>;

const tag = 'resources';
const grantParams = z.object({ id, grantId: id }).strict();

/** Resource sharing (admin, except `shared`, which a partner session may call for its own). */
export const resourceRoutes = {
  listResources: defineRoute({ method: 'GET', url: '/api/resources', tag, access: 'admin', summary: 'Shared resources with their grants', query: listResourcesSchema, response: { 200: listOf(sharedResourceSchema) } }),
  createResource: defineRoute({ method: 'POST', url: '/api/resources', tag, access: 'admin', summary: 'Add a shared resource', body: createResourceSchema, response: { 201: sharedResourceSchema } }),
  getResource: defineRoute({ method: 'GET', url: '/api/resources/:id', tag, access: 'admin', summary: 'One shared resource', params: z.object({ id }).strict(), response: { 200: sharedResourceSchema } }),
  grantResource: defineRoute({
    method: 'POST',
    url: '/api/resources/:id/grants',
    tag,
    access: 'admin',
    summary: 'Grant a partner a resource (409 QD_CONFLICT when it already holds one)',
    params: z.object({ id }).strict(),
    body: grantSchema,
    response: { 201: resourceGrantSchema },
  }),
  revokeGrant: defineRoute({ method: 'POST', url: '/api/resources/:id/grants/:grantId/revoke', tag, access: 'admin', summary: 'Revoke a grant', params: grantParams, response: { 200: resourceGrantSchema } }),
  sharedResources: defineRoute({
    method: 'GET',
    url: '/api/resources/shared',
    tag,
    access: 'signed-in',
    summary: "Resources a partner owns or holds a grant to (a partner session: its own; an admin names ?partnerId)",
    query: sharedQuerySchema,
    response: { 200: listOf(sharedResourceSchema) },
  }),
} as const;
