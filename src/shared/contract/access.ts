import { z } from 'zod';
import type { RouteContract } from './route.js';

/**
 * Who may call which admin route: one permission table, as data. The server enforces it in one place
 * (src/server/http/route.ts, the caller check of `access: 'admin'` and `'signed-in'` routes), the OpenAPI
 * document shows it per operation (`x-qudao-roles`), the dashboard hides what a role cannot use, and the
 * README's role table is generated from it (a test compares them).
 *
 * Each route belongs to an *area* (by its URL prefix where one is listed in {@link PATH_AREAS}, else by its
 * contract's tag); each area has a `read` list (GET) and a `write` list (every other method). A few routes
 * are overridden by `METHOD url` in {@link ROUTE_ROLES}: sensitive reads (users, everyone's tokens, audit,
 * customer export) and routes every signed-in admin needs (sign out, my tokens, my password). A tag that no
 * area covers is owner-only: a new route is closed until someone writes its line here.
 */

/** The admin roles, widest first. `owner` may do everything; `viewer` only reads. */
export const ROLES = ['owner', 'finance', 'partner_manager', 'marketing', 'engineer', 'viewer'] as const;

/** An admin user's role (and a token's scope). */
export type Role = (typeof ROLES)[number];

/** A role, as the API accepts and answers it. */
export const roleSchema = z.enum(ROLES);

/** What each role is for, in a line (README, dashboard, OpenAPI). */
export const ROLE_PURPOSE: Readonly<Record<Role, string>> = {
  owner: 'everything, including users, everyone\'s tokens and the audit trail',
  finance: 'price plans, invoices, credits, agreements, statements, customers; reads the audit trail',
  partner_manager: 'partners, portal users, onboarding, tiers, scorecards, selection, ecosystem, customers',
  marketing: 'campaigns, links, spend, touchpoints, promotion, market segments, channels, resources',
  engineer: 'models, runs, deployments, API keys, the gateway',
  viewer: 'reads only',
};

/** Every role but the owner reads almost everything: a channel team works from the same numbers. */
const everyone: readonly Role[] = ROLES;
const ownerOnly: readonly Role[] = ['owner'];

/** An area's roles: who reads (GET) and who writes (any other method). */
export interface AreaRoles {
  readonly read: readonly Role[];
  readonly write: readonly Role[];
}

/** The areas of the admin API and their roles. */
export const AREAS = {
  agreements: { read: everyone, write: ['owner', 'finance'] },
  statements: { read: everyone, write: ['owner', 'finance'] },
  billing: { read: everyone, write: ['owner', 'finance'] },
  customers: { read: everyone, write: ['owner', 'finance', 'partner_manager'] },
  partners: { read: everyone, write: ['owner', 'partner_manager'] },
  tiers: { read: everyone, write: ['owner', 'partner_manager'] },
  selection: { read: everyone, write: ['owner', 'partner_manager'] },
  ecosystem: { read: everyone, write: ['owner', 'partner_manager'] },
  resources: { read: everyone, write: ['owner', 'partner_manager', 'marketing'] },
  campaigns: { read: everyone, write: ['owner', 'marketing'] },
  promotion: { read: everyone, write: ['owner', 'marketing'] },
  market: { read: everyone, write: ['owner', 'marketing'] },
  channels: { read: everyone, write: ['owner', 'marketing'] },
  strategy: { read: everyone, write: ['owner', 'marketing', 'partner_manager'] },
  gateway: { read: everyone, write: ['owner', 'engineer'] },
  pipeline: { read: everyone, write: ['owner', 'engineer'] },
  analytics: { read: everyone, write: ['owner', 'finance', 'partner_manager', 'marketing', 'engineer'] },
  system: { read: everyone, write: ownerOnly },
  audit: { read: ['owner', 'finance'], write: ownerOnly },
  users: { read: ownerOnly, write: ownerOnly },
  tokens: { read: everyone, write: everyone },
  session: { read: everyone, write: everyone },
  /** Partner-portal routes: no admin role calls them (they need a partner session). */
  portal: { read: [], write: [] },
} as const satisfies Record<string, AreaRoles>;

/** An area of the admin API. */
export type Area = keyof typeof AREAS;

