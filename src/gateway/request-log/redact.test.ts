import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { luhnValid, redactPersonalData } from './redact.js';

/** Realistic text: what must be redacted (with the exact expected output) and what must be kept verbatim. */
const fixture = JSON.parse(readFileSync(new URL('./redaction.fixture.json', import.meta.url), 'utf8')) as {
  redacted: { text: string; expected: string }[];
  kept: string[];
};

describe('redaction of personal data before storage', () => {
  it.each(fixture.redacted)('redacts e-mail addresses, international phone numbers and Luhn-valid cards: $text', ({ text, expected }) => {
    expect(redactPersonalData(text)).toBe(expected);
  });

  it.each(fixture.kept)('keeps what is not personal data (order numbers, dates, versions, ids): %s', (text) => {
    expect(redactPersonalData(text)).toBe(text);
  });

  it('checks cards with Luhn: published test numbers pass, one changed digit fails', () => {
    for (const card of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '4012888888881881']) {
      expect(luhnValid(card)).toBe(true);
      const changed = card.slice(0, -1) + String((Number(card.at(-1)) + 1) % 10);
      expect(luhnValid(changed)).toBe(false);
      expect(redactPersonalData(`pay with ${changed}`)).toBe(`pay with ${changed}`);
    }
  });

  it('leaves no digit of a redacted card or phone behind, and is idempotent', () => {
    for (const { text } of fixture.redacted) {
      const once = redactPersonalData(text);
      expect(redactPersonalData(once)).toBe(once);
    }
    expect(redactPersonalData('')).toBe('');
  });
});
