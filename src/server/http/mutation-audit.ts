import type { FastifyRequest } from 'fastify';
import type { RouteContract } from '../../shared/contract/route.js';

/**
 * What route() asks of the audit trail for each mutating `/api` route: run the handler so that its
 * change and its audit row commit together (server/audit implements it over the store). Declared here,
 * in the HTTP kit, so the kit imports no domain; the server decorates the app with the implementation.
 */
export interface MutationAudit {
  /** Runs `handler` for `request`, records the audit row, and returns the handler's answer. */
  record(request: FastifyRequest, contract: RouteContract, handler: () => Promise<unknown>): Promise<unknown>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The audit trail of mutating `/api` routes; absent on a server built without one. */
    mutationAudit?: MutationAudit;
  }
}

/** True for the routes that are audited: every POST, PUT, PATCH and DELETE under `/api`. */
export function isAuditedMutation(contract: RouteContract): boolean {
  return contract.method !== 'GET' && contract.url.startsWith('/api/');
}
