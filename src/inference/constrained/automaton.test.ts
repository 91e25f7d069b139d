import Ajv from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonAutomaton } from './automaton.js';
import { anyJsonObject, compileJsonSchema, compileToolCall, UnsupportedSchemaError } from './grammar.js';
import { randomObjectSchema } from '../../../test/support/json-schemas.js';

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const acceptor = (a: JsonAutomaton) => (text: string) => a.accepts(a.run(utf8(text)));

describe('the JSON automaton (json_object: any JSON object)', () => {
  const accepts = acceptor(new JsonAutomaton(anyJsonObject({ maxWhitespace: 8 })));

  it.each([
    '{}',
    '{"a":1}',
    '{"n": -0.5e10, "m": 0, "k": -0, "f": 1.25E+3, "g": 3e-7}',
    '{"s": "quote \\" backslash \\\\ slash \\/ \\b\\f\\n\\r\\t \\u00e9 \\uD83D\\uDE00"}',
    '{"é日本😀": "naïve — 中文"}',
    '{"a": [1, [2, [3, {"b": [true, false, null]}]]], "c": {}}',
    '{\n  "pretty": [\n    1\n  ]\n}',
  ])('accepts %s', (text) => {
    expect(accepts(text)).toBe(true);
    expect(() => JSON.parse(text)).not.toThrow();
  });

  it.each([
    ['a top-level array', '[1]'],
    ['a top-level string', '"x"'],
    ['a leading zero', '{"a": 01}'],
    ['a bare dot', '{"a": 1.}'],
    ['an exponent without digits', '{"a": 1e}'],
    ['a plus sign', '{"a": +1}'],
    ['a trailing comma', '{"a": 1,}'],
    ['a missing colon', '{"a" 1}'],
    ['a cut literal', '{"a": tru}'],
    ['a raw control character in a string', '{"a": "x\u0001"}'],
    ['a raw newline in a string', '{"a": "x\ny"}'],
    ['an unknown escape', '{"a": "\\x41"}'],
    ['a short unicode escape', '{"a": "\\u12"}'],
    ['single quotes', "{'a': 1}"],
    ['an unquoted key', '{a: 1}'],
    ['text after the object', '{} x'],
    ['an unclosed object', '{"a": 1'],
    ['NaN', '{"a": NaN}'],
  ])('rejects %s', (_label, text) => {
    expect(accepts(text)).toBe(false);
  });

  it('rejects bytes that are not UTF-8 inside strings (overlong, surrogate, cut characters)', () => {
    const a = new JsonAutomaton(anyJsonObject());
    const run = (bytes: number[]) => a.accepts(a.run(Uint8Array.from([...utf8('{"a":"'), ...bytes, ...utf8('"}')])));
    expect(run([0xc3, 0xa9])).toBe(true); // é
    expect(run([0xf0, 0x9f, 0x98, 0x80])).toBe(true); // 😀
    expect(run([0xc0, 0xaf])).toBe(false); // overlong '/'
    expect(run([0xed, 0xa0, 0x80])).toBe(false); // UTF-16 surrogate
    expect(run([0xe6, 0x97])).toBe(false); // cut before its last byte
    expect(run([0xf5, 0x80, 0x80, 0x80])).toBe(false); // above U+10FFFF
  });

  it('limits whitespace runs to maxWhitespace', () => {
    const compact = acceptor(new JsonAutomaton(anyJsonObject({ maxWhitespace: 0 })));
    expect(compact('{"a":1}')).toBe(true);
    expect(compact('{"a": 1}')).toBe(false);
    const one = acceptor(new JsonAutomaton(anyJsonObject({ maxWhitespace: 1 })));
    expect(one('{"a": 1, "b": [1, 2]}')).toBe(true);
    expect(one('{"a":  1}')).toBe(false);
  });

  it('accepts every JSON object fast-check makes (as JSON.stringify writes it, compact and indented)', () => {
    const a = new JsonAutomaton(anyJsonObject({ maxWhitespace: 64 }));
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'grapheme' }), fc.jsonValue()), (value) => {
        expect(a.accepts(a.run(utf8(JSON.stringify(value))))).toBe(true);
        expect(a.accepts(a.run(utf8(JSON.stringify(value, null, 2))))).toBe(true);
      }),
      { seed: 15, numRuns: 300 },
    );
  });
});

