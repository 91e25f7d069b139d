import { describe, expect, it } from 'vitest';
import type { GatewayDeployment } from '../types.js';
import { HealthMonitor } from './health.js';

const dep = (id: string, url: string): GatewayDeployment => ({
  id, name: id, kind: 'upstream', modelVersionId: null, upstreamUrl: url, upstreamModel: null, provider: 'openai-compatible', apiVersion: null, upstreamApiKey: null,
  fallbackDeploymentId: null, timeoutMs: 1000, maxRetries: 0, costInputPer1mMicros: 0, costOutputPer1mMicros: 0, ownerPartnerId: null, ownerCustomerId: null, createdAtMs: 0, requestLogEnabled: false,
});

describe('HealthMonitor', () => {
  it('probes every deployment, records failures with their message, and forgets a verdict when the target changes', async () => {
    const down = new Set(['http://down']);
    let deployments = [dep('a', 'http://up'), dep('b', 'http://down')];
    const monitor = new HealthMonitor({
      deployments: () => deployments,
      probe: async (d) => {
        if (down.has(d.upstreamUrl!)) throw new Error(`cannot reach ${d.upstreamUrl}: ECONNREFUSED`);
      },
      intervalMs: 60_000,
      timeoutMs: 100,
      now: () => 1_000,
    });
    expect(monitor.of(deployments[0]!).state).toBe('unknown');
    await monitor.checkAll();
    expect(monitor.of(deployments[0]!)).toEqual({ state: 'healthy', checkedAtMs: 1_000, error: null });
    expect(monitor.of(deployments[1]!)).toEqual({ state: 'unhealthy', checkedAtMs: 1_000, error: 'cannot reach http://down: ECONNREFUSED' });
    down.clear();
    await monitor.checkAll();
    expect(monitor.of(deployments[1]!).state).toBe('healthy');
    deployments = [dep('a', 'http://elsewhere')];
    expect(monitor.of(deployments[0]!).state).toBe('unknown');
  });

  it('checks a new deployment on first sight, not only at the next round', async () => {
    let probes = 0;
    const fresh = dep('new', 'http://down');
    const monitor = new HealthMonitor({ deployments: () => [], probe: async () => {
      probes++;
    }, intervalMs: 60_000, timeoutMs: 100 });
    monitor.start();
    try {
      expect(monitor.of(fresh).state).toBe('unknown');
      expect(monitor.of(fresh).state).toBe('unknown'); // one probe in flight, not two
      await new Promise((r) => setTimeout(r, 10));
      expect(probes).toBe(1);
      expect(monitor.of(fresh).state).toBe('healthy');
    } finally {
      await monitor.stop();
    }
  });

  it('leaves the deployments `checks` excludes unknown (served), in rounds and on first sight', async () => {
    const probed: string[] = [];
    const local = { ...dep('local', ''), kind: 'local' as const, upstreamUrl: null, modelVersionId: 'mv_fake' };
    const monitor = new HealthMonitor({ deployments: () => [dep('a', 'http://x'), local], probe: async (d) => {
      probed.push(d.id);
    }, checks: (d) => d.kind !== 'local', intervalMs: 60_000, timeoutMs: 100 });
    monitor.start();
    try {
      expect(monitor.of(local).state).toBe('unknown');
      await monitor.checkAll();
      expect(monitor.of(local).state).toBe('unknown');
      expect(monitor.of(dep('a', 'http://x')).state).toBe('healthy');
      expect(probed.filter((id) => id === 'local')).toEqual([]);
    } finally {
      await monitor.stop();
    }
  });

  it('with checks off, leaves every deployment unknown and probes nothing', async () => {
    let probes = 0;
    const monitor = new HealthMonitor({ deployments: () => [dep('a', 'http://x')], probe: async () => {
      probes++;
    }, intervalMs: 0, timeoutMs: 100 });
    monitor.start();
    expect(monitor.of(dep('a', 'http://x')).state).toBe('unknown');
    await new Promise((r) => setTimeout(r, 10));
    expect(probes).toBe(0);
  });
});
