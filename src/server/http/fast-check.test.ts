import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorBodySchema } from '../../shared/contract/common.js';
import { chatCompletionRequestSchema, chatCompletionSchema, completionRequestSchema, embeddingRequestSchema, messagesRequestSchema, modelListSchema, responseCreateSchema, textCompletionSchema } from '../../shared/contract/v1.js';
import { compileFastCheck } from './fast-check.js';

/**
 * The fast check may only say "valid" where zod accepts the value and returns it unchanged: then the
 * value can stand for zod's result. Checked against zod itself (the reference) on mutations of valid
 * bodies and on arbitrary JSON, for the contracts' hot schemas.
 */
const chatBody = { model: 'bench', messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 5 };
const chatAnswer = { id: 'chatcmpl-req_1', object: 'chat.completion', created: 1, model: 'bench', choices: [{ index: 0, message: { role: 'assistant', content: 'w0 w1' }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } };

const inputs: [string, z.ZodType, unknown][] = [
  ['chat request', chatCompletionRequestSchema, chatBody],
  ['completion request', completionRequestSchema, { model: 'm', prompt: 'hi', max_tokens: 3, stop: ['a'], logit_bias: { '50256': -100 } }],
  ['embeddings request', embeddingRequestSchema, { model: 'm', input: ['a', 'b'], encoding_format: 'base64' }],
  ['messages request', messagesRequestSchema, { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }], system: 's' }],
  ['responses request', responseCreateSchema, { model: 'm', input: [{ role: 'user', content: 'x' }], metadata: { a: 'b' }, truncation: 'auto' }],
];
const answers: [string, z.ZodType, unknown][] = [
  ['chat answer', chatCompletionSchema, chatAnswer],
  ['text answer', textCompletionSchema, { ...chatAnswer, object: 'text_completion', choices: [{ index: 0, text: 'w0', finish_reason: null }] }],
  ['error body', errorBodySchema, { error: { message: 'm', type: 'invalid_request_error', param: null, code: 'QD_INVALID_REQUEST' } }],
  ['model list', modelListSchema, { object: 'list', data: [{ id: 'm', object: 'model', created: 1, owned_by: 'qudao', endpoints: ['chat.completions'] }] }],
];

/** Odd values for a field: wrong types, edges of the ranges, strings that break lengths and patterns. */
const oddValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(undefined, null, 0, -0, 1, 1.5, -1, 2, 16, 17, 32_768, 32_769, 2 ** 53, 1e308, '', 'x'.repeat(257), '12', '1234567890', 'user', 'tool', 'text', true, [], {}, [''], ['a', 'b', 'c', 'd', 'e']),
);

/** A path into a value, and the value with that path replaced (or its key deleted when `undefined`). */
function mutate(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? mutate(v, rest, replacement) : v));
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = { ...value };
    if (rest.length === 0 && replacement === undefined) delete copy[head as string];
    else copy[head as string] = mutate((value as Record<string, unknown>)[head as string], rest, replacement);
    return copy;
  }
  return value;
}

/** Every path of a value (objects' keys and arrays' indices), plus a new key at each object. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
    for (const k of ['extra', 'n', 'stream', 'temperature', 'name', 'logit_bias', 'stop']) out.push([...prefix, k]);
  }
  return out;
}

/** The property: a value the fast check passes is one zod accepts and returns as it is. */
function agreesWithZod(schema: z.ZodType, json: boolean, value: unknown): void {
  const fast = compileFastCheck(schema, { json })!;
  if (!fast(value)) return;
  const result = schema.safeParse(json ? JSON.parse(JSON.stringify(value)) : value);
  expect(result.success).toBe(true);
  if (json) expect(JSON.parse(JSON.stringify(result.data))).toEqual(JSON.parse(JSON.stringify(value)));
  else expect(result.data).toEqual(value);
}

describe('compileFastCheck', () => {
  for (const [name, schema, valid] of [...inputs, ...answers]) {
    const json = answers.some(([n]) => n === name);
    it(`${name}: compiles, passes the valid value, and never passes what zod would refuse or change`, () => {
      const fast = compileFastCheck(schema, { json });
      expect(fast).toBeDefined();
      expect(fast!(valid)).toBe(true);
      const paths = pathsOf(valid);
      fc.assert(
        fc.property(fc.constantFrom(...paths), oddValue, (path, replacement) => agreesWithZod(schema, json, mutate(valid, path, replacement))),
        { numRuns: 3000, seed: 20261204 },
      );
      fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => agreesWithZod(schema, json, value)), { numRuns: 500, seed: 20261204 });
    });
  }

  it('refuses what zod would change or what it cannot be sure of', () => {
    const strip = compileFastCheck(z.object({ a: z.string() }), { json: true })!;
    expect(strip({ a: 'x' })).toBe(true);
    expect(strip({ a: 'x', b: 1 })).toBe(false); // zod would drop b
    expect(compileFastCheck(z.object({ a: z.string() }).loose(), { json: true })!({ a: 'x', b: 1 })).toBe(true);
    expect(compileFastCheck(z.object({ a: z.string() }).strict(), { json: false })!({ a: 'x', b: 1 })).toBe(false);
    expect(strip({ a: new Date(0) })).toBe(false); // a Date is text only once serialised: zod decides
    expect(strip(Object.assign(Object.create(null), { a: 'x' }))).toBe(false);
    expect(compileFastCheck(z.array(z.string().optional()), { json: true })!([undefined])).toBe(false); // JSON makes it null
    expect(compileFastCheck(z.number(), { json: false })!(Number.NaN)).toBe(false);
    expect(compileFastCheck(z.number().int(), { json: false })!(2 ** 53)).toBe(false);
    expect(compileFastCheck(z.number().gt(1), { json: false })!(1)).toBe(false);
    expect(compileFastCheck(z.string().regex(/^\d+$/), { json: false })!('12a')).toBe(false);
  });

  it('does not compile transformations, defaults, refinements or formats (zod always runs for them)', () => {
    expect(compileFastCheck(z.object({ a: z.string().default('x') }), { json: false })).toBeUndefined();
    expect(compileFastCheck(z.string().transform((s) => s.trim()), { json: false })).toBeUndefined();
    expect(compileFastCheck(z.string().refine((s) => s !== 'x'), { json: false })).toBeUndefined();
    expect(compileFastCheck(z.object({ a: z.number() }).refine((o) => o.a > 0), { json: false })).toBeUndefined();
    expect(compileFastCheck(z.email(), { json: false })).toBeUndefined();
    expect(compileFastCheck(z.coerce.number(), { json: false })).toBeUndefined();
    expect(compileFastCheck(z.string().trim(), { json: false })).toBeUndefined();
  });
});
