/**
 * The Models page shows every evaluation's baselines, in a real browser (Debian chromium) against a real
 * server: an evaluation run started through POST /api/runs for a tiny classifier and one for a tiny
 * language model complete in the server's run worker, and the Evaluations table says what the run's
 * metrics say — naive Bayes and logistic regression with the model's difference and McNemar's verdict, the
 * n-gram's perplexity beside the model's — in English and in 简体中文.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareData } from '../../../src/pipeline/data/index.js';
import type { ClassifierEvaluation, LmEvaluation } from '../../../src/pipeline/eval/index.js';
import { trainClassifier, trainLanguageModel } from '../../../src/pipeline/train/index.js';
import { writeLabeledCsv, writeTextCorpus } from '../../support/pipeline-data.js';
import { adminToken, chromiumMissing, ensureWebBuilt, launchChromium, openPage, screenshot, signInAsAdmin, startTestServer, type TestServer } from './browser.js';

const missing = chromiumMissing();
const ci = process.env.CI === 'true';
if (missing && !ci) console.warn(`skipping browser tests: ${missing}`);

describe.skipIf(Boolean(missing) && !ci)('the Models page shows each evaluation’s baselines', { timeout: 300_000 }, () => {
  const root = mkdtempSync(join(tmpdir(), 'qd-eval-browser-'));
  const tiny = { preset: 'tiny' as const, overrides: { nLayer: 1, nHead: 2, dModel: 16, contextLength: 32 } };
  const hyper = { batchSize: 4, seqLen: 32, evalEvery: 10, evalBatches: 2, checkpointEvery: 10, warmupSteps: 2, lr: 3e-3, seed: 3 };
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let classifier: ClassifierEvaluation;
  let lm: LmEvaluation;

  /** Starts an eval run through the API and waits for the worker to finish it; returns its evaluation. */
  async function evaluated(params: Record<string, unknown>): Promise<unknown> {
    const started = await server.api('POST', '/api/runs', { kind: 'eval', params });
    expect(started.status, JSON.stringify(started.json)).toBe(202);
    let run = started.json as { id: string; status: string; error: string | null; metrics: { evaluation?: unknown } };
    for (let i = 0; i < 900 && (run.status === 'queued' || run.status === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 200));
      run = (await server.api('GET', `/api/runs/${run.id}`)).json as typeof run;
    }
    expect(run.status, String(run.error)).toBe('completed');
    return run.metrics.evaluation;
  }

  beforeAll(async () => {
    if (missing) throw new Error(missing);
    ensureWebBuilt();
    [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
    await prepareData({ inputs: [writeTextCorpus(join(root, 'text'))], outDir: join(root, 'text-data'), valFraction: 0.25, tokenizer: { kind: 'byte' } });
    const pretrained = await trainLanguageModel({ dataDir: join(root, 'text-data'), outDir: join(root, 'pretrain'), model: tiny, steps: 6, ...hyper });
    await prepareData({ inputs: [writeLabeledCsv(join(root, 'labeled.csv'), 80)], outDir: join(root, 'labeled'), labelField: 'label', valFraction: 0.3, tokenizer: { kind: 'byte' } });
    const tuned = await trainClassifier({ checkpoint: pretrained.modelDir, dataDir: join(root, 'labeled'), outDir: join(root, 'classifier'), steps: 6, freezeBelow: 0, ...hyper, seqLen: 16 });
    lm = (await evaluated({ modelDir: pretrained.modelDir, dataDir: join(root, 'text-data'), seqLen: 32 })) as LmEvaluation;
    classifier = (await evaluated({ modelDir: tuned.modelDir, dataDir: join(root, 'labeled') })) as ClassifierEvaluation;
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    context.setDefaultTimeout(60_000);
    page = await context.newPage();
    await signInAsAdmin(page, server.url, adminToken);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.running.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const cells = () => page.getByTestId('evaluation-baselines').allTextContents();
  const pct = (v: number) => `${(v * 100).toFixed(2).replace(/\.?0+$/, '')}%`;

  it('in English: both classical baselines with the model’s difference and McNemar’s verdict, and the n-gram beside the LM', async () => {
    expect(classifier.baselines.map((b) => b.name)).toEqual(['naive-bayes', 'logistic-regression']);
    expect(classifier).not.toHaveProperty('predictions'); // the run row keeps what is summed from them, not the list
    await openPage(page, 'models');
    await expect.poll(async () => (await cells()).length).toBe(2);
    const [classifierCell, lmCell] = await cells(); // newest run first
    const [nb, lr] = classifier.baselines;
    expect(classifierCell).toContain(`The model read at most 16 tokens per example (${classifier.truncatedExamples} of ${classifier.examples} were longer)`);
    expect(classifierCell).toContain(`Naive Bayes: accuracy ${pct(nb!.accuracy)}`);
    expect(classifierCell).toContain(`Logistic regression: accuracy ${pct(lr!.accuracy)}`);
    for (const b of [nb!, lr!]) {
      const v = b.versusModel;
      expect(classifierCell).toContain(`McNemar ${v.mcnemar.exact ? 'exact binomial' : 'χ² with continuity correction'}`);
      expect(classifierCell).toContain(v.significant ? (v.accuracyDifference > 0 ? 'model significantly better' : 'model significantly worse') : 'not significant');
    }
    expect(lmCell).toBe(`3-gram (Kneser-Ney): perplexity ${lm.baseline.perplexity.toLocaleString('en-US', { maximumFractionDigits: 2 })} on the same ${lm.tokens.toLocaleString('en-US')} tokens (model: ${lm.perplexity.toLocaleString('en-US', { maximumFractionDigits: 2 })})`);
    const overflowing = await page.evaluate(() => Array.from(document.querySelectorAll('table')).filter((t) => t.scrollWidth > (t.parentElement?.clientWidth ?? 0) + 1).length);
    expect(overflowing).toBe(0);
    await screenshot(page, 'eval-baselines-en');
  });

  it('in 简体中文: the same figures in Chinese', async () => {
    await page.getByTestId('lang-zh').click();
    await openPage(page, 'models');
    await expect.poll(async () => (await cells()).length).toBe(2);
    const [classifierCell, lmCell] = await cells();
    expect(classifierCell).toContain(`朴素贝叶斯：准确率 ${pct(classifier.baselines[0]!.accuracy)}`);
    expect(classifierCell).toContain(`逻辑回归：准确率 ${pct(classifier.baselines[1]!.accuracy)}`);
    expect(classifierCell).toMatch(/McNemar (精确二项检验|连续性校正 χ² 检验)/);
    expect(lmCell).toContain(`3 元语法（Kneser-Ney）：在相同的 ${lm.tokens.toLocaleString('zh-CN')} 个 token 上困惑度`);
    await screenshot(page, 'eval-baselines-zh');
    await page.getByTestId('lang-en').click();
  });
});
