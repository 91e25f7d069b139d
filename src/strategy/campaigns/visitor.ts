import { cookieValue } from '../../auth/index.js';

/** Name of the visitor-id cookie set by `/r/:code`. */
export const VISITOR_COOKIE = 'qd_vid';

/** Two years, in seconds: how long a visitor id is remembered. */
export const VISITOR_COOKIE_MAX_AGE_S = 2 * 365 * 86_400;

const VISITOR_ID = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * The visitor id from the `qd_vid` cookie of a `Cookie` header, or undefined when absent or malformed (bad
 * percent-encoding included): the click is then recorded under a new visitor id, so a broken cookie never
 * stops a redirect.
 */
export function visitorIdOf(cookieHeader: string | undefined): string | undefined {
  const id = cookieValue(cookieHeader, VISITOR_COOKIE);
  return id !== undefined && VISITOR_ID.test(id) ? id : undefined;
}

/**
 * The link's target with `qd_vid=<visitor id>` added to its query, so a signup page on another domain (which
 * cannot read Qudao's cookie) can hand the visitor id to its backend, which records the signup with
 * `POST /api/touchpoints`.
 */
export function targetWithVisitor(targetUrl: string, visitorId: string): string {
  const url = new URL(targetUrl);
  url.searchParams.set(VISITOR_COOKIE, visitorId);
  return url.toString();
}
