import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCatalogue, QudaoError, toOpenAIErrorBody, toQudaoError } from './index.js';

describe('error catalogue', () => {
  it('documents every code in the README error table', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const undocumented = Object.keys(errorCatalogue).filter((code) => !readme.includes(`\`${code}\``));
    expect(undocumented).toEqual([]);
  });

  it('gives every code a 4xx/5xx status and a message', () => {
    for (const [code, entry] of Object.entries(errorCatalogue)) {
      expect(code).toMatch(/^QD_[A-Z_]+$/);
      expect(entry.status).toBeGreaterThanOrEqual(400);
      expect(entry.status).toBeLessThan(600);
      expect(entry.message.length).toBeGreaterThan(10);
    }
  });

  it('maps to the OpenAI error shape', () => {
    const err = new QudaoError('QD_QUOTA_EXCEEDED', undefined, { param: 'max_tokens' });
    expect(err.status).toBe(429);
    expect(toOpenAIErrorBody(err)).toEqual({
      error: { message: errorCatalogue.QD_QUOTA_EXCEEDED.message, type: 'insufficient_quota', param: 'max_tokens', code: 'QD_QUOTA_EXCEEDED' },
    });
  });

  it('keeps catalogued codes from lower layers and hides unknown errors', () => {
    const lower = Object.assign(new Error('file x.txt is not UTF-8'), { code: 'QD_DATA_ENCODING' });
    expect(toQudaoError(lower).code).toBe('QD_DATA_ENCODING');
    expect(toQudaoError(lower).message).toBe('file x.txt is not UTF-8');
    const unknown = toQudaoError(new TypeError('x is undefined'));
    expect(unknown.code).toBe('QD_INTERNAL');
    expect(unknown.message).toBe(errorCatalogue.QD_INTERNAL.message);
  });
});
