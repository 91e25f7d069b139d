import type { RunningApp } from '../../src/app.js';
import { rootCommand } from '../../src/cli/commands/index.js';
import { runCli } from '../../src/cli/run.js';
import { loadConfig } from '../../src/config/index.js';
import { startApp } from '../../src/app.js';
import { TEST_ADMIN_TOKEN } from './gateway-workspace.js';

/** Starts the whole app on an in-memory store with the test admin token, no demo, silent logs. */
export function startTestApp(): Promise<RunningApp> {
  return startApp(loadConfig({ env: { QUDAO_DATA_DIR: 'memory://', QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent', QUDAO_ADMIN_TOKEN: TEST_ADMIN_TOKEN } }));
}

/** Runs `qudao <args>` in-process against the running server's /api and collects its exit code and output. */
export async function runCliAgainst(running: RunningApp, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(rootCommand, [...args, '--url', running.url, '--admin-token', TEST_ADMIN_TOKEN], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
