/**
 * `npx tsx bench/gateway-costs.ts`: what each piece of the gateway's per-request work costs on its own,
 * in µs of one core, measured in this process with the same inputs as `npm run bench:gateway`'s request
 * (a 1-message chat, max_tokens 5, the mock's 5-word answer): validating the body, serialising the answer,
 * the limiter's admit and settle with four limits, the ledger row, its journal line and its INSERT text,
 * the metrics, a request id; and the PGlite INSERT's CPU per row by batch size. The whole request's cost (Fastify, Node's HTTP, the upstream call, the
 * PGlite thread) is what `bench:gateway` measures; this file attributes the JavaScript parts of it.
 */
import { Counter, Registry } from 'prom-client';
import { chatCompletionRequestSchema, chatCompletionSchema } from '../src/shared/contract/v1.js';
import { inputIssueMessage } from '../src/errors/index.js';
import { MemoryLimiter } from '../src/gateway/limits/memory-limiter.js';
import { chargesFor, limitHeaders, actualAmounts } from '../src/gateway/limits/meters.js';
import { usageRowOf } from '../src/gateway/metering/usage-row.js';
import { ledgerInsertSql } from '../src/gateway/metering/ledger-writer.js';
import { compileFastCheck } from '../src/server/http/fast-check.js';
import { hashSecret } from '../src/auth/index.js';
import { GatewayMetrics } from '../src/gateway/metering/gateway-metrics.js';
import { completionBody } from '../src/gateway/openai/responses.js';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, newId, openStore } from '../src/store/index.js';
import { ledgerInsertOfTuples, ledgerTuple } from '../src/gateway/metering/ledger-sql.js';
import { quantile } from './load-generator.js';
import type { Caller, GatewayDeployment } from '../src/gateway/types.js';

const body = { model: 'bench', messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 5 };
const caller = {
  key: { id: 'key_b', prefix: 'qd_sk_', keyHash: 'h', customerId: 'cus_b', channelId: 'chn_b', partnerId: null, planId: 'plan_b', models: [], status: 'active', expiresAtMs: null, timeoutMs: null },
  plan: { id: 'plan_b', name: 'bench', inputPer1mMicros: 500_000, outputPer1mMicros: 1_500_000, rpmLimit: 1e9, tpmLimit: 2e9, monthlyTokenQuota: 1e15 },
  customer: { id: 'cus_b', acquiredPartnerId: null, acquiredCampaignId: null, spendBudgetMicros: 1e15, monthlyTokenQuota: null, status: 'active', billingMode: 'postpaid', prepaidSinceMs: null, creditedMicros: 0, lowBalanceMicros: null },
} as unknown as Caller;
const deployment = { id: 'dep_b', name: 'bench', costInputPer1mMicros: 0, costOutputPer1mMicros: 0 } as unknown as GatewayDeployment;
const choices = [{ index: 0, message: { role: 'assistant', content: 'w0 w1 w2 w3 w4' }, finish_reason: 'stop' }];

/** Mean µs per call of `fn` over ~0.5 s, after a warm-up. */
function cost(fn: (i: number) => unknown): number {
  for (let i = 0; i < 20_000; i++) fn(i);
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < 500) for (let k = 0; k < 1000; k++) fn(n++);
  return ((performance.now() - start) * 1000) / n;
}

const limiter = new MemoryLimiter();
const registry = new Registry();
const metrics = new GatewayMetrics();
metrics.attach(registry);
const row = usageRowOf({ requestId: 'req_x', caller, deployment, endpoint: 'chat', usage: { promptTokens: 12, completionTokens: 5 }, status: 'ok', httpStatus: 200, errorCode: null, streamed: false, latencyMs: 1.2, occurredAt: new Date() });
const answer = completionBody('chat', 'req_x', 'bench', 1, choices, { promptTokens: 12, completionTokens: 5 });

