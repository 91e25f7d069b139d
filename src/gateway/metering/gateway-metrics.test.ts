import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { GatewayMetrics } from './gateway-metrics.js';
import type { UsageRow } from './usage-row.js';

const row = (model: string, status: string, prompt: number, completion: number): UsageRow => ({ requestId: 'r', model, endpoint: 'chat', status, httpStatus: 200, promptTokens: prompt, completionTokens: completion });

describe('GatewayMetrics', () => {
  it('publishes exactly the counted requests and tokens per label set at each scrape, and keeps counting after it', async () => {
    const registry = new Registry();
    const metrics = new GatewayMetrics();
    metrics.metered(row('early', 'ok', 1, 1)); // before a registry is attached: not counted
    metrics.attach(registry);
    for (let i = 0; i < 40; i++) metrics.metered(row(`m${i % 20}`, 'ok', 3, 5)); // 20 label sets: the slots grow past 16
    metrics.metered(row('m0', 'error', 2, 0));
    const first = await registry.metrics();
    expect(first).toContain('qudao_gateway_requests_total{model="m0",endpoint="chat",status="ok"} 2');
    expect(first).toContain('qudao_gateway_requests_total{model="m19",endpoint="chat",status="ok"} 2');
    expect(first).toContain('qudao_gateway_requests_total{model="m0",endpoint="chat",status="error"} 1');
    expect(first).toContain('qudao_gateway_tokens_total{model="m0",kind="prompt"} 8');
    expect(first).toContain('qudao_gateway_tokens_total{model="m0",kind="completion"} 10');
    expect(first).not.toContain('early');
    metrics.metered(row('m0', 'ok', 3, 5));
    const second = await registry.metrics();
    expect(second).toContain('qudao_gateway_requests_total{model="m0",endpoint="chat",status="ok"} 3');
    expect(second).toContain('qudao_gateway_tokens_total{model="m0",kind="prompt"} 11');
  });
});
