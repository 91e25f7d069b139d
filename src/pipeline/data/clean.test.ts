import { describe, expect, it } from 'vitest';
import { cleanText, lengthVerdict } from './clean.js';

describe('cleanText', () => {
  it('normalises line endings and removes control characters but keeps tabs, newlines and emoji joiners', () => {
    expect(cleanText('a\r\nb\rc\u0000d\u0007e\u001bf\u007fg\u0085h\ti\u000cj 👨‍👩‍👧\uFEFF')).toBe('a\nb\ncdefgh\ti\nj 👨‍👩‍👧');
  });
  it('applies NFC by default, NFKC on request', () => {
    expect(cleanText('e\u0301')).toBe('é');
    expect(cleanText('ｆｕｌｌ ﬁ', { normalize: 'NFKC' })).toBe('full fi');
    expect(cleanText('e\u0301', { normalize: 'none' })).toBe('e\u0301');
  });
  it('drops lone surrogates, trailing spaces and blank edges', () => {
    expect(cleanText('\n\n  x\uD800y  \n  \n😀\uDC00\n\n')).toBe('  xy\n\n😀');
  });
});

describe('lengthVerdict', () => {
  it('counts code points and words', () => {
    expect(lengthVerdict('')).toBe('empty');
    expect(lengthVerdict('😀😀', { minChars: 2 })).toBe('ok');
    expect(lengthVerdict('😀', { minChars: 2 })).toBe('tooShort');
    expect(lengthVerdict('abcdef', { maxChars: 5 })).toBe('tooLong');
    expect(lengthVerdict('one two', { minWords: 3 })).toBe('tooShort');
  });
});