describe('the JSON automaton on a schema', () => {
  const schema = {
    type: 'object',
    properties: {
      name: { type: 'string', description: 'who' },
      age: { type: 'integer' },
      score: { type: ['number', 'null'] },
      colour: { enum: ['red', 'reddish', 1] },
      tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 2 },
      pet: { anyOf: [{ $ref: '#/$defs/cat' }, { type: 'object', properties: { barks: { type: 'boolean' } }, required: ['barks'], additionalProperties: false }] },
      note: { type: 'string' },
    },
    required: ['name', 'age', 'score', 'colour', 'tags', 'pet'],
    additionalProperties: false,
    $defs: { cat: { type: 'object', properties: { meows: { const: true } }, required: ['meows'], additionalProperties: false } },
  };
  const a = new JsonAutomaton(compileJsonSchema(schema, { maxWhitespace: 2 }));
  const accepts = acceptor(a);
  const ok = { name: 'Ann', age: 3, score: null, colour: 'reddish', tags: ['x'], pet: { meows: true } };
  const text = (v: Record<string, unknown>) => JSON.stringify(v);

  it('accepts a matching object in schema order, with the optional property or without', () => {
    expect(accepts(text(ok))).toBe(true);
    expect(accepts(text({ ...ok, note: 'n' }))).toBe(true);
    expect(accepts(text({ ...ok, colour: 1, score: -2.5e-3, pet: { barks: false } }))).toBe(true);
    expect(accepts(text({ ...ok, colour: 'red' }))).toBe(true);
  });

  it.each([
    ['a fraction for an integer', { ...ok, age: 3.5 }],
    ['a value outside the enum', { ...ok, colour: 'blue' }],
    ['too few items', { ...ok, tags: [] }],
    ['too many items', { ...ok, tags: ['a', 'b', 'c'] }],
    ['an item of the wrong type', { ...ok, tags: [1] }],
    ['a missing required property', { name: 'Ann', age: 3, score: null, colour: 'red', tags: ['x'] }],
    ['an unknown property', { ...ok, extra: 1 }],
    ['a wrong const', { ...ok, pet: { meows: false } }],
    ['a string for a boolean', { ...ok, pet: { barks: 'yes' } }],
  ])('rejects %s', (_label, value) => {
    expect(accepts(text(value))).toBe(false);
  });

  it('rejects an exponent or a fraction for an integer, written as text', () => {
    expect(accepts(text(ok).replace('"age":3', '"age":3e2'))).toBe(false);
    expect(accepts(text(ok).replace('"age":3', '"age":3.0'))).toBe(false);
    expect(accepts(text(ok).replace('"age":3', '"age":-30'))).toBe(true);
  });

  it('rejects properties out of the schema order (one canonical order)', () => {
    const { name, ...rest } = ok;
    expect(accepts(text({ ...rest, name }))).toBe(false);
  });

  it('counts the fewest bytes that complete a text', () => {
    const shortest = '{"name":"","age":0,"score":0,"colour":1,"tags":[""],"pet":{"meows":true}}';
    expect(accepts(shortest)).toBe(true);
    expect(a.minBytesToFinish(a.initial)).toBe(shortest.length);
    for (let i = 0; i <= shortest.length; i++) expect(a.minBytesToFinish(a.run(utf8(shortest.slice(0, i))))).toBe(shortest.length - i);
  });

  it('follows recursive references', () => {
    const tree = compileJsonSchema({
      type: 'object',
      properties: { value: { type: 'integer' }, children: { type: 'array', items: { $ref: '#' } } },
      required: ['value', 'children'],
      additionalProperties: false,
    });
    const r = acceptor(new JsonAutomaton(tree));
    expect(r('{"value":1,"children":[{"value":2,"children":[]},{"value":3,"children":[{"value":4,"children":[]}]}]}')).toBe(true);
    expect(r('{"value":1,"children":[{"value":2}]}')).toBe(false);
  });

  it('keeps at most 64 readings of a text, however the anyOf options multiply (and still accepts only matching texts)', () => {
    // Three options agreeing on every key, nested 6 deep: 3^6 readings of `{"a":{"a":…` if all were kept.
    let inner: Record<string, unknown> = { type: 'object', properties: { v: { type: 'integer' } }, required: ['v'], additionalProperties: false };
    for (let depth = 0; depth < 6; depth++) {
      const option = (tail: Record<string, unknown>) => ({ type: 'object', properties: { a: inner, ...tail }, required: ['a'], additionalProperties: false });
      inner = { anyOf: [option({}), option({ b: { type: 'string' } }), option({ c: { type: 'null' } })] };
    }
    const a = new JsonAutomaton(compileJsonSchema({ type: 'object', properties: { x: inner }, required: ['x'], additionalProperties: false }));
    const text = '{"x":' + '{"a":'.repeat(6) + '{"v":1}' + '}'.repeat(6) + '}';
    let state = a.initial;
    for (const b of utf8(text)) {
      state = a.step(state, b);
      expect(state.length).toBeLessThanOrEqual(64);
    }
    expect(a.accepts(state)).toBe(true);
    expect(acceptor(a)('{"x":' + '{"a":'.repeat(6) + '{"v":"1"}' + '}'.repeat(6) + '}')).toBe(false);
  });

  it('ties a tool call\'s arguments to its name', () => {
    const call = acceptor(new JsonAutomaton(compileToolCall([
      { name: 'add', parameters: { type: 'object', properties: { a: { type: 'number' } }, required: ['a'], additionalProperties: false } },
      { name: 'greet', parameters: { type: 'object', properties: { who: { type: 'string' } }, required: ['who'], additionalProperties: false } },
    ])));
    expect(call('{"name":"add","arguments":{"a":1}}')).toBe(true);
    expect(call('{"name": "greet", "arguments": {"who": "Bo"}}')).toBe(true);
    expect(call('{"name":"add","arguments":{"who":"Bo"}}')).toBe(false);
    expect(call('{"name":"sub","arguments":{"a":1}}')).toBe(false);
  });
});

