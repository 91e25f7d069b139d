import { z } from 'zod';

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
