import { describe, expect, it } from 'vitest';
import type { GatewayDeployment } from '../types.js';
import { UpstreamRouter } from './router.js';
import { UpstreamFailure, type ChunkSink, type GenerationCall, type Upstream } from './types.js';

const dep = (id: string, extra: Partial<GatewayDeployment> = {}): GatewayDeployment => ({
  id, name: id, kind: 'upstream', modelVersionId: null, upstreamUrl: 'http://x', upstreamModel: null, provider: 'openai-compatible', apiVersion: null, upstreamApiKey: null,
  fallbackDeploymentId: null, timeoutMs: 1000, maxRetries: 2, costInputPer1mMicros: 0, costOutputPer1mMicros: 0, ownerPartnerId: null, ownerCustomerId: null, createdAtMs: 0, requestLogEnabled: false, ...extra,
});

/** An upstream whose answers per deployment are scripted: each call takes the next step. */
function scripted(steps: Record<string, (UpstreamFailure | 'ok' | 'chunk-then-fail')[]>): Upstream & { calls: string[] } {
  const calls: string[] = [];
  const next = (d: GatewayDeployment) => {
    calls.push(d.id);
    return steps[d.id]!.shift() ?? 'ok';
  };
  return {
    calls,
    async complete(_c, d) {
      const s = next(d);
      if (s instanceof UpstreamFailure) throw s;
      return { choices: [{ index: 0, message: { role: 'assistant', content: d.id } }], usage: undefined };
    },
    async stream(_c, d, onChunk: ChunkSink) {
      const s = next(d);
      if (s instanceof UpstreamFailure) throw s;
      onChunk([{ index: 0, delta: { content: d.id } }], undefined);
      if (s === 'chunk-then-fail') throw new UpstreamFailure('cut', 'connection', true);
      return { usage: undefined };
    },
    countTokens: () => 0,
  };
}

const call = { endpoint: 'chat', requestId: 'r', body: { model: 'a', messages: [{ role: 'user', content: 'x' }] } } as GenerationCall;
const err500 = () => new UpstreamFailure('500', 'status', true, 500);
const signal = new AbortController().signal;

describe('UpstreamRouter', () => {
  it('retries retryable failures, then falls back along the chain', async () => {
    const b = dep('b');
    const up = scripted({ a: [err500(), err500(), err500()], b: ['ok'] });
    const router = new UpstreamRouter({ local: up, http: up, deploymentById: (id) => (id === 'b' ? b : undefined), backoffMs: 1 });
    const routed = await router.complete(call, dep('a', { fallbackDeploymentId: 'b' }), signal);
    expect(routed.deployment.id).toBe('b');
    expect(up.calls).toEqual(['a', 'a', 'a', 'b']);
  });

  it('does not retry or fall back when the upstream refuses the request (400)', async () => {
    const up = scripted({ a: [new UpstreamFailure('bad', 'rejected', false, 400)] });
    const router = new UpstreamRouter({ local: up, http: up, deploymentById: () => dep('b'), backoffMs: 1 });
    await expect(router.complete(call, dep('a', { fallbackDeploymentId: 'b' }), signal)).rejects.toMatchObject({ code: 'QD_INVALID_REQUEST' });
    expect(up.calls).toEqual(['a']);
  });

  it('falls back at once on a timeout, and reports the last failure when all fail', async () => {
    const up = scripted({ a: [new UpstreamFailure('slow', 'timeout', false)], b: [err500(), err500()] });
    const router = new UpstreamRouter({ local: up, http: up, deploymentById: () => dep('b', { maxRetries: 1, fallbackDeploymentId: 'a' }), backoffMs: 1 });
    await expect(router.complete(call, dep('a', { fallbackDeploymentId: 'b' }), signal)).rejects.toMatchObject({ code: 'QD_UPSTREAM_ERROR' });
    expect(up.calls).toEqual(['a', 'b', 'b']);
  });

  it('never retries a stream after its first chunk reached the client', async () => {
    const up = scripted({ a: ['chunk-then-fail'] });
    const router = new UpstreamRouter({ local: up, http: up, deploymentById: () => undefined, backoffMs: 1 });
    const chunks: unknown[] = [];
    await expect(router.stream(call, dep('a'), (c) => void chunks.push(c), () => {}, signal)).rejects.toMatchObject({ code: 'QD_UPSTREAM_ERROR' });
    expect(up.calls).toEqual(['a']);
    expect(chunks).toHaveLength(1);
  });

  it('skips an unhealthy deployment for its fallback, and refuses at once when none is healthy', async () => {
    const b = dep('b');
    const sick = { state: 'unhealthy' as const, checkedAtMs: Date.parse('2026-12-03T06:00:00Z'), error: 'cannot reach x: ECONNREFUSED' };
    const up = scripted({ a: ['ok'], b: ['ok'] });
    const healthOf = (d: GatewayDeployment) => (d.id === 'a' || d.id === 'c' ? sick : { state: 'healthy' as const, checkedAtMs: 0, error: null });
    const router = new UpstreamRouter({ local: up, http: up, deploymentById: (id) => (id === 'b' ? b : undefined), healthOf });
    expect((await router.complete(call, dep('a', { fallbackDeploymentId: 'b' }), signal)).deployment.id).toBe('b');
    expect(up.calls).toEqual(['b']);
    const refused = await router.complete(call, dep('c'), signal).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'QD_UPSTREAM_UNHEALTHY', headers: { 'x-should-retry': 'false' } });
    expect((refused as Error).message).toBe('the model "c" is unavailable: its upstream failed the last health check (checked 2026-12-03T06:00:00.000Z): cannot reach x: ECONNREFUSED');
    expect(up.calls).toEqual(['b']);
  });

  it('reports a deployment it could not connect to after its retries', async () => {
    const up = scripted({ a: [new UpstreamFailure('cannot reach the upstream: ECONNREFUSED', 'connection', true), new UpstreamFailure('cannot reach the upstream: ECONNREFUSED', 'connection', true)] });
    const unreachable: string[] = [];
    const router = new UpstreamRouter({ local: up, http: up, deploymentById: () => undefined, backoffMs: 1, onUnreachable: (d, m) => unreachable.push(`${d.id}: ${m}`) });
    await expect(router.complete(call, dep('a', { maxRetries: 1 }), signal)).rejects.toMatchObject({ code: 'QD_UPSTREAM_ERROR' });
    expect(unreachable).toEqual(['a: cannot reach the upstream: ECONNREFUSED']);
  });
});