/** The area of each contract tag (src/shared/contract/*: `tag`). */
export const TAG_AREAS: Readonly<Record<string, Area>> = {
  agreements: 'agreements',
  statements: 'statements',
  billing: 'billing',
  customers: 'customers',
  partners: 'partners',
  tiers: 'tiers',
  selection: 'selection',
  ecosystem: 'ecosystem',
  resources: 'resources',
  campaigns: 'campaigns',
  promotion: 'promotion',
  market: 'market',
  channels: 'channels',
  strategy: 'strategy',
  gateway: 'gateway',
  pipeline: 'pipeline',
  analytics: 'analytics',
  system: 'system',
  audit: 'audit',
  team: 'users',
  portal: 'portal',
};

/** URL prefixes whose routes belong to another area than their tag's (matched on whole path segments). */
export const PATH_AREAS: readonly (readonly [prefix: string, area: Area])[] = [
  ['/api/plans', 'billing'],
  ['/api/tokens', 'tokens'],
  ['/api/auth', 'session'],
  ['/api/users', 'users'],
];

/** Routes whose roles are not their area's, by `METHOD url`: sensitive reads and self-service. */
export const ROUTE_ROLES: Readonly<Record<string, readonly Role[]>> = {
  'GET /api/tokens/all': ownerOnly,
  'GET /api/customers/:id/export': ['owner', 'finance'],
};

function areaOf(route: Pick<RouteContract, 'url' | 'tag'>): Area | undefined {
  for (const [prefix, area] of PATH_AREAS) if (route.url === prefix || route.url.startsWith(`${prefix}/`)) return area;
  return TAG_AREAS[route.tag];
}

/** The roles that may call a route (for a route with no area: the owner only). */
export function rolesFor(route: Pick<RouteContract, 'method' | 'url' | 'tag'>): readonly Role[] {
  const override = ROUTE_ROLES[`${route.method} ${route.url}`];
  if (override) return override;
  const area = areaOf(route);
  if (!area) return ownerOnly;
  return route.method === 'GET' ? AREAS[area].read : AREAS[area].write;
}

/** True when `role` may call the route. */
export function mayCall(role: Role, route: Pick<RouteContract, 'method' | 'url' | 'tag'>): boolean {
  return rolesFor(route).includes(role);
}

/**
 * True when `narrow` is `wide` or narrower: the owner is wider than every role and every role is wider
 * than the viewer; the four team roles are side by side (none is narrower than another).
 */
export function roleWithin(narrow: Role, wide: Role): boolean {
  return narrow === wide || wide === 'owner' || narrow === 'viewer';
}

/**
 * The role a token acts with: its scope, capped by its user's current role. When the user was demoted
 * to a role beside the scope (a finance token of a user who is now an engineer), what both allow is
 * reading: the viewer.
 */
export function effectiveRole(scope: Role | null, userRole: Role): Role {
  if (scope === null || roleWithin(userRole, scope)) return userRole;
  if (roleWithin(scope, userRole)) return scope;
  return 'viewer';
}

/** The README's role table (Markdown), generated from the permission table; a test keeps them equal. */
export function roleTableMarkdown(): string {
  const areas = Object.keys(AREAS).filter((a) => a !== 'portal') as Area[];
  const cell = (list: readonly Role[]) => (list.length === ROLES.length ? 'everyone' : list.map((r) => `\`${r}\``).join(', '));
  const lines = ['| area | routes | read (GET) | write |', '| --- | --- | --- | --- |'];
  for (const area of areas) {
    const tags = Object.entries(TAG_AREAS).filter(([, a]) => a === area).map(([t]) => `tag \`${t}\``);
    const paths = PATH_AREAS.filter(([, a]) => a === area).map(([p]) => `\`${p}\``);
    lines.push(`| ${area} | ${[...paths, ...tags].join(', ')} | ${cell(AREAS[area].read)} | ${cell(AREAS[area].write)} |`);
  }
  lines.push('', '| route | roles |', '| --- | --- |');
  for (const [key, roles] of Object.entries(ROUTE_ROLES)) lines.push(`| \`${key}\` | ${cell(roles)} |`);
  return lines.join('\n');
}
