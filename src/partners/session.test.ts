import { describe, expect, it } from 'vitest';
import { clearedSessionCookie, PARTNER_SESSION_COOKIE, sessionCookie, sessionTokenOf } from './session.js';

describe('portal sessions without HTTP', () => {
  it('reads the token from a bearer header first, else from the cookie', () => {
    expect(sessionTokenOf({ authorization: 'Bearer qd_ps_abc', cookie: `${PARTNER_SESSION_COOKIE}=qd_ps_cookie` })).toBe('qd_ps_abc');
    expect(sessionTokenOf({ authorization: 'Bearer qd_admin_x', cookie: `a=b; ${PARTNER_SESSION_COOKIE}=qd_ps_cookie` })).toBe('qd_ps_cookie');
    expect(sessionTokenOf({ cookie: `${PARTNER_SESSION_COOKIE}=%E0%A4%A` })).toBeUndefined();
    expect(sessionTokenOf({})).toBeUndefined();
  });

  it('writes an HttpOnly, SameSite=Strict cookie that lasts as long as the session, Secure over https', () => {
    const now = Date.parse('2026-03-01T00:00:00Z');
    const cookie = sessionCookie('qd_ps_a b', new Date(now + 90_500), false, now);
    expect(cookie).toBe(`${PARTNER_SESSION_COOKIE}=qd_ps_a%20b; Path=/api; HttpOnly; SameSite=Strict; Max-Age=90`);
    expect(sessionCookie('t', new Date(now - 1), true, now)).toMatch(/Max-Age=0; Secure$/);
    expect(clearedSessionCookie()).toBe(`${PARTNER_SESSION_COOKIE}=; Path=/api; HttpOnly; SameSite=Strict; Max-Age=0`);
  });
});
