import http from 'node:http';
import https from 'node:https';
import type { GatewayDeployment } from '../types.js';
import type { UpstreamAgents } from './http-client.js';
import { providerOf } from './provider-registry.js';

/** What the gateway last learned about a deployment's upstream. */
export type HealthState = 'healthy' | 'unhealthy' | 'unknown';

/** A deployment's health: `unknown` until first checked (or after its target changed). */
export interface DeploymentHealth {
  readonly state: HealthState;
  /** When the last check (probe or failed request) happened, epoch ms; null = never. */
  readonly checkedAtMs: number | null;
  /** Why the last check failed; null when healthy or unknown. */
  readonly error: string | null;
}

/** Checks one deployment; resolves when it can serve, rejects with a message a person can act on. */
export type HealthProbe = (deployment: GatewayDeployment, timeoutMs: number) => Promise<void>;

/** Options of {@link HealthMonitor}. */
export interface HealthMonitorOptions {
  /** The deployments to check (the catalog's active ones). */
  readonly deployments: () => readonly GatewayDeployment[];
  readonly probe: HealthProbe;
  /** Which deployments are checked at all; the others stay `unknown` (and are served). Default: every one. */
  readonly checks?: (deployment: GatewayDeployment) => boolean;
  /** Time between two rounds of checks, ms; 0 = no background checks (every deployment stays `unknown`). */
  readonly intervalMs: number;
  /** Longest wait for one probe, ms. */
  readonly timeoutMs: number;
  readonly now?: () => number;
}

interface Entry extends DeploymentHealth {
  /** What the deployment pointed at when checked: a repointed deployment starts over as `unknown`. */
  readonly target: string;
}

const UNKNOWN: DeploymentHealth = Object.freeze({ state: 'unknown', checkedAtMs: null, error: null });

function targetOf(d: GatewayDeployment): string {
  return d.kind === 'local' ? `local ${d.modelVersionId ?? ''}` : `upstream ${d.provider} ${d.upstreamUrl ?? ''} ${d.apiVersion ?? ''}`;
}

/**
 * Background health checks of deployments: every `intervalMs` each active deployment is probed (cheaply:
 * an upstream's `GET /models` with a short timeout; a local model's checkpoint folder), all at once, so one
 * slow upstream never delays the others' verdicts. A request that cannot connect marks its deployment
 * unhealthy at once (passive check); only a probe marks it healthy again. The router skips unhealthy
 * deployments, so a client learns in microseconds, not after the connect timeout and every retry.
 */
export class HealthMonitor {
  private readonly entries = new Map<string, Entry>();
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  /** Deployments with a first probe in flight (see {@link HealthMonitor.of}). */
  private readonly probing = new Set<string>();
  private readonly now: () => number;

  constructor(private readonly options: HealthMonitorOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Checks every deployment now (in the background) and then every interval; no-op when the interval is 0. */
  start(): void {
    if (this.options.intervalMs <= 0 || this.timer) return;
    void this.checkAll();
    this.timer = setInterval(() => void this.checkAll(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops the checks and waits for a round in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.round;
  }

  /**
   * The health of a deployment as last checked. A deployment never checked at its current target (new, or
   * repointed) is `unknown` and gets a probe now, in the background, rather than at the next round.
   */
  of(deployment: GatewayDeployment): DeploymentHealth {
    if (this.options.checks && !this.options.checks(deployment)) return UNKNOWN;
    const e = this.entries.get(deployment.id);
    if (!e || e.target !== targetOf(deployment)) {
      if (this.timer && !this.probing.has(deployment.id)) {
        this.probing.add(deployment.id);
        void this.check(deployment).finally(() => this.probing.delete(deployment.id));
      }
      return UNKNOWN;
    }
    return { state: e.state, checkedAtMs: e.checkedAtMs, error: e.error };
  }

  /** Probes every deployment once, concurrently; a round already running is joined, not doubled. */
  checkAll(): Promise<void> {
    this.round ??= (async () => {
      try {
        const deployments = this.options.deployments().filter((d) => !this.options.checks || this.options.checks(d));
        await Promise.all(deployments.map((d) => this.check(d)));
        const live = new Set(deployments.map((d) => d.id));
        for (const id of this.entries.keys()) if (!live.has(id)) this.entries.delete(id);
      } finally {
        this.round = undefined;
      }
    })();
    return this.round;
  }

  /** Probes one deployment and records the verdict. */
  async check(deployment: GatewayDeployment): Promise<DeploymentHealth> {
    const target = targetOf(deployment);
    try {
      await this.options.probe(deployment, this.options.timeoutMs);
      this.entries.set(deployment.id, { state: 'healthy', checkedAtMs: this.now(), error: null, target });
    } catch (err) {
      this.record(deployment, (err as Error).message, target);
    }
    return this.of(deployment);
  }

  /** A request could not reach the deployment: unhealthy until a probe says otherwise. */
  reportUnreachable(deployment: GatewayDeployment, message: string): void {
    this.record(deployment, message, targetOf(deployment));
  }

  private record(deployment: GatewayDeployment, message: string, target: string): void {
    this.entries.set(deployment.id, { state: 'unhealthy', checkedAtMs: this.now(), error: message, target });
  }
}

/**
 * Probes an upstream with a GET of its provider's model list (`<upstream_url>/models` for OpenAI-compatible
 * servers, `/v1/models` for Anthropic, `/v1beta/models` for Gemini, `/openai/models` for Azure), with the
 * deployment's key: every provider has one, and it costs no generation. Any HTTP answer below 500 means the server is up, except 401/403: then every request
 * would be refused too (a wrong `upstream_key_env`).
 */
export function httpHealthProbe(agents: UpstreamAgents): HealthProbe {
  return (d, timeoutMs) =>
    new Promise<void>((resolve, reject) => {
      if (!d.upstreamUrl) return reject(new Error('the deployment has no upstream_url'));
      const provider = providerOf(d);
      const url = new URL(provider.healthUrl(d));
      const isHttps = url.protocol === 'https:';
      const req = (isHttps ? https : http).request(url, {
        method: 'GET',
        agent: isHttps ? agents.https : agents.http,
        headers: { accept: 'application/json', ...provider.headers(d) },
        timeout: timeoutMs,
      });
      req.on('timeout', () => req.destroy(new Error(`no answer from ${url.host} within ${timeoutMs} ms`)));
      req.on('error', (err) => {
        const code = (err as NodeJS.ErrnoException).code;
        reject(new Error(code ? `cannot reach ${url.host}: ${code}` : err.message));
      });
      req.on('response', (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        if (status === 401 || status === 403) reject(new Error(`${url.host} refused the upstream key (${status}); check upstream_key_env`));
        else if (status >= 500) reject(new Error(`${url.host} answered ${status}`));
        else resolve();
      });
      req.end();
    });
}
