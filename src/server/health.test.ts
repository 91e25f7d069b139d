import { describe, expect, it } from 'vitest';
import { probe } from './health.js';

describe('a health probe', () => {
  it('is ok when the dependency answers', async () => {
    expect(await probe(async () => 1, 1_000)).toMatchObject({ status: 'ok' });
  });

  it('is down when the dependency fails', async () => {
    expect(await probe(() => Promise.reject(new Error('refused')), 1_000)).toMatchObject({ status: 'down' });
  });

  it('is down, not pending, when the dependency never answers (a frozen Redis)', async () => {
    const result = await probe(() => new Promise(() => {}), 20);
    expect(result.status).toBe('down');
  });
});
