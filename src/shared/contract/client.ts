import { pathOf, type CallInput, type ResponseOf, type RouteContract } from './route.js';

/**
 * One HTTP exchange as a client performs it: send `method path` with an optional JSON body and return the
 * parsed JSON answer (null for an empty one), throwing the client's own error for a non-2xx status.
 */
export type Transport = (method: RouteContract['method'], path: string, body: unknown) => Promise<unknown>;

/** The arguments of a call: optional when the route takes no required input. */
export type CallArgs<R extends RouteContract> = Record<string, never> extends CallInput<R> ? [input?: CallInput<R>] : [input: CallInput<R>];

/**
 * Calls a route through its contract: the path is filled from `params` and `query`, and the answer has
 * the route's declared type. The dashboard (web/src/api/client.ts) and the CLI (src/cli/commands/admin-api.ts)
 * both call `/api` this way, so a field renamed on the server is a compile error in both.
 */
export async function callRoute<R extends RouteContract>(transport: Transport, route: R, ...[input]: CallArgs<R>): Promise<ResponseOf<R>> {
  const { params, query, body } = (input ?? {}) as { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown };
  return (await transport(route.method, pathOf(route, params, query), body)) as ResponseOf<R>;
}
