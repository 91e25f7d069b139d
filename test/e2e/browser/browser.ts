/**
 * Shared set-up of the browser tests: Debian's chromium through playwright-core, the dashboard built
 * once, a real Qudao started in-process on an in-memory store, screenshots under test-artifacts/screenshots/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startApp, type AppExtras, type RunningApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config/index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const chromiumPath = '/usr/bin/chromium';
export const screenshotDir = join(repoRoot, 'test-artifacts', 'screenshots');
export const adminToken = 'qd_admin_browser_tests_0123456789abcdef';

/**
 * Whether the browser tests can run here. Under CI a missing chromium is a failure (the test says so);
 * elsewhere the tests skip with this message.
 */
export function chromiumMissing(): string | null {
  return existsSync(chromiumPath) ? null : `browser tests need Debian chromium at ${chromiumPath} (apt-get install -y chromium)`;
}

/** Builds the dashboard when dist/web is missing or older than web/ (scripts/ensure-web.js). */
export function ensureWebBuilt(): void {
  const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'ensure-web.js')], { cwd: repoRoot, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`dashboard build failed: ${r.stdout}${r.stderr}`);
}

/** Launches headless chromium with the flags that keep it quiet and offline. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A running server (it serves dist/web at `/`) and a caller of its API. */
export interface TestServer {
  running: RunningApp;
  url: string;
  /** A call with the admin token (or `token`); returns status and parsed JSON (or null). */
  api(method: 'GET' | 'POST', path: string, body?: unknown, token?: string): Promise<{ status: number; json: unknown }>;
}

/** Starts Qudao in-process (composition root, real HTTP listener) on an in-memory store. */
export async function startTestServer(extras: AppExtras = {}): Promise<TestServer> {
  const config = loadConfig({ env: { QUDAO_DATA_DIR: 'memory://', QUDAO_PORT: '0', QUDAO_LOG_LEVEL: 'silent', QUDAO_ADMIN_TOKEN: adminToken } });
  const running = await startApp(config, extras);
  return {
    running,
    url: running.url,
    async api(method, path, body, token = adminToken) {
      const response = await fetch(`${running.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      let json: unknown = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = text;
      }
      return { status: response.status, json };
    },
  };
}

/**
 * Starts Qudao as a new user's first `npm start` would (the demo workspace and the bundled model), on an
 * in-memory store, and waits until the demo is ready. `scale` shrinks the demo's call rates (1 is what
 * `npm start` writes); the history ends today, so the running month is partial as it is for a user.
 */
export async function startDemoTestServer(demo: AppExtras['demo'] = { scale: 0.25 }): Promise<TestServer> {
  const server = await startTestServer({ demo });
  const deadline = Date.now() + 600_000;
  const state = (): string => server.running.services.demo?.state ?? 'off';
  while (state() === 'generating') {
    if (Date.now() > deadline) throw new Error('the demo workspace was not ready within 10 minutes');
    await new Promise((r) => setTimeout(r, 250));
  }
  if (state() !== 'ready') throw new Error(`demo workspace: ${state()}`);
  return server;
}

/** The server and browser of a suite set up by {@link useDemoBrowser}; read them inside tests and hooks. */
export interface DemoBrowser {
  readonly server: TestServer;
  readonly browser: Browser;
}

/**
 * Registers a suite's set-up: the dashboard built, a demo-workspace server ({@link startDemoTestServer}) and
 * chromium, then `setup` (rows the suite's tests need); both are closed after the suite. A missing
 * chromium fails the suite (callers skip it outside CI).
 */
export function useDemoBrowser(options: { demo?: AppExtras['demo']; setup?: (running: DemoBrowser) => Promise<void> } = {}): DemoBrowser {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const running: DemoBrowser = {
    get server() {
      if (!server) throw new Error('the demo server is not started (use it inside tests and hooks)');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('chromium is not started (use it inside tests and hooks)');
      return browser;
    },
  };
  beforeAll(async () => {
    const missing = chromiumMissing();
    if (missing) throw new Error(missing);
    ensureWebBuilt();
    [server, browser] = await Promise.all([startDemoTestServer(options.demo), launchChromium()]);
    await options.setup?.(running);
  }, 600_000); // a cold start on a loaded machine takes minutes
  afterAll(async () => {
    await browser?.close();
    await server?.running.stop();
  });
  return running;
}

/** Saves a full-page screenshot as test-artifacts/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  // Sticky header and navigation land mid-picture in a full-page shot taken while scrolled.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Signs in with the admin token through the login form. */
export async function signInAsAdmin(page: Page, url: string, token: string): Promise<void> {
  await page.goto(`${url}/#/overview`);
  await page.getByTestId('login-token').fill(token);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('page-title').waitFor();
}

/** Opens a page by its route and waits until its loading lines are gone. */
export async function openPage(page: Page, route: string): Promise<void> {
  await page.goto(`${page.url().split('#')[0]}#/${route}`);
  await page.getByTestId(`nav-${route}`).waitFor({ state: 'attached' });
  await page.waitForFunction(() => !document.body.innerText.includes('Loading…') && !document.body.innerText.includes('加载中…'), undefined, { timeout: 20_000 });
}
