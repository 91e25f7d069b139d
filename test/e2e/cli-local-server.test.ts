import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { rootCommand, runCli } from '../../src/cli/index.js';
import { loadConfig } from '../../src/config/index.js';
import { prepareData } from '../../src/pipeline/data/index.js';
import { LOCAL_SERVER_FILE, readLocalServer } from '../../src/server/index.js';
import { writeTextCorpus } from '../support/pipeline-data.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(rootCommand, argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('the CLI and a server that owns the data folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'qd-cli-local-'));
  const dataDir = join(root, 'data');
  let running: RunningApp;

  beforeAll(async () => {
    await prepareData({ inputs: [writeTextCorpus(join(root, 'text'), 12)], outDir: join(root, 'corpus'), valFraction: 0.25, tokenizer: { kind: 'byte' } });
    // No QUDAO_ADMIN_TOKEN: the first start creates one and prints it once; the CLI must not need it.
    running = await startApp(loadConfig({ env: { QUDAO_DATA_DIR: dataDir, QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent' } }));
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('leaves its URL and a token for this start, readable by its owner only', () => {
    const local = readLocalServer(dataDir);
    expect(local).toMatchObject({ pid: process.pid, url: running.url });
    expect(statSync(join(dataDir, LOCAL_SERVER_FILE)).mode & 0o077).toBe(0);
  });

  it('records a training run started from the CLI through the server, with relative paths meaning what they mean here', async () => {
    const rel = (p: string) => relative(process.cwd(), p);
    const r = await cli('train', '--data-dir', dataDir, '--data', rel(join(root, 'corpus')), '--out', rel(join(root, 'run')), '--steps', '4', '--batch-size', '2', '--seq-len', '16', '--eval-every', '2', '--eval-batches', '1',
      '--set', 'nLayer=1', '--set', 'nHead=2', '--set', 'dModel=16', '--set', 'contextLength=16', '--quiet');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain(`the server at ${running.url} holds the data folder`);
    const id = /run (run_\S+): completed/.exec(r.out)?.[1];
    expect(id, r.out).toBeTruthy();
    const run = await running.services.pipeline!.runs.get(id!);
    expect(run.status).toBe('completed');
    expect((run.metrics as { step: number }).step).toBe(4);
    expect(existsSync(join(root, 'run', 'best'))).toBe(true);
    const list = await cli('runs', 'list', '--data-dir', dataDir);
    expect(list.code, list.err).toBe(0);
    expect(list.out).toMatch(new RegExp(`${id}\\s+train\\s+completed\\s+4\\s`));
  }, 240_000);

  it('removes the file and revokes the token when the server stops', async () => {
    const token = readLocalServer(dataDir)!.adminToken;
    await running.stop();
    expect(existsSync(join(dataDir, LOCAL_SERVER_FILE))).toBe(false);
    running = await startApp(loadConfig({ env: { QUDAO_DATA_DIR: dataDir, QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent' } }));
    expect(running.services.adminTokens.verify(token)).toBeUndefined();
    // The new start's token is the owner's.
    expect(running.services.adminTokens.verify(readLocalServer(dataDir)!.adminToken)).toMatchObject({ kind: 'admin', role: 'owner', email: 'owner@localhost' });
  }, 120_000);
});
