import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { roleTableMarkdown } from '../../src/shared/contract/access.js';

describe('the README role table', () => {
  it('is the permission table (src/shared/contract/access.ts), as generated', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const between = /<!-- roles:start -->\n([\s\S]*?)\n<!-- roles:end -->/.exec(readme)?.[1];
    expect(between, 'README.md has no <!-- roles:start --> … <!-- roles:end --> block').toBeDefined();
    expect(between).toBe(roleTableMarkdown());
  });
});
