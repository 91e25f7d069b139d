import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startQudao } from '../support/process.js';

describe('first start with the demo setting on', () => {
  it('creates the demo workspace in the background, reports it on /healthz, and stops cleanly mid-way', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'qd-demo-')), 'data');
    const qudao = await startQudao(['--data-dir', dataDir], { QUDAO_DEMO: 'true' });
    const health = (await (await fetch(`${qudao.url}/healthz`)).json()) as { status: string; demo?: string };
    expect(health.status).toBe('ok');
    expect(['generating', 'ready']).toContain(health.demo);
    qudao.child.kill('SIGTERM');
    expect(await qudao.exited).toBe(0);
  });
});
