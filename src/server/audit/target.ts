import type { RouteContract } from '../../shared/contract/route.js';

/** A registered route, as far as naming an audit row needs it. */
export interface KnownRoute {
  readonly method: string;
  readonly url: string;
}

/** How the audit row of one mutating route is named and where its `before` comes from. */
export interface AuditShape {
  /** `plans.create`, `statements.finalize`, `partners.users.delete`. */
  readonly action: string;
  /** `plans`, `statements`, `partners.users`. */
  readonly targetType: string;
  /** The path parameter naming the target (the deepest one), or null: the answer's `id` then. */
  readonly targetParam: string | null;
  /** The GET route pattern read for `before`, or null. */
  readonly beforeUrl: string | null;
}

const isParam = (segment: string) => segment.startsWith(':');

/**
 * Names a mutating route's audit rows from its URL and the other routes (data, not a table to keep up):
 * - the action is the URL's static segments joined by `.`, then `create` for a POST to a collection (a
 *   URL with a GET list or `/:id` routes of its own), `update` for PUT/PATCH, `delete` for DELETE; any
 *   other POST's last segment is its verb (`/api/statements/:id/finalize` → `statements.finalize`);
 * - the target is the deepest path parameter and the static segments before it;
 * - `before` is the nearest GET at or above the URL that names the target by a parameter (for a POST,
 *   never the URL itself, which is a list or an action): `PATCH /api/plans/:id` reads `GET /api/plans/:id`,
 *   `POST /api/statements/:id/finalize` reads `GET /api/statements/:id`; a create has none.
 * A contract's `audit` policy overrides each part.
 */
export function auditShape(contract: RouteContract, routes: readonly KnownRoute[]): AuditShape {
  const segments = contract.url.replace(/^\/api\//, '').split('/').filter(Boolean);
  const statics = segments.filter((s) => !isParam(s));
  const hasGet = (url: string) => routes.some((r) => r.method === 'GET' && r.url === url);
  const isCollection = hasGet(contract.url) || routes.some((r) => r.url.startsWith(`${contract.url}/:`));
  let deepest = -1;
  segments.forEach((s, i) => {
    if (isParam(s)) deepest = i;
  });
  const verb = contract.method === 'DELETE' ? 'delete' : contract.method === 'POST' ? (isCollection && !isParam(segments.at(-1) ?? '') ? 'create' : null) : 'update';
  const action = contract.audit?.action ?? [...statics, ...(verb ? [verb] : [])].join('.');
  const typeSegments = deepest >= 0 ? segments.slice(0, deepest).filter((s) => !isParam(s)) : verb === 'create' || statics.length < 2 ? statics : statics.slice(0, -1);
  return {
    action,
    targetType: typeSegments.join('.') || statics.join('.'),
    targetParam: deepest >= 0 ? segments[deepest]!.slice(1) : null,
    beforeUrl: contract.audit?.before !== undefined ? contract.audit.before : beforeRoute(contract, segments, hasGet),
  };
}

function beforeRoute(contract: RouteContract, segments: string[], hasGet: (url: string) => boolean): string | null {
  const first = contract.method === 'POST' ? segments.length - 1 : segments.length;
  for (let n = first; n > 0; n--) {
    const candidate = segments.slice(0, n);
    if (!candidate.some(isParam)) return null;
    const url = `/api/${candidate.join('/')}`;
    if (hasGet(url)) return url;
  }
  return null;
}
