import Ajv from 'ajv';
import { eq } from 'drizzle-orm';
import OpenAI from 'openai';
import { LengthFinishReasonError } from 'openai/error';
import { zodFunction, zodResponseFormat } from 'openai/helpers/zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { engineRuntimeLoader } from '../../src/inference/index.js';
import { schema } from '../../src/store/index.js';
import { adminCall, seedGatewayKey, TEST_ADMIN_TOKEN } from '../support/gateway-workspace.js';

/**
 * Structured output from an in-process model (the bundled qudao-brown, a small GPT that knows nothing of
 * JSON) through the official openai SDK: whatever it samples, constrained decoding makes the answer parse
 * and match the schema, and tool calls come back as `tool_calls` whose arguments validate.
 */
describe('structured output and tool calls from the bundled model, through the openai SDK', () => {
  let running: RunningApp;
  let client: OpenAI;
  const ajv = new Ajv({ strict: false });
  const model = 'brown';

  beforeAll(async () => {
    const config = loadConfig({ env: { QUDAO_DATA_DIR: 'memory://', QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent', QUDAO_ADMIN_TOKEN: TEST_ADMIN_TOKEN } });
    const checkpointPath = new URL('../../models/bundled/qudao-brown', import.meta.url).pathname;
    running = await startApp(config, { runtimeLoader: engineRuntimeLoader({ lookup: async () => ({ checkpointPath, config: {} }), threads: 1 }) });
    const [m] = await running.services.store.db.insert(schema.models).values({ id: 'mdl_brown', name: 'brown', kind: 'gpt' }).returning();
    await running.services.store.db.insert(schema.modelVersions).values({ id: 'mv_brown', modelId: m!.id, version: 1, config: {}, checkpointPath });
    expect((await adminCall(running.url, 'POST', '/api/deployments', { name: model, kind: 'local', modelVersionId: 'mv_brown' })).status).toBe(201);
    const key = await seedGatewayKey(running.url, running.services.store, { rpmLimit: null, tpmLimit: null, monthlyTokenQuota: null });
    client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: key.key, maxRetries: 0 });
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
  });

  const messages = [{ role: 'user' as const, content: 'Describe a person as JSON.' }];
  const Person = z.object({
    name: z.string(),
    age: z.number().int(),
    pets: z.array(z.object({ kind: z.enum(['cat', 'dog']), name: z.string() })).max(2),
    nickname: z.string().nullable(),
  });

  it('client.chat.completions.parse with a zod response_format: every answer parses and matches the schema', async () => {
    for (const seed of [1, 2, 3]) {
      const res = await client.chat.completions.parse({ model, messages, response_format: zodResponseFormat(Person, 'person'), max_tokens: 120, temperature: 1, seed });
      const choice = res.choices[0]!;
      expect(choice.finish_reason).toBe('stop');
      expect(Person.parse(choice.message.parsed)).toEqual(JSON.parse(choice.message.content!));
      // The ledger bills what the model generated.
      const row = (await running.services.store.db.select().from(schema.usageEvents).where(eq(schema.usageEvents.requestId, res.id.replace(/^chatcmpl-/, ''))))[0];
      expect(row?.completionTokens).toBe(res.usage?.completion_tokens);
    }
  }, 120_000);

  it('json_object: any JSON object, whole and streamed (the same text for the same seed)', async () => {
    const whole = await client.chat.completions.create({ model, messages, response_format: { type: 'json_object' }, max_tokens: 60, seed: 7 });
    const text = whole.choices[0]!.message.content!;
    expect(whole.choices[0]!.finish_reason).toBe('stop');
    const value: unknown = JSON.parse(text);
    expect(typeof value === 'object' && value !== null && !Array.isArray(value)).toBe(true);
    const stream = await client.chat.completions.create({ model, messages, response_format: { type: 'json_object' }, max_tokens: 60, seed: 7, stream: true });
    let streamed = '';
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? '';
    expect(streamed).toBe(text);
  }, 120_000);

  it('max_tokens too small to finish: finish_reason length (the text is cut, and parse() says so)', async () => {
    const res = await client.chat.completions.create({ model, messages, response_format: zodResponseFormat(Person, 'person'), max_tokens: 5, seed: 1 });
    expect(res.choices[0]!.finish_reason).toBe('length');
    expect(() => JSON.parse(res.choices[0]!.message.content!)).toThrow();
    const err = await client.chat.completions.parse({ model, messages, response_format: zodResponseFormat(Person, 'person'), max_tokens: 5, seed: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LengthFinishReasonError);
  }, 120_000);

  const weather = { type: 'object', properties: { city: { type: 'string' }, unit: { enum: ['c', 'f'] }, days: { type: 'integer' } }, required: ['city', 'unit', 'days'], additionalProperties: false };
  const add = { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'], additionalProperties: false };
  const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
    { type: 'function', function: { name: 'get_weather', description: 'Weather forecast', parameters: weather, strict: true } },
    { type: 'function', function: { name: 'add', parameters: add, strict: true } },
  ];
  const schemaOf: Record<string, object> = { get_weather: weather, add };

  it('tool_choice required: a tool_calls answer whose arguments JSON.parse and validate against the chosen tool', async () => {
    const names = new Set<string>();
    for (const seed of [1, 2, 3, 4]) {
      const res = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'What is the weather in Oslo?' }], tools, tool_choice: 'required', max_tokens: 80, seed });
      const choice = res.choices[0]!;
      expect(choice.finish_reason).toBe('tool_calls');
      expect(choice.message.content).toBeNull();
      const [call] = choice.message.tool_calls!;
      if (call?.type !== 'function') throw new Error('expected a function call');
      expect(call.id).toMatch(/^call_/);
      names.add(call.function.name);
      expect(ajv.validate(schemaOf[call.function.name]!, JSON.parse(call.function.arguments))).toBe(true);
    }
    expect([...names].every((n) => n in schemaOf)).toBe(true);
  }, 120_000);

  it('a named function, streamed as tool_call deltas, gives the same call as the whole answer', async () => {
    const body = { model, messages: [{ role: 'user' as const, content: 'Add two numbers.' }], tools, tool_choice: { type: 'function' as const, function: { name: 'add' } }, max_tokens: 60, seed: 11 };
    const whole = await client.chat.completions.create(body);
    const call = whole.choices[0]!.message.tool_calls![0]!;
    if (call.type !== 'function') throw new Error('expected a function call');
    expect(call.function.name).toBe('add');
    expect(ajv.validate(add, JSON.parse(call.function.arguments))).toBe(true);
    const stream = await client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } });
    let name = '';
    let args = '';
    let id = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta.tool_calls?.[0];
      if (delta?.id) id = delta.id;
      name += delta?.function?.name ?? '';
      args += delta?.function?.arguments ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect({ name, args, finish }).toEqual({ name: 'add', args: call.function.arguments, finish: 'tool_calls' });
    expect(id).toMatch(/^call_/);
    // Held-back wrapper tokens are billed with the deltas that follow: the streamed count equals the whole one.
    expect(usage?.completion_tokens).toBe(whole.usage?.completion_tokens);
  }, 120_000);

  it('parse() with a zod function tool gives parsed_arguments', async () => {
    const Add = z.object({ a: z.number(), b: z.number() });
    const res = await client.chat.completions.parse({ model, messages, tools: [zodFunction({ name: 'add', parameters: Add })], tool_choice: 'required', max_tokens: 60, seed: 3 });
    const call = res.choices[0]!.message.tool_calls![0]!;
    expect(Add.parse(call.function.parsed_arguments)).toEqual(JSON.parse(call.function.arguments));
  }, 120_000);

  it('a history with tool calls and tool results is rendered (calls as the JSON the model writes), not refused', async () => {
    const first = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Weather in Oslo?' }], tools, tool_choice: { type: 'function', function: { name: 'get_weather' } }, max_tokens: 60, seed: 2 });
    const call = first.choices[0]!.message.tool_calls![0]!;
    if (call.type !== 'function') throw new Error('expected a function call');
    const history: OpenAI.Chat.ChatCompletionMessageParam[] = [
      { role: 'user', content: 'Weather in Oslo?' },
      { role: 'assistant', content: null, tool_calls: [call] },
      { role: 'tool', tool_call_id: call.id, content: '{"celsius": 4}' },
    ];
    const withResult = await client.chat.completions.create({ model, messages: history, max_tokens: 3, seed: 1 });
    const withoutCall = await client.chat.completions.create({ model, messages: [history[0]!, { role: 'tool', tool_call_id: call.id, content: '{"celsius": 4}' }], max_tokens: 3, seed: 1 });
    expect(typeof withResult.choices[0]!.message.content).toBe('string');
    // The call's text is part of the prompt (and billed): the prompt with it is longer by at least its arguments.
    expect(withResult.usage!.prompt_tokens).toBeGreaterThan(withoutCall.usage!.prompt_tokens + 3);
  }, 120_000);

  it('tool_choice none ignores the tools and answers with text', async () => {
    const res = await client.chat.completions.create({ model, messages, tools, tool_choice: 'none', max_tokens: 4, seed: 1 });
    expect(res.choices[0]!.message.tool_calls ?? []).toEqual([]);
    expect(typeof res.choices[0]!.message.content).toBe('string');
  }, 120_000);

  it('refuses what it cannot do, naming the field', async () => {
    const refused = async (body: Record<string, unknown>) => {
      const err = await client.chat.completions.create({ model, messages, max_tokens: 4, ...body } as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.BadRequestError);
      const e = err as InstanceType<typeof OpenAI.BadRequestError>;
      return `${e.code} ${e.param}`;
    };
    // No tool-calling template: the model cannot choose between text and a call.
    expect(await refused({ tools, tool_choice: 'auto' })).toBe('QD_UNSUPPORTED_PARAMETER tool_choice');
    expect(await refused({ tools })).toBe('QD_UNSUPPORTED_PARAMETER tool_choice');
    // A keyword the automaton cannot enforce, named by its path in the schema.
    const withPattern = { type: 'object', properties: { id: { type: 'string', pattern: '^[a-z]+$' } }, required: ['id'], additionalProperties: false };
    expect(await refused({ response_format: { type: 'json_schema', json_schema: { name: 'x', schema: withPattern, strict: true } } })).toBe('QD_UNSUPPORTED_PARAMETER response_format.json_schema.schema.properties.id.pattern');
    expect(await refused({ tools: [tools[0], { type: 'function', function: { name: 'f', parameters: withPattern } }], tool_choice: 'required' })).toBe('QD_UNSUPPORTED_PARAMETER tools.1.function.parameters.properties.id.pattern');
    expect(await refused({ response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'array', items: {} } } } })).toBe('QD_UNSUPPORTED_PARAMETER response_format.json_schema.schema.type');
    // A schema no finite text matches could never finish.
    const endless = { type: 'object', properties: { next: { $ref: '#' } }, required: ['next'], additionalProperties: false };
    expect(await refused({ response_format: { type: 'json_schema', json_schema: { name: 'x', schema: endless } } })).toBe('QD_INVALID_REQUEST response_format.json_schema.schema');
    // Malformed fields are invalid requests, named.
    expect(await refused({ response_format: { type: 'yaml' } })).toBe('QD_INVALID_REQUEST response_format.type');
    expect(await refused({ tools, tool_choice: { type: 'function', function: { name: 'nope' } } })).toBe('QD_INVALID_REQUEST tool_choice.function.name');
    expect(await refused({ tool_choice: 'required' })).toBe('QD_INVALID_REQUEST tool_choice');
    expect(await refused({ tools: [{ type: 'custom', custom: { name: 'x' } }], tool_choice: 'required' })).toBe('QD_UNSUPPORTED_PARAMETER tools.0.type');
  }, 120_000);
});
