import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import { zh } from './zh.js';

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('dictionaries', () => {
  it('have the same keys, no empty message, and the same placeholders in both languages', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const [key, message] of Object.entries(en)) {
      const chinese = zh[key as keyof typeof en];
      expect(message.trim(), key).not.toBe('');
      expect(chinese.trim(), key).not.toBe('');
      expect(placeholders(chinese), key).toEqual(placeholders(message));
    }
  });

  it('use the glossary’s words for the four channel advantages', () => {
    expect([zh['advantage.coverage'], zh['advantage.stickiness'], zh['advantage.costControl'], zh['advantage.brand']]).toEqual(['市场覆盖', '用户粘性', '成本控制', '品牌塑造']);
  });
});
