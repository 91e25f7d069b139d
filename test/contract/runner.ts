/**
 * The contract test's machinery: calls routes through their contracts (src/shared/contract) against a
 * running app and checks every answer against what the route declares — its zod schema, and the JSON
 * Schema of the same answer in the served OpenAPI document (so the document is true, not only valid).
 */
import type { FastifyInstance } from 'fastify';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { errorBodySchema } from '../../src/shared/contract/common.js';
import { pathOf, successStatus, type CallInput, type ResponseOf, type RouteContract } from '../../src/shared/contract/route.js';

/** Ids and tokens that earlier steps found or created, for later steps' inputs. */
export type ContractState = Record<string, string>;

/** Who calls: the admin token, the partner session created by an earlier step, or a customer API key. */
export type Caller = 'admin' | 'partner' | 'customer' | 'anonymous';

/** One call of the contract test. */
export interface Step {
  readonly route: RouteContract;
  readonly as: Caller;
  readonly input: (state: ContractState) => CallInput<RouteContract> | Promise<CallInput<RouteContract>>;
  readonly save: (answer: unknown, state: ContractState) => void;
  /** Calls again (a GET that polls) until the answer satisfies this, for at most `waitMs`. */
  readonly until?: (answer: unknown) => boolean;
  readonly waitMs?: number;
  /** A route that always refuses (e.g. DELETE of an agreement, which is history): the error it answers instead. */
  readonly refused?: Refusal;
}

/** The error answer a step expects instead of the route's success. */
export interface Refusal {
  readonly status: number;
  readonly code: string;
}

/** One domain's calls, and the deletes that run after every domain's other calls. */
export interface DomainSteps {
  readonly steps: Step[];
  readonly deletes?: Step[];
}

/**
 * A typed step: `input` is what the route accepts and `save` reads its typed answer, so a field renamed
 * in a contract breaks this test's compile as it breaks the dashboard's.
 */
export function step<R extends RouteContract>(
  route: R,
  options: {
    as?: Caller;
    input?: (state: ContractState) => CallInput<R> | Promise<CallInput<R>>;
    save?: (answer: ResponseOf<R>, state: ContractState) => void;
    /** Poll: call again until the answer satisfies this (e.g. a run reaches a status), for at most `waitMs` (default 60 s). */
    until?: (answer: ResponseOf<R>) => boolean;
    waitMs?: number;
    refused?: Refusal;
  } = {},
): Step {
  const defaultCaller: Caller = route.access === 'partner' ? 'partner' : route.access === 'public' ? 'anonymous' : 'admin';
  return {
    route,
    as: options.as ?? defaultCaller,
    input: (options.input ?? (() => ({}) as CallInput<R>)) as Step['input'],
    save: (options.save ?? (() => {})) as Step['save'],
    ...(options.refused ? { refused: options.refused } : {}),
    ...(options.until ? { until: options.until as (answer: unknown) => boolean, waitMs: options.waitMs ?? 60_000 } : {}),
  };
}

/** The first element of a list answer's `data`, or a failure naming the route. */
export function first<T>(list: { data: readonly T[] }, what: string): T {
  const item = list.data[0];
  if (item === undefined) throw new Error(`the demo workspace has no ${what}`);
  return item;
}

/** `/api/x/:id` → `/api/x/{id}` and `/v1/models/*` → `/v1/models/{*}`, as the OpenAPI document writes paths. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z_]\w*)/g, '{$1}').replace(/\*$/, '{*}');
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: object }> }> }>>;
  /** Shared schemas (`Timestamp`, `Month`, `Error`, …) that answers refer to with `$ref`. */
  components?: { schemas?: Record<string, object> };
}

/** Checks answers against the OpenAPI document's JSON Schemas (draft 2020-12, OpenAPI 3.1's dialect). */
export class DocumentChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });

  constructor(private readonly doc: OpenApiDocument) {
    addFormats.default(this.ajv);
  }

  /** Null when `body` matches the document's schema for this answer, else the first problem. */
  problem(route: RouteContract, status: number | '4XX', body: unknown): string | null {
    const operation = this.doc.paths[openApiPath(route.url)]?.[route.method.toLowerCase()];
    if (!operation) return `the OpenAPI document has no ${route.method} ${openApiPath(route.url)}`;
    const answer = operation.responses?.[String(status)];
    if (!answer) return `the OpenAPI document declares no ${status} answer for ${route.method} ${route.url}`;
    const schema = answer.content?.['application/json']?.schema;
    if (!schema) return route.produces || status === 204 ? null : `the ${status} answer of ${route.method} ${route.url} has no JSON schema in the document`;
    // The document's `#/components/schemas/…` references resolve against a root that carries its components.
    const validate = this.ajv.compile({ ...schema, components: this.doc.components ?? {} });
    if (validate(body)) return null;
    const e = validate.errors?.[0];
    return `${e?.instancePath || '(root)'} ${e?.message ?? 'is invalid'} (${JSON.stringify(e?.params)})`;
  }
}

