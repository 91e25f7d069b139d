import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { z } from 'zod';
import { QudaoError } from '../../errors/index.js';
import { mayCall, rolesFor } from '../../shared/contract/access.js';
import { errorBodySchema } from '../../shared/contract/common.js';
import { isAuditedMutation } from './mutation-audit.js';
import { successStatus, type BodyOf, type ParamsOf, type QueryOf, type ResponseOf, type RouteContract } from '../../shared/contract/route.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The contract a route was registered from (src/shared/contract); the OpenAPI document and the contract test read it. */
    contract?: RouteContract;
  }
}

/** A handler's request: params, query and body typed (and already validated) by the route's schemas. */
export type RouteRequest<R extends RouteContract> = FastifyRequest<{ Params: ParamsOf<R>; Querystring: QueryOf<R>; Body: BodyOf<R> }>;

/**
 * What a handler may return for a declared answer: the answer's shape, where any text field may also be a
 * `Date` (rows carry `Date`s; on the wire they are ISO-8601 text, see compilers.ts).
 */
export type Answer<T> = T extends string
  ? string | Date
  : T extends readonly (infer E)[]
    ? readonly Answer<E>[]
    : T extends Date
      ? T
      : T extends object
        ? { [K in keyof T]: Answer<T[K]> }
        : T;

/**
 * A route's handler: returns the answer (sent with the contract's success status), or the reply itself when
 * it answered on its own (a CSV file, a stream, a redirect).
 */
export type RouteHandler<R extends RouteContract> = (
  request: RouteRequest<R>,
  reply: FastifyReply,
) => Promise<Answer<ResponseOf<R>> | FastifyReply | (204 extends keyof R['response'] ? void : never)>;

/** No query parameters, no body fields: what a contract without `query` or `body` accepts. */
const nothing = z.object({}).strict();

/** Throws QD_FORBIDDEN unless the caller is an admin (partner users may not use admin routes). */
export function requireAdmin(request: FastifyRequest): void {
  if (request.principal?.kind !== 'admin') throw new QudaoError('QD_FORBIDDEN', 'this route is for administrators');
}

/**
 * Throws QD_FORBIDDEN unless the admin caller's role may call the route, by the permission table
 * (src/shared/contract/access.ts); the message names the roles that may. The one place roles are enforced.
 */
export function requireRole(request: FastifyRequest, contract: RouteContract): void {
  const p = request.principal;
  if (p?.kind !== 'admin' || mayCall(p.role, contract)) return;
  const roles = rolesFor(contract);
  throw new QudaoError('QD_FORBIDDEN', `the role ${p.role} may not call ${contract.method} ${contract.url}; ${roles.length ? `allowed: ${roles.join(', ')}` : 'no admin role may'}`);
}

/** The partner behind a portal session, or QD_FORBIDDEN. */
export function partnerOf(request: FastifyRequest): { partnerId: string; userId: string } {
  const p = request.principal;
  if (p?.kind !== 'partner') throw new QudaoError('QD_FORBIDDEN', 'this route is for partner users');
  return { partnerId: p.partnerId, userId: p.userId };
}

/**
 * The caller check of each access level; it runs before validation (`/api` authentication ran first). An
 * admin caller's role is checked against the permission table on admin and signed-in routes.
 */
const callerChecks: Record<RouteContract['access'], ((contract: RouteContract) => onRequestAsyncHookHandler) | undefined> = {
  admin: (contract) => async (request) => {
    requireAdmin(request);
    requireRole(request, contract);
  },
  partner: () => async (request) => void partnerOf(request),
  'signed-in': (contract) => async (request) => requireRole(request, contract),
  public: undefined,
  // `/v1`: the gateway checks the customer API key in its own onRequest hook (gateway/routes/v1-routes.ts).
  'customer-key': undefined,
};

/**
 * Registers a route from its contract: Fastify validates params, query and body with the contract's
 * schemas (a query or body the contract does not declare must be empty), serialises the answer with the
 * declared schema, and refuses callers the contract's `access` does not admit. Every error answer is
 * OpenAI's error shape, declared for the OpenAPI document as `4XX`/`5XX`. A mutating `/api` route runs
 * through the app's audit trail (`app.mutationAudit`, mutation-audit.ts), which appends its audit row in
 * the transaction of the change.
 */
export function route<const R extends RouteContract>(app: FastifyInstance, contract: R, handler: RouteHandler<R>): void {
  const status = successStatus(contract);
  const check = callerChecks[contract.access]?.(contract);
  const roles = contract.access === 'admin' || contract.access === 'signed-in' ? rolesFor(contract) : undefined;
  const audited = isAuditedMutation(contract);
  app.route({
    method: contract.method,
    url: contract.url,
    schema: {
      summary: contract.summary,
      ...(roles ? { description: `Roles: ${roles.join(', ')}${contract.access === 'signed-in' ? ' (or a partner session)' : ''}.` } : {}),
      tags: [contract.tag],
      ...(contract.params ? { params: contract.params } : {}),
      querystring: contract.query ?? nothing,
      ...(contract.method === 'GET' ? {} : { body: contract.body ?? nothing.optional() }),
      response: {
        ...(contract.produces ? { [status]: { description: `a ${contract.produces} file`, content: { [contract.produces]: { schema: z.string() } } } } : contract.response),
        '4XX': errorBodySchema,
        '5XX': errorBodySchema,
      },
      ...(contract.access === 'public' ? { security: [] } : {}),
    },
    config: { contract },
    ...(check ? { onRequest: check } : {}),
    handler: async (request, reply) => {
      const run = () => handler(request as RouteRequest<R>, reply);
      // A mutation's change and its audit row commit together before the answer is sent (server/audit).
      const audit = audited ? request.server.mutationAudit : undefined;
      const answer = audit ? await audit.record(request, contract, run) : await run();
      if (answer === reply) return reply;
      reply.code(status);
      if (status === 204) return reply.send();
      if (contract.produces) reply.type(contract.produces === 'text/csv' ? 'text/csv; charset=utf-8' : contract.produces);
      return reply.send(answer);
    },
  });
}
