import type { FastifyInstance, FastifyRequest } from 'fastify';
import { applyPatch, createPatch, Pointer } from 'rfc6902';
import type { MutationAudit } from '../http/index.js';
import { pathOf, successStatus, type RouteContract } from '../../shared/contract/route.js';
import { appendAudit, type AuditPatchOperation, type Store } from '../../store/index.js';
import { actorOf } from './actor.js';
import { holdsPersonalData, redactPersonalPair, redactSecrets } from './redact.js';
import { auditShape, type AuditShape, type KnownRoute } from './target.js';

/**
 * The audit trail of `/api` mutations, over the store's ambient transaction (store/ambient.ts).
 *
 * Why ambient: route() opens one transaction per mutating request, and every service the handler calls
 * joins it through `store.db` without a `tx` parameter; the audit row is appended in that transaction
 * after the handler returns, so the change and its row commit together, and a handler that throws
 * (after writing or not) rolls back both. Caches reload after the commit (store.afterCommit), so a
 * rolled-back change never reaches them. Routes whose contract says `audit.scope: 'request'` run
 * outside a transaction (see AuditPolicy) and record the request once they succeed.
 *
 * `before` is read in-process with the GET route of the same target, inside the transaction (so it is
 * exactly the state the change started from); `after` is the answer as its schema serialises it.
 */
export function createMutationAudit(app: FastifyInstance, store: Store): MutationAudit {
  const shapes = new Map<RouteContract, AuditShape>();
  const shapeOf = (contract: RouteContract) => {
    let shape = shapes.get(contract);
    if (!shape) {
      const routes: readonly KnownRoute[] = app.routeList;
      shape = auditShape(contract, routes);
      shapes.set(contract, shape);
    }
    return shape;
  };
  return {
    async record(request, contract, handler) {
      const shape = shapeOf(contract);
      const params = paramsOf(request);
      const append = (diff: AuditPatchOperation[], answer: unknown) =>
        appendAudit(store.db, {
          actor: actorOf(request),
          action: shape.action,
          route: `${contract.method} ${contract.url}`,
          targetType: shape.targetType,
          targetId: (shape.targetParam ? params[shape.targetParam] : undefined) ?? idOf(answer),
          diff,
          requestId: request.id,
          sourceIp: request.ip,
        });
      if (contract.audit?.scope === 'request') {
        const answer = await handler();
        await store.withTransaction(() => append(diffOf(null, { request: redactSecrets(request.body ?? null), params }), answer));
        return answer;
      }
      return store.withTransaction(async () => {
        const read = shape.beforeUrl ? await readBefore(app, request, shape.beforeUrl, params) : null;
        const before = narrowToTarget(read, shape.targetParam ? params[shape.targetParam] : undefined);
        const answer = await handler();
        const after = afterOf(contract, answer);
        // A route that names no target and answers a list (POST /api/statements computes a month's drafts)
        // changed each item: one row per item, so each statement's history starts with who computed it.
        const items = shape.targetParam === null ? listItems(after) : null;
        // A customer's personal fields are recorded as set or changed, never their values (redact.ts).
        const personal = holdsPersonalData(shape.targetType);
        const pair = (b: unknown, a: unknown): [unknown, unknown] => (personal ? redactPersonalPair(b, a, shape.targetType) : [b, a]);
        if (items?.length) for (const item of items) await append(diffOf(...pair(null, item)), item);
        else await append(diffOf(...pair(before, after)), answer);
        return answer;
      });
    },
  };
}

/** The request's path parameters as text. */
function paramsOf(request: FastifyRequest): Record<string, string> {
  const raw = request.params;
  if (raw === null || typeof raw !== 'object') return {};
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)]));
}

/** The answer's `id`, for a create whose URL names no target. */
function idOf(answer: unknown): string | null {
  return answer !== null && typeof answer === 'object' && 'id' in answer && typeof answer.id === 'string' ? answer.id : null;
}

/** From a list answer (`{ data: [...] }`, a GET above the target), the item that is the target; else the answer. */
function narrowToTarget(before: unknown, targetId: string | undefined): unknown {
  if (targetId === undefined) return before;
  const items = listItems(before);
  return items ? (items.find((item) => idOf(item) === targetId) ?? null) : before;
}

/** The items of a `{ data: [...] }` answer when each has an `id`, else null. */
function listItems(after: unknown): unknown[] | null {
  if (after === null || typeof after !== 'object' || !('data' in after) || !Array.isArray(after.data)) return null;
  return after.data.every((item) => idOf(item) !== null) ? after.data : null;
}

/**
 * JSON Patch from before to after, with secret fields redacted on both sides (redact.ts). A patch alone
 * says only what the target became; so each `replace` and `remove` is preceded by a `test` operation
 * holding the value it overwrote (RFC 6902 §4.6: the patch still applies to `before`, and checks it),
 * which keeps what a delete removed and lets the dashboard show `draft → final`.
 */
export function diffOf(before: unknown, after: unknown): AuditPatchOperation[] {
  const from = redactSecrets(before);
  const ops = createPatch(from, redactSecrets(after));
  const out: AuditPatchOperation[] = [];
  let doc: unknown = structuredClone(from);
  for (const op of ops) {
    if (op.op === 'replace' || op.op === 'remove') {
      const old: unknown = op.path === '' ? doc : Pointer.fromJSON(op.path).get(doc);
      if (old !== undefined) out.push({ op: 'test', path: op.path, value: structuredClone(old) });
    }
    out.push(op);
    // Later operations' paths refer to the document as the earlier ones left it.
    if (op.path === '') doc = op.op === 'remove' ? null : structuredClone(op.op === 'replace' || op.op === 'add' ? op.value : doc);
    else applyPatch(doc, [op]);
  }
  return out;
}

/**
 * The answer as the client reads it: JSON (Dates as text), through the declared schema so fields the
 * schema does not declare (a row's hashes) are not recorded either. Null for an empty (204) answer.
 */
function afterOf(contract: RouteContract, answer: unknown): unknown {
  if (answer === undefined || answer === null) return null;
  const json: unknown = JSON.parse(JSON.stringify(answer));
  const schema = contract.response[successStatus(contract) as keyof RouteContract['response']];
  const parsed = schema?.safeParse(json);
  return parsed?.success ? JSON.parse(JSON.stringify(parsed.data ?? null)) : json;
}

/**
 * Reads the target before the change with its GET route, in-process (inject) and in the caller's async
 * context, so it runs in the open transaction, as the same caller (credentials forwarded). A GET that
 * does not answer 200 (the target does not exist yet) gives no `before`.
 */
async function readBefore(app: FastifyInstance, request: FastifyRequest, pattern: string, params: Record<string, string>): Promise<unknown> {
  let url: string;
  try {
    url = pathOf({ method: 'GET', url: pattern, summary: '', tag: '', access: 'admin', response: {} }, params);
  } catch {
    return null;
  }
  const headers: Record<string, string> = {};
  if (request.headers.authorization) headers.authorization = request.headers.authorization;
  if (request.headers.cookie) headers.cookie = request.headers.cookie;
  const res = await app.inject({ method: 'GET', url, headers });
  return res.statusCode === 200 ? res.json() : null;
}
