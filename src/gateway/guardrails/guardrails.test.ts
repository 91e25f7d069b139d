import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkOutput } from './check.js';
import { patternMatcher, patternProblem, redactSpans, termMatcher } from './matcher.js';
import { compileGuardrail, guardrailConfigOf, type CompiledGuardrail } from './rules.js';
import { StreamGuard } from './stream-guard.js';

const compiled = (over: Partial<{ kind: string; action: string; config: unknown }>): CompiledGuardrail =>
  compileGuardrail({ id: `grd_${over.kind}_${over.action}`, name: 'g', stage: 'output', kind: 'blocklist', action: 'redact', config: { terms: ['x'] }, ...over })!;

/** The text a stream guard lets out when the answer arrives in the given pieces. */
function streamed(guards: CompiledGuardrail[], pieces: string[]): { text: string; refused: boolean } {
  const g = new StreamGuard(guards);
  let text = '';
  for (const p of pieces) {
    const r = g.push(0, p);
    if (r.refusedBy) return { text, refused: true };
    text += r.text;
  }
  const end = g.finish(0);
  if (end.refusedBy) return { text, refused: true };
  return { text: text + end.text, refused: false };
}

/** Cuts a text at the given points. */
function cut(text: string, points: number[]): string[] {
  const at = [...new Set(points.map((p) => p % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const p of at) {
    out.push(text.slice(from, p));
    from = p;
  }
  out.push(text.slice(from));
  return out;
}

describe('matchers', () => {
  it('matches terms as whole words, case-insensitively, phrases over any whitespace', () => {
    const m = termMatcher(['foo bar', 'Ünïcode']);
    const text = 'FOO   bar, foobar, xfoo bar, ünïcode! ünïcodes';
    expect(redactSpans(text, m.find(text))).toBe('[redacted], foobar, xfoo bar, [redacted]! ünïcodes');
  });

  it('treats regex metacharacters in terms as literals', () => {
    const m = termMatcher(['a.b', '(x)', 'x-ray/2', 'c++', '$5']);
    expect(m.find('aXb a.b').map((s) => s.start)).toEqual([4]);
    expect(m.find('an x-ray/2 of c++ for $5').map((s) => s.start)).toEqual([3, 14, 22]);
    expect(m.find('(x)')).toEqual([{ start: 0, end: 3 }]);
  });

  it('compiles any terms at all, and finds each where it stands alone', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 12 }).filter((t) => t.trim().length > 0), { minLength: 1, maxLength: 5 }), (terms) => {
        const m = termMatcher(terms);
        const t = terms[0]!.trim();
        expect(m.find(` ${t} `).length).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 300, seed: 19 },
    );
  });

  it('refuses patterns RE2 cannot run in linear time, and patterns that match empty text', () => {
    expect(patternProblem('(a)\\1')).toMatch(/linear time/);
    expect(patternProblem('(?<=a)b')).toMatch(/look-around/);
    expect(patternProblem('a*')).toBe('must not match empty text');
    expect(patternProblem('(a|a)*b')).toBeUndefined();
    expect(patternProblem('[')).toBeDefined();
  });

  it('runs an exponential-in-JavaScript pattern over a hostile text as one linear scan', () => {
    const m = patternMatcher(['(a|a)*b', '(x+x+)+y']);
    expect(m.find(`${'a'.repeat(50_000)}c${'x'.repeat(50_000)}`)).toEqual([]);
  });
});

describe('rules', () => {
  it('names the field at fault', () => {
    const bad = (g: Parameters<typeof guardrailConfigOf>[0]) => {
      try {
        guardrailConfigOf(g);
      } catch (err) {
        return (err as { param?: string }).param;
      }
      return undefined;
    };
    expect(bad({ stage: 'input', kind: 'regex', action: 'flag', patterns: ['ok', 'a**'] })).toBe('patterns.1');
    expect(bad({ stage: 'input', kind: 'blocklist', action: 'flag', terms: ['x'], maxChars: 3 })).toBe('maxChars');
    expect(bad({ stage: 'output', kind: 'classifier', action: 'flag' })).toBe('stage');
    expect(bad({ stage: 'input', kind: 'max_prompt', action: 'redact', maxChars: 3 })).toBe('action');
    expect(bad({ stage: 'input', kind: 'max_prompt', action: 'refuse' })).toBe('maxChars');
  });
});

describe('stream guard', () => {
  const redactTerms = compiled({ config: { terms: ['blue falcon', 'ab'] } });
  const redactPattern = compiled({ kind: 'regex', config: { patterns: ['\\d{3,6}'] } });
  const refuse = compiled({ action: 'refuse', config: { terms: ['stop here'] } });

  it('lets out exactly what redacting the whole answer gives, however the answer is cut into chunks', () => {
    const alphabet = fc.constantFrom('a', 'b', ' ', 'blue', 'falcon', 'Blue Falcon', '1', '23', '4567', 'x', '\n');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }), fc.array(fc.nat(400), { maxLength: 12 }), (words, points) => {
        const text = words.join('');
        const whole = checkOutput([redactTerms, redactPattern], [text]).texts[0]!;
        expect(streamed([redactTerms, redactPattern], cut(text, points)).text).toBe(whole);
      }),
      { numRuns: 400, seed: 19 },
    );
  });

  it('never lets out a refused phrase, however it is cut', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.string({ maxLength: 60 }), fc.array(fc.nat(200), { maxLength: 10 }), (before, after, points) => {
        const text = `${before} stop  HERE ${after}`;
        const out = streamed([refuse], cut(text, points));
        expect(out.refused).toBe(true);
        expect(out.text.toLowerCase()).not.toMatch(/stop\s+here/);
      }),
      { numRuns: 300, seed: 19 },
    );
  });

  it('holds back no more than the window: text far from any match leaves as it comes', () => {
    const g = new StreamGuard([redactTerms]);
    const first = g.push(0, 'z'.repeat(100));
    expect(first.text.length).toBe(100 - redactTerms.matchWindow!);
  });
});