describe('compiling JSON Schema', () => {
  const refused = (schema: unknown) => {
    try {
      compileJsonSchema(schema);
    } catch (err) {
      if (err instanceof UnsupportedSchemaError) return err.path;
      throw err;
    }
    return undefined;
  };

  it('names the path of a keyword it cannot enforce', () => {
    expect(refused({ type: 'object', properties: { a: { type: 'string', pattern: '^x' } }, required: ['a'], additionalProperties: false })).toBe('properties.a.pattern');
    expect(refused({ type: 'object', properties: { a: { type: 'array', items: { type: 'number', exclusiveMinimum: 0 } } }, additionalProperties: false })).toBe('properties.a.items.exclusiveMinimum');
    expect(refused({ type: 'object', properties: { a: { type: 'integer', minimum: 5 } }, additionalProperties: false })).toBe('properties.a.minimum');
    expect(refused({ type: 'object', properties: { a: { type: 'number', maximum: 0.5 } }, additionalProperties: false })).toBe('properties.a.maximum');
    expect(refused({ type: 'object', properties: { a: { oneOf: [{ type: 'string' }] } }, additionalProperties: false })).toBe('properties.a.oneOf');
    expect(refused({ type: 'object', properties: { a: { type: 'string' } } })).toBe('additionalProperties');
    expect(refused({ type: 'object', properties: { a: { $ref: '#/$defs/missing' } }, additionalProperties: false })).toBe('properties.a.$ref');
    expect(refused({ type: 'string' })).toBe('type');
    expect(refused({ type: 'object', properties: {}, required: ['a'], additionalProperties: false })).toBe('required');
    expect(refused({ type: 'object', properties: { a: { type: 'date' } }, additionalProperties: false })).toBe('properties.a.type');
  });

  it('accepts annotations (description, title, $schema, default) without enforcing them', () => {
    expect(refused({ $schema: 'https://json-schema.org/draft/2020-12/schema', title: 'T', type: 'object', description: 'd', properties: { a: { type: 'string', default: 'x' } }, required: ['a'], additionalProperties: false })).toBeUndefined();
  });
});

describe('the automaton against a JSON Schema validator (ajv)', () => {
  it('accepts a text only if ajv validates it (random schemas, random texts walked byte by byte)', () => {
    const ajv = new Ajv({ strict: false });
    fc.assert(
      fc.property(randomObjectSchema, fc.array(fc.nat(), { minLength: 1, maxLength: 200 }), (schema, choices) => {
        const a = new JsonAutomaton(compileJsonSchema(schema));
        // Walk the automaton: at each step pick one of the bytes it allows (by the random choices), finish by the shortest path.
        let state = a.initial;
        const bytes: number[] = [];
        for (let step = 0; step < 400 && !a.accepts(state); step++) {
          const options: number[] = [];
          const finishing: number[] = [];
          const need = a.minBytesToFinish(state);
          for (let b = 0; b < 256; b++) {
            const next = a.step(state, b);
            if (next.length === 0) continue;
            options.push(b);
            if (a.minBytesToFinish(next) < need) finishing.push(b);
          }
          expect(options.length).toBeGreaterThan(0);
          const pool = step < choices.length ? options : finishing;
          const b = pool[choices[step % choices.length]! % pool.length]!;
          bytes.push(b);
          state = a.step(state, b);
        }
        expect(a.accepts(state)).toBe(true);
        const text = Buffer.from(bytes).toString('utf8');
        const value: unknown = JSON.parse(text);
        expect(ajv.validate(schema, value)).toBe(true);
      }),
      { seed: 1515, numRuns: 150 },
    );
  });
});
