/**
 * The Team page in a real browser (Debian chromium), in English and 简体中文: an owner signs in with e-mail
 * and password and sees who they are, the users with their roles, and a token created on the page that
 * really works against the API (and stops when revoked there); a finance user sees their own role, no user
 * management, and token scopes no wider than their role.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config/index.js';
import { chromiumMissing, ensureWebBuilt, launchChromium, screenshot } from './browser.js';

const missing = chromiumMissing();
const ci = process.env.CI === 'true';
if (missing && !ci) console.warn(`skipping browser tests: ${missing}`);

const ownerToken = 'qd_admin_team_browser_tests_0123456789abcdef';
const OWNER_PASSWORD = 'owner-browser-password-1';
const FINANCE = { email: 'fin@team.example', password: 'finance-browser-password-1' };

const says = {
  en: {
    ownerMe: 'Signed in as owner@localhost, acting as Owner.',
    financeMe: `Signed in as ${FINANCE.email}, acting as Finance.`,
    financeRole: 'Finance',
    tokenOnce: 'Copy this token now: it is shown only once.',
    ownersManage: 'Only owners add users and change roles.',
    scopes: ['My role (Finance)', 'Finance', 'Viewer (read only)'],
  },
  zh: {
    ownerMe: '已登录为 owner@localhost，当前角色：所有者。',
    financeMe: `已登录为 ${FINANCE.email}，当前角色：财务。`,
    financeRole: '财务',
    tokenOnce: '请立即复制此令牌：它只显示一次。',
    ownersManage: '只有所有者可以添加用户和更改角色。',
    scopes: ['我的角色（财务）', '财务', '只读查看者'],
  },
} as const;

async function api(running: RunningApp, method: 'GET' | 'POST', path: string, token: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${running.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describe.skipIf(Boolean(missing) && !ci)('the Team page in chromium', { timeout: 180_000 }, () => {
  let running: RunningApp | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (missing) throw new Error(missing);
    ensureWebBuilt();
    [running, browser] = await Promise.all([
      startApp(loadConfig({ env: { QUDAO_DATA_DIR: 'memory://', QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent', QUDAO_ADMIN_TOKEN: ownerToken } })),
      launchChromium(),
    ]);
    expect((await api(running, 'POST', '/api/auth/password', ownerToken, { newPassword: OWNER_PASSWORD })).status).toBe(204);
    expect((await api(running, 'POST', '/api/users', ownerToken, { email: FINANCE.email, name: 'Fin', role: 'finance', password: FINANCE.password })).status).toBe(201);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });

  async function signIn(lang: 'en' | 'zh', email: string, password: string): Promise<Page> {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 }, locale: lang === 'zh' ? 'zh-CN' : 'en-US' });
    context.setDefaultTimeout(60_000);
    await context.addInitScript((l) => localStorage.setItem('qudao.lang', l), lang);
    const page = await context.newPage();
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${running!.url}/#/team`);
    await page.getByTestId('login-admin-with').click();
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('team-me').waitFor();
    return page;
  }

  for (const lang of ['en', 'zh'] as const) {
    it(`owner (${lang}): says who is signed in, lists users with their roles, and a token made here works until revoked`, async () => {
      const page = await signIn(lang, 'owner@localhost', OWNER_PASSWORD);
      expect(await page.getByTestId('team-me').innerText()).toBe(says[lang].ownerMe);
      const users = page.getByTestId('users-table');
      await users.waitFor();
      const financeRow = users.locator('tr', { hasText: FINANCE.email });
      expect(await financeRow.locator('select').evaluate((s: HTMLSelectElement) => s.options[s.selectedIndex]!.text)).toBe(says[lang].financeRole);

      await page.getByTestId('token-name').fill(`browser ${lang}`);
      await page.getByTestId('token-create').click();
      const shown = page.getByTestId('token-secret');
      await shown.waitFor();
      expect(await shown.locator('p').innerText()).toBe(says[lang].tokenOnce);
      const secret = await shown.locator('code').innerText();
      // What the page showed is a real owner token.
      const me = await api(running!, 'GET', '/api/auth/me', secret);
      expect(me.status).toBe(200);
      expect(me.json).toMatchObject({ role: 'owner', via: 'token' });
      const row = page.getByTestId('tokens-table').locator('tr', { hasText: `browser ${lang}` });
      await row.getByTestId('token-revoke').click();
      await expect.poll(async () => (await api(running!, 'GET', '/api/auth/me', secret)).status).toBe(401);
      await expect.poll(() => page.getByTestId('tokens-table').innerText()).not.toContain(`browser ${lang}`);
      await screenshot(page, `team-owner-${lang}`);
      await page.context().close();
    });

    it(`finance (${lang}): sees their own role, no user management, and scopes no wider than finance`, async () => {
      const page = await signIn(lang, FINANCE.email, FINANCE.password);
      expect(await page.getByTestId('team-me').innerText()).toBe(says[lang].financeMe);
      expect(await page.locator('body').innerText()).toContain(says[lang].ownersManage);
      expect(await page.getByTestId('users-table').count()).toBe(0);
      const scopes = await page.getByTestId('token-scope').locator('option').allInnerTexts();
      expect(scopes).toEqual(says[lang].scopes);
      // The server agrees: this session may not list users.
      const token = await page.evaluate(() => (JSON.parse(sessionStorage.getItem('qudao.session') ?? '{}') as { token?: string }).token ?? '');
      expect((await api(running!, 'GET', '/api/users', token)).status).toBe(403);
      await screenshot(page, `team-finance-${lang}`);
      await page.context().close();
    });
  }
});
