import { z } from 'zod';
import { roleSchema } from './access.js';
import { id, timestamp } from './common.js';
import { defineRoute } from './route.js';

/**
 * Who is calling `/api`: an admin user (an API token or a dashboard session, acting with `role`: the user's
 * role or the token's narrower scope) or a partner user (portal session).
 */
export const principalSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('admin'), userId: id, email: z.string(), role: roleSchema, via: z.enum(['token', 'session']), tokenId: id.optional() }),
  z.object({ kind: z.literal('partner'), partnerId: id, userId: id }),
]);

/** `GET /api/whoami`. */
export const whoamiSchema = z.object({ principal: principalSchema });

/** `GET /api/system`: versions, store kind, counters, when this process started. */
export const systemSchema = z.object({
  version: z.string(),
  store: z.enum(['pglite', 'postgres']),
  redis: z.enum(['configured', 'in-process counters']),
  startedAt: timestamp,
  node: z.string(),
});

/** The caller's principal. */
export type Principal = z.infer<typeof principalSchema>;
/** What `/api/system` answers. */
export type SystemInfo = z.infer<typeof systemSchema>;

const tag = 'system';

/** The server's own routes. */
export const systemRoutes = {
  whoami: defineRoute({ method: 'GET', url: '/api/whoami', tag, access: 'signed-in', summary: 'The caller: an admin or a partner user', response: { 200: whoamiSchema } }),
  system: defineRoute({ method: 'GET', url: '/api/system', tag, access: 'admin', summary: 'Versions, store kind, counters and start time', response: { 200: systemSchema } }),
} as const;