const fastBody = compileFastCheck(chatCompletionRequestSchema, { json: false })!;
const fastAnswer = compileFastCheck(chatCompletionSchema, { json: true })!;
const promRequests = new Counter({ name: 'c_requests', help: 'h', labelNames: ['model', 'endpoint', 'status'], registers: [registry] });
const promTokens = new Counter({ name: 'c_tokens', help: 'h', labelNames: ['model', 'kind'], registers: [registry] });

// "before:" lines are what the hot path did until issue #18; the line after each is what it does now.
const parts: [string, (i: number) => unknown][] = [
  ['before: body validation, zod safeParse of the chat body', () => chatCompletionRequestSchema.safeParse(body, { error: inputIssueMessage })],
  ['now:    body validation, compiled fast check', () => fastBody(body)],
  ['before: answer serialisation, JSON round trip + zod + stringify', () => JSON.stringify(chatCompletionSchema.safeParse(JSON.parse(JSON.stringify(answer))).data)],
  ['now:    answer serialisation, fast check + stringify', () => fastAnswer(answer) && JSON.stringify(answer)],
  ['before: ledger encoding, journal JSON line + INSERT literals', () => JSON.stringify(row).length + ledgerInsertSql([row]).length],
  ['now:    ledger encoding, one SQL tuple (journal line and INSERT values)', () => ledgerTuple(row)],
  ['before: gateway metrics, 3 prom-client inc with label objects', () => {
    promRequests.inc({ model: 'bench', endpoint: 'chat', status: 'ok' });
    promTokens.inc({ model: 'bench', kind: 'prompt' }, 12);
    promTokens.inc({ model: 'bench', kind: 'completion' }, 5);
  }],
  ['now:    gateway metrics, typed-array counts', () => metrics.metered(row)],
  ['key check: SHA-256 of the secret (now remembered per known key)', () => hashSecret('qd_sk_0123456789abcdefghijklmnopqrstuv')],
  ['limits: chargesFor + admit + headers + settle (4 meters)', (i) => {
    const now = Date.now();
    const charges = chargesFor(caller, { tokens: 17, priceMicros: 10 }, now);
    const r = limiter.admitNow(`r${i}`, now, charges);
    limitHeaders(charges, r);
    return limiter.settle(`r${i}`, now, charges, actualAmounts(charges, 17, 10));
  }],
  ['ledger row object (usageRowOf)', () => usageRowOf({ requestId: 'req_x', caller, deployment, endpoint: 'chat', usage: { promptTokens: 12, completionTokens: 5 }, status: 'ok', httpStatus: 200, errorCode: null, streamed: false, latencyMs: 1.2, occurredAt: new Date() })],
  ['request id (newId, random bytes from a pool)', () => newId('req')],
];
for (const [name, fn] of parts) console.log(`${cost(fn).toFixed(2).padStart(7)} µs  ${name}`);

/** CPU seconds of this whole process (every thread: the PGlite worker's included), from /proc (Linux). */
function processCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

// The ledger's INSERT into PGlite on disk (its own thread, as in `qudao start`), by batch size: the CPU of
// the process per row, tuple encoding included. The writer's flush interval sets the batch size under load.
const dataDir = mkdtempSync(join(tmpdir(), 'qd-costs-'));
const store = await openStore({ dataDir, databaseUrl: undefined });
await migrate(store);
let seq = 0;
const perRow: Record<number, number[]> = {};
for (let round = 0; round < 3; round++) {
  for (const size of [25, 100, 400]) {
    const total = 4_000;
    const before = processCpuSeconds();
    for (let b = 0; b < total / size; b++) await store.execRaw(ledgerInsertOfTuples(Array.from({ length: size }, () => ledgerTuple({ ...row, requestId: `req_${seq++}` }))));
    (perRow[size] ??= []).push(((processCpuSeconds() - before) * 1e6) / total);
  }
}
for (const [size, v] of Object.entries(perRow)) console.log(`${quantile(v, 0.5).toFixed(0).padStart(7)} µs  PGlite INSERT per row in batches of ${size} (process CPU, median of ${v.length}: ${v.map((x) => x.toFixed(0)).join(', ')})`);
await store.close();
rmSync(dataDir, { recursive: true, force: true });
