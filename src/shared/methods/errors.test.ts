import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { STRATEGY_ERROR_CODES, StrategyInputError } from './errors.js';

// The global error catalogue (src/errors) merges these codes; this test fails if a method throws
// a code that STRATEGY_ERROR_CODES does not list.
describe('strategy error codes', () => {
  it('every code used in the methods is listed', () => {
    const dir = dirname(fileURLToPath(import.meta.url));
    const used = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/'(QD_[A-Z_]+)'/g)) used.add(m[1]!);
    }
    expect([...used].sort()).toEqual([...STRATEGY_ERROR_CODES].sort());
  });

  it('carries a stable code, a name and optional details', () => {
    const e = new StrategyInputError('QD_INVALID_INPUT', 'weights must be > 0', { field: 'weight' });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('StrategyInputError');
    expect(e.code).toBe('QD_INVALID_INPUT');
    expect(e.details).toEqual({ field: 'weight' });
  });
});
