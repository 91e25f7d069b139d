import type { z } from 'zod';

/**
 * The HTTP contract of one route, written once and read by three parties: the server registers the route
 * from it (src/server/http/route.ts: Fastify validates and serialises with these schemas, and
 * `/api/openapi.json` is generated from them), and the dashboard and the CLI call the route through it
 * (./client.ts), so a renamed field is a compile error on every side, not a blank cell.
 *
 * This folder is pure: it imports zod and nothing of the server, so the browser may import it.
 */
export interface RouteContract {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify's pattern, e.g. `/api/customers/:id`. */
  readonly url: string;
  /** One line for the OpenAPI reference. */
  readonly summary: string;
  /** The OpenAPI tag (the domain). */
  readonly tag: string;
  /**
   * Who may call it: `admin` (an admin token), `partner` (a partner portal session), `signed-in` (either),
   * `public` (anyone; e.g. partner login), `customer-key` (`/v1`: a customer API key, which the gateway
   * checks itself, also before validation). Checked by the server before validation, so a caller who may
   * not use a route learns nothing about its input.
   */
  readonly access: 'admin' | 'partner' | 'signed-in' | 'public' | 'customer-key';
  readonly params?: z.ZodType;
  /** The query string; absent means "no query parameters" (any sent are refused). */
  readonly query?: z.ZodType;
  /** The JSON body; absent means "no body" (a body with any field is refused). */
  readonly body?: z.ZodType;
  /**
   * The success answers by status (one, usually 200 or 201; 204 is an empty body). Error answers are
   * OpenAI's error shape ({@link errorBodySchema} in ./common.ts), added to every route by the server.
   */
  readonly response: Readonly<Partial<Record<200 | 201 | 202 | 204 | 302, z.ZodType>>>;
  /** File answers (CSV text, a PDF), by content type, instead of JSON. */
  readonly produces?: 'text/csv' | 'application/pdf';
  /**
   * The error answers' body where it is not OpenAI's shape (`/v1/messages` answers Anthropic's, rewritten
   * as it is sent): the OpenAPI document declares this one for the route's 4XX and 5XX answers.
   */
  readonly errorBody?: z.ZodType;
  /** How a mutating `/api` route is audited, where the generic rule does not fit (see {@link AuditPolicy}). */
  readonly audit?: AuditPolicy;
}

/**
 * How a mutating `/api` route (POST, PUT, PATCH, DELETE) writes its audit row (server/audit). Every such
 * route is audited; there is no "off". By default the handler runs in one transaction with its audit
 * row (`scope: 'change'`), `before` is read from the GET route of the same target and `after` is the
 * answer.
 */
export interface AuditPolicy {
  /** The verb, when the one derived from the URL (`plans.create`, `statements.finalize`) reads wrong. */
  readonly action?: string;
  /**
   * `change` (default): the handler and its audit row commit together, or neither does. `request`: for
   * routes that change nothing in the store or start work that outlives the request (a training run, a
   * rollup refresh shared with the background one, a computation in a worker): the handler runs outside
   * a transaction, and on success the request itself (its body, redacted) is recorded.
   */
  readonly scope?: 'change' | 'request';
  /** The GET route pattern that reads the target before the change (its `:params` from this route's), or null for none. */
  readonly before?: string | null;
}

/** Declares a contract, keeping its literal types (the handler's and the client's types come from them). */
export function defineRoute<const R extends RouteContract>(route: R): R {
  return route;
}

type SchemaOut<S> = S extends z.ZodType ? z.output<S> : undefined;
type SchemaIn<S> = S extends z.ZodType ? z.input<S> : undefined;

/** The parsed path parameters a handler receives. */
export type ParamsOf<R extends RouteContract> = SchemaOut<R['params']>;
/** The parsed query a handler receives. */
export type QueryOf<R extends RouteContract> = R['query'] extends z.ZodType ? z.output<R['query']> : Record<string, never>;
/** The parsed body a handler receives. */
export type BodyOf<R extends RouteContract> = SchemaOut<R['body']>;
/** The success answer as it arrives on the wire (what a client reads). */
export type ResponseOf<R extends RouteContract> = { [S in keyof R['response']]: SchemaOut<R['response'][S]> }[keyof R['response']];

/** What a client sends: path parameters, query and body, each as the schema accepts it. */
export type CallInput<R extends RouteContract> = (R['params'] extends z.ZodType ? { params: SchemaIn<R['params']> } : { params?: undefined }) &
  (R['query'] extends z.ZodType ? { query?: SchemaIn<R['query']> } : { query?: undefined }) &
  (R['body'] extends z.ZodType ? { body: SchemaIn<R['body']> } : { body?: undefined });

/** The success status of a contract (the lowest declared). */
export function successStatus(route: RouteContract): number {
  return Math.min(...Object.keys(route.response).map(Number));
}

/**
 * The path and query string of a call: `:name` segments filled in (percent-encoded) from `params`, a
 * trailing `*` from `params['*']` (each `/`-separated segment percent-encoded, the `/` kept, as in model
 * names like `org/model`), and `query`'s defined values appended in their order.
 */
export function pathOf(route: RouteContract, params?: Readonly<Record<string, unknown>>, query?: Readonly<Record<string, unknown>>): string {
  const missing = (name: string) => new Error(`${route.method} ${route.url}: the path parameter ${name} is missing`);
  const path = route.url.replace(/:([A-Za-z_]\w*)|\*$/g, (m, name: string | undefined) => {
    const value = params?.[name ?? '*'];
    if (value === undefined || value === null || value === '') throw missing(name ?? m);
    return name === undefined ? String(value).split('/').map(encodeURIComponent).join('/') : encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) search.append(key, String(v));
  }
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}
