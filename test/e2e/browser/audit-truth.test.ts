/**
 * What the Audit trail page and a statement's history SAY, in chromium, in English and 简体中文: the
 * changes made through the API, by whom, in readable words (never raw JSON Patch), the chain's integrity
 * as the verifier reports it — and, once a row is edited in SQL, that it was tampered with at that row.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addMonths, monthOf } from '../../../src/shared/month.js';
import { adminToken, chromiumMissing, openPage, signInAsAdmin, useDemoBrowser } from './browser.js';

const missing = chromiumMissing();
const ci = process.env.CI === 'true';
if (missing && !ci) console.warn(`skipping browser tests: ${missing}`);

const languages = ['en', 'zh'] as const;
const PARTNER = 'par_demo_05';

describe.skipIf(Boolean(missing) && !ci)('the audit trail in the dashboard, in chromium', { timeout: 300_000 }, () => {
  let planId = '';
  let statementId = '';
  const suite = useDemoBrowser({
    demo: { scale: 0.05 },
    setup: async () => {
      const plan = (await suite.server.api('POST', '/api/plans', { name: 'Audit Browser Plan', inputPer1mMicros: 100, outputPer1mMicros: 200 })).json as { id: string };
      planId = plan.id;
      const res = await fetch(`${suite.server.url}/api/plans/${planId}`, { method: 'PATCH', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Audit Browser Plan II' }) });
      expect(res.status).toBe(200);
      const drafts = (await suite.server.api('POST', '/api/statements', { month: addMonths(monthOf(new Date()), -1), partnerId: PARTNER })).json as { data: { id: string }[] };
      statementId = drafts.data[0]!.id;
      expect((await suite.server.api('POST', `/api/statements/${statementId}/finalize`)).status).toBe(200);
    },
  });

  async function newPage(lang: (typeof languages)[number]): Promise<Page> {
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: lang === 'zh' ? 'zh-CN' : 'en-US' });
    context.setDefaultTimeout(60_000);
    await context.addInitScript((l) => localStorage.setItem('qudao.lang', l), lang);
    const page = await context.newPage();
    await signInAsAdmin(page, suite.server.url, adminToken);
    return page;
  }

  const verified = async () => (await suite.server.api('GET', '/api/audit/verify')).json as { ok: boolean; rows: number };

  for (const lang of languages) {
    it(`audit page (${lang}): the plan's create and rename, who did them, and the chain's state as verified`, async () => {
      const page = await newPage(lang);
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      await openPage(page, 'audit');
      const chain = page.getByTestId('audit-chain-ok');
      await chain.waitFor();
      const { ok, rows } = await verified();
      expect(ok).toBe(true);
      expect(await chain.innerText()).toBe(lang === 'zh' ? `哈希链完整：已校验 ${rows} 行。` : `The hash chain is intact: ${rows} rows verified.`);

      await page.getByTestId('audit-target-id').fill(planId);
      await expect.poll(() => page.getByTestId('audit-count').innerText()).toBe(lang === 'zh' ? '共 2 行，显示 2 行' : '2 of 2 rows');
      const table = page.getByTestId('audit-table');
      const [update, create] = (await table.locator('tbody tr').allInnerTexts()).map((r) => r.replace(/\s+/g, ' '));
      // Newest first: the rename names the field, its old and its new value; the create lists the fields.
      expect(update).toMatch(lang === 'zh' ? /owner@localhost owner plans\.update plans \S+ 设为 name: Audit Browser Plan → Audit Browser Plan II/ : /owner@localhost owner plans\.update plans \S+ set name: Audit Browser Plan → Audit Browser Plan II/);
      expect(update).not.toContain('inputPer1mMicros');
      expect(create).toMatch(lang === 'zh' ? /plans\.create .*新增 name: Audit Browser Plan\b/ : /plans\.create .*added name: Audit Browser Plan\b/);
      expect(create).toContain('inputPer1mMicros: 100');
      const text = await page.locator('body').innerText();
      expect(text).not.toContain('"op"');
      expect(text).not.toContain('[object Object]');
      expect(errors).toEqual([]);
      await page.context().close();
    });

    it(`partners page (${lang}): a statement's history says who computed and who finalised it`, async () => {
      const page = await newPage(lang);
      await openPage(page, 'partners');
      await page.getByTestId(`statement-history-${statementId}`).click();
      const history = page.getByTestId('statement-history');
      await history.locator('tbody tr').nth(1).waitFor();
      expect(await history.locator('h3').innerText()).toBe(lang === 'zh' ? `${statementId} 的历史` : `History of ${statementId}`);
      const rows = (await history.locator('tbody tr').allInnerTexts()).map((r) => r.replace(/\s+/g, ' '));
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatch(lang === 'zh' ? /owner@localhost owner statements\.finalize .*设为 status: draft → final/ : /owner@localhost owner statements\.finalize .*set status: draft → final/);
      expect(rows[1]).toMatch(/owner@localhost owner statements\.generate /);
      await page.context().close();
    });
  }

  it('says where the chain was tampered with, once a row is edited in SQL (both languages)', async () => {
    const store = suite.server.running.services.store;
    const [row] = await store.query<{ seq: string }>(`SELECT seq::text FROM audit_log WHERE action = 'plans.update' AND target_id = $1`, [planId]);
    await store.execRaw(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
    await store.query(`UPDATE audit_log SET actor_label = 'someone else' WHERE seq = $1`, [Number(row!.seq)]);
    for (const lang of languages) {
      const page = await newPage(lang);
      await openPage(page, 'audit');
      const bad = page.getByTestId('audit-chain-bad');
      await bad.waitFor();
      expect(await bad.innerText()).toMatch(lang === 'zh' ? new RegExp(`^审计日志在第 ${row!.seq} 行被篡改：row ${row!.seq} was changed`) : new RegExp(`^The audit trail was tampered with at row ${row!.seq}: row ${row!.seq} was changed`));
      await page.context().close();
    }
  });
});
