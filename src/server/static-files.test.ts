import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { installStaticFiles } from './static-files.js';

describe('the dashboard catch-all', () => {
  const root = mkdtempSync(join(tmpdir(), 'qd-static-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Qudao</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  const app = Fastify();
  installStaticFiles(app, root);
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('answers client-side routes with index.html and assets as files', async () => {
    const page = await app.inject({ url: '/overview' });
    expect([page.statusCode, page.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
    const asset = await app.inject({ url: '/assets/app.js' });
    expect([asset.statusCode, asset.body]).toEqual([200, 'console.log(1)']);
  });

  it.each(['/api/nope', '/API/keys', '//api/keys', '/Api', '/v1/nope', '/V1/models', '///v1/x', '/r/', '/R/abc'])('answers %s with the JSON 404 of an unknown route, never the page', async (url) => {
    const res = await app.inject({ url });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });
});
