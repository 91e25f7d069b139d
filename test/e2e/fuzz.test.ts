import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { isErrorCode } from '../../src/errors/index.js';
import { seedGatewayKey, TEST_ADMIN_TOKEN } from '../support/gateway-workspace.js';

/**
 * Property: whatever body a client sends to /v1 or to any /api route that takes one, the answer is never a
 * 5xx, and every error has OpenAI's shape with a catalogued code and a message of our own (no validator
 * text). Seeded, so a failure replays; `npm test` runs a few hundred bodies, `npm run fuzz` many more
 * (QUDAO_FUZZ_RUNS).
 */
const RUNS = Number(process.env.QUDAO_FUZZ_RUNS ?? 150);
const SEED = Number(process.env.QUDAO_FUZZ_SEED ?? 20261202);

/**
 * Routes left out, and why. None now: `POST /api/runs` takes only a run kind with that step's parameters
 * (required folders included), which no fuzzed body forms, and `POST /api/runs/:id/resume` takes no body
 * and names no run here, so neither starts a training worker.
 */
const excluded = new Set<string>([]);

/** Field names the routes read, so arbitrary objects often hit a real field with a wrong value. */
const fieldNames = [
  'model', 'messages', 'prompt', 'max_tokens', 'max_completion_tokens', 'n', 'stream', 'stream_options', 'stop', 'temperature', 'top_p', 'seed',
  'name', 'month', 'partnerId', 'customerId', 'channelId', 'planId', 'expiresAt', 'kind', 'upstreamUrl', 'rpmLimit',
  'monthlyTokenQuota', 'inputPer1mMicros', 'revenueShareBps', 'startsAt', 'criteria', 'alternatives', 'weights', 'matrix', 'budget',
  'channels', 'total', 'email', 'password', 'role', 'content', 'status', 'type', 'config', 'id', 'from', 'to',
];

/** Values of the shapes that break parsers: huge and odd numbers, odd strings, deep nesting. */
const oddValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -0, 0.5, 1e-320, 100_000, -1, '', ' ', '%ZZ', '\u0000', '𝟘'.repeat(50), 'x'.repeat(5000), '__proto__', '1970-13-45', 'NaN'),
  fc.array(fc.constantFrom(null, 1, 'a', {}, []), { maxLength: 2000 }).map((a) => a),
  fc.integer({ min: 1, max: 200 }).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown),
);

/** A body: arbitrary JSON, an object of known fields with odd values, or text that is not JSON. */
const body = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.dictionary(fc.constantFrom(...fieldNames), oddValue, { maxKeys: 8 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('{', '{"a":', '[1,', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}', 'null', '""', '0'),
);

function concretePath(url: string): string {
  return url.replace(/:[A-Za-z_]+/g, 'x_fuzz').replace(/\*$/, 'x_fuzz');
}

/** What is wrong with an answer, or undefined when it keeps the contract. */
function contractBreach(status: number, text: string): string | undefined {
  if (status >= 500) return `status ${status}: ${text.slice(0, 300)}`;
  if (status < 400) return undefined;
  let error: { message?: unknown; type?: unknown; code?: unknown; param?: unknown } | undefined;
  try {
    error = (JSON.parse(text) as { error?: typeof error }).error;
  } catch {
    return `status ${status} with a body that is not JSON: ${text.slice(0, 200)}`;
  }
  if (!error || typeof error.message !== 'string' || typeof error.type !== 'string') return `status ${status} without OpenAI's error shape: ${text.slice(0, 200)}`;
  if (!isErrorCode(error.code)) return `uncatalogued code ${String(error.code)}`;
  if (/Too (big|small): expected|Invalid input: expected|expected (number|string) to be|must NOT have|Unrecognized key/.test(error.message)) return `validator text: ${error.message}`;
  return undefined;
}

describe('fuzz: no body makes a 5xx or an unshaped error', () => {
  let running: RunningApp;
  let customerKey: string;
  beforeAll(async () => {
    running = await startApp(loadConfig({ env: { QUDAO_DATA_DIR: 'memory://', QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent', QUDAO_ADMIN_TOKEN: TEST_ADMIN_TOKEN } }));
    customerKey = (await seedGatewayKey(running.url, running.services.store, {})).key;
  });
  afterAll(async () => running?.stop());

  it('over /v1 with a valid customer key', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/v1/chat/completions', '/v1/completions'), body, async (url, payload) => {
        const res = await running.app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json', authorization: `Bearer ${customerKey}` } });
        const breach = contractBreach(res.statusCode, res.body);
        if (breach) throw new Error(`POST ${url} ${payload.slice(0, 200)} -> ${breach}`);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('over /v1/messages (Anthropic\'s error shape, with a catalogued code)', async () => {
    const messagesBody = fc.oneof(body, fc.dictionary(fc.constantFrom('model', 'max_tokens', 'messages', 'system', 'stop_sequences', 'top_k', 'metadata', 'stream', 'tools', 'content', 'role'), oddValue, { maxKeys: 6 }).map((v) => JSON.stringify(v)));
    await fc.assert(
      fc.asyncProperty(messagesBody, async (payload) => {
        const res = await running.app.inject({ method: 'POST', url: '/v1/messages', payload, headers: { 'content-type': 'application/json', 'x-api-key': customerKey } });
        if (res.statusCode >= 500) throw new Error(`POST /v1/messages ${payload.slice(0, 200)} -> status ${res.statusCode}: ${res.body.slice(0, 300)}`);
        if (res.statusCode < 400) return;
        const parsed = JSON.parse(res.body) as { type?: unknown; error?: { type?: unknown; message?: unknown; code?: unknown } };
        const e = parsed.error;
        const breach =
          parsed.type !== 'error' || !e || typeof e.type !== 'string' || typeof e.message !== 'string' ? 'not Anthropic\'s error shape'
          : !isErrorCode(e.code) || res.headers['x-qudao-error-code'] !== e.code ? `uncatalogued code ${String(e.code)}`
          : /Too (big|small): expected|Invalid input: expected|expected (number|string) to be|must NOT have|Unrecognized key/.test(e.message) ? `validator text: ${e.message}`
          : undefined;
        if (breach) throw new Error(`POST /v1/messages ${payload.slice(0, 200)} -> ${breach}: ${res.body.slice(0, 200)}`);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('over every /api route that takes a body, as an admin', async () => {
    const routes = running.app.routeList
      .filter((r) => r.url.startsWith('/api/') && ['POST', 'PATCH', 'PUT'].includes(r.method) && !excluded.has(`${r.method} ${r.url}`))
      .map((r) => ({ method: r.method, path: concretePath(r.url) }));
    expect(routes.length).toBeGreaterThan(50);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), body, async (route, payload) => {
        const res = await running.app.inject({ method: route.method as 'POST', url: route.path, payload, headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
        const breach = contractBreach(res.statusCode, res.body);
        if (breach) throw new Error(`${route.method} ${route.path} ${payload.slice(0, 200)} -> ${breach}`);
      }),
      { numRuns: RUNS * 4, seed: SEED },
    );
  });
});