/** What one step did, for the failure list. */
export interface StepResult {
  readonly route: RouteContract;
  readonly status: number;
  readonly problem: string | null;
}

/** Credentials of the callers. */
export interface Credentials {
  admin: string;
  partner?: string;
  customer?: string;
}

/**
 * Runs one step: calls the route, checks status and answer against zod and the document, saves what it found.
 * A step with `until` calls again, every 200 ms for at most its `waitMs`, until a checked answer satisfies it.
 */
export async function runStep(app: FastifyInstance, checker: DocumentChecker, credentials: Credentials, state: ContractState, s: Step): Promise<StepResult> {
  const { route } = s;
  let input: CallInput<RouteContract>;
  try {
    input = await s.input(state);
  } catch (err) {
    return { route, status: 0, problem: `input: ${(err as Error).message}` };
  }
  const deadline = Date.now() + (s.waitMs ?? 0);
  for (;;) {
    const { result, answer } = await callOnce(app, checker, credentials, s, input);
    if (result.problem || result.status === 204 || route.produces) return result;
    if (s.until && !s.until(answer)) {
      if (Date.now() > deadline) return { ...result, problem: `not in the awaited state after ${s.waitMs} ms: ${JSON.stringify(answer).slice(0, 300)}` };
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    try {
      s.save(answer, state);
    } catch (err) {
      return { ...result, problem: `save: ${(err as Error).message}` };
    }
    return result;
  }
}

/** One call of a step's route, its status and answer checked against zod and the document. */
async function callOnce(app: FastifyInstance, checker: DocumentChecker, credentials: Credentials, s: Step, input: CallInput<RouteContract>): Promise<{ result: StepResult; answer?: unknown }> {
  const { route } = s;
  const done = (status: number, problem: string | null, answer?: unknown) => ({ result: { route, status, problem }, answer });
  const { params, query, body } = input as { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown };
  const token = s.as === 'anonymous' ? undefined : credentials[s.as];
  if (s.as !== 'anonymous' && !token) return done(0, `no ${s.as} credential yet (an earlier step makes it)`);
  const res = await app.inject({
    method: route.method,
    url: pathOf(route, params, query),
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(body === undefined ? {} : { payload: JSON.stringify(body), headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } }),
  });
  if (s.refused) return done(res.statusCode, refusalProblem(checker, route, s.refused, res.statusCode, res.body));
  const expected = successStatus(route);
  if (res.statusCode !== expected) return done(res.statusCode, `status ${res.statusCode}, expected ${expected}: ${res.body.slice(0, 300)}`);
  if (expected === 204) return done(res.statusCode, res.body === '' ? null : `a 204 with a body: ${res.body.slice(0, 100)}`);
  if (route.produces) {
    const type = String(res.headers['content-type'] ?? '');
    return done(res.statusCode, type.startsWith(route.produces) ? null : `content-type ${type}, expected ${route.produces}`);
  }
  let answer: unknown;
  try {
    answer = JSON.parse(res.body);
  } catch {
    return done(res.statusCode, `not JSON: ${res.body.slice(0, 100)}`);
  }
  const schema = route.response[expected as keyof RouteContract['response']]!;
  const parsed = schema.safeParse(answer);
  if (!parsed.success) return done(res.statusCode, `does not match its zod schema: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  const documented = checker.problem(route, expected, answer);
  if (documented) return done(res.statusCode, `does not match the OpenAPI document: ${documented}`);
  return done(res.statusCode, null, answer);
}

/** Null when a refusing route answered the expected error, in the declared error shape; else the problem. */
function refusalProblem(checker: DocumentChecker, route: RouteContract, refused: Refusal, status: number, body: string): string | null {
  if (status !== refused.status) return `status ${status}, expected the refusal ${refused.status}: ${body.slice(0, 300)}`;
  let answer: unknown;
  try {
    answer = JSON.parse(body);
  } catch {
    return `not JSON: ${body.slice(0, 100)}`;
  }
  const parsed = errorBodySchema.safeParse(answer);
  if (!parsed.success) return `the error does not match errorBodySchema: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`;
  if (parsed.data.error.code !== refused.code) return `error code ${parsed.data.error.code}, expected ${refused.code}`;
  return status >= 400 && status < 500 ? checker.problem(route, '4XX', answer) : null;
}
