import { QudaoError } from '../../errors/index.js';
import type { GatewayDeployment } from '../types.js';
import type { DeploymentHealth } from './health.js';
import { UpstreamFailure, type ChunkSink, type CompletionResult, type EmbeddingCall, type EmbeddingResult, type GenerationCall, type StreamResult, type Upstream } from './types.js';

/** Options of {@link UpstreamRouter}. */
export interface UpstreamRouterOptions {
  readonly local: Upstream;
  readonly http: Upstream;
  /** Finds a fallback deployment by id (from the catalog). */
  readonly deploymentById: (id: string) => GatewayDeployment | undefined;
  /** First retry delay, ms; doubles per retry, with jitter. */
  readonly backoffMs?: number;
  /** Longest fallback chain followed. */
  readonly maxFallbacks?: number;
  /** The last health check of a deployment (background probes); absent = every deployment is tried. */
  readonly healthOf?: (d: GatewayDeployment) => DeploymentHealth;
  /** Told when a deployment could not be reached after its retries (it is then unhealthy until probed). */
  readonly onUnreachable?: (d: GatewayDeployment, message: string) => void;
}

/** The outcome of a routed call: which deployment answered, and its answer. */
export interface Routed<T> {
  readonly deployment: GatewayDeployment;
  readonly result: T;
}

/**
 * Sends a call to a deployment's upstream with retries (exponential backoff with jitter on connection
 * errors, 5xx and 429) and then to its fallback deployment, and so on down the chain. A streamed call is
 * only retried while nothing has been sent to the client; after the first chunk a failure is final.
 * A deployment whose last health check failed is skipped (its fallback is tried); when no deployment of the
 * chain is healthy the call fails at once with QD_UPSTREAM_UNHEALTHY instead of waiting for a connect
 * timeout and every retry.
 */
export class UpstreamRouter {
  private readonly backoffMs: number;
  private readonly maxFallbacks: number;

  constructor(private readonly options: UpstreamRouterOptions) {
    this.backoffMs = options.backoffMs ?? 50;
    this.maxFallbacks = options.maxFallbacks ?? 3;
  }

  /** The upstream that serves a deployment. */
  upstreamOf(deployment: GatewayDeployment): Upstream {
    return deployment.kind === 'local' ? this.options.local : this.options.http;
  }

  complete(call: GenerationCall, deployment: GatewayDeployment, signal: AbortSignal): Promise<Routed<CompletionResult>> {
    return this.route(deployment, signal, () => false, (d) => this.upstreamOf(d).complete(call, d, signal));
  }

  /** Embeds through the deployment (retries and fallbacks as for completions). */
  embed(call: EmbeddingCall, deployment: GatewayDeployment, signal: AbortSignal): Promise<Routed<EmbeddingResult>> {
    return this.route(deployment, signal, () => false, (d) => {
      const upstream = this.upstreamOf(d);
      if (!upstream.embed) throw new QudaoError('QD_UNSUPPORTED_PARAMETER', `the model "${d.name}" does not serve embeddings`, { param: 'model' });
      return upstream.embed(call, d, signal);
    });
  }

  stream(call: GenerationCall, deployment: GatewayDeployment, onChunk: ChunkSink, onServing: (d: GatewayDeployment) => void, signal: AbortSignal): Promise<Routed<StreamResult>> {
    let delivered = false;
    const sink: ChunkSink = (choices, tokens) => {
      delivered = true;
      return onChunk(choices, tokens);
    };
    return this.route(deployment, signal, () => delivered, (d) => {
      onServing(d);
      return this.upstreamOf(d).stream(call, d, sink, signal);
    });
  }

  private async route<T>(first: GatewayDeployment, signal: AbortSignal, committed: () => boolean, attempt: (d: GatewayDeployment) => Promise<T>): Promise<Routed<T>> {
    let deployment: GatewayDeployment | undefined = first;
    let lastFailure: UpstreamFailure | undefined;
    const seen = new Set<string>();
    let skipped: { deployment: GatewayDeployment; health: DeploymentHealth } | undefined;
    for (let hop = 0; deployment && hop <= this.maxFallbacks && !seen.has(deployment.id); hop++) {
      seen.add(deployment.id);
      const health = this.options.healthOf?.(deployment);
      if (health?.state === 'unhealthy') {
        skipped ??= { deployment, health };
        deployment = deployment.fallbackDeploymentId ? this.options.deploymentById(deployment.fallbackDeploymentId) : undefined;
        continue;
      }
      for (let retry = 0; retry <= deployment.maxRetries; retry++) {
        try {
          return { deployment, result: await attempt(deployment) };
        } catch (err) {
          if (!(err instanceof UpstreamFailure)) throw err;
          lastFailure = err;
          if (signal.aborted || committed()) throw toClientError(err);
          if (isClientsFault(err)) throw toClientError(err);
          if (!err.retryable || retry === deployment.maxRetries) {
            if (err.kind === 'connection') this.options.onUnreachable?.(deployment, err.message);
            break;
          }
          await sleep(this.backoffMs * 2 ** retry * (0.5 + Math.random() / 2), signal);
        }
      }
      deployment = deployment.fallbackDeploymentId ? this.options.deploymentById(deployment.fallbackDeploymentId) : undefined;
    }
    if (!lastFailure && skipped) throw unhealthyError(skipped.deployment, skipped.health);
    throw toClientError(lastFailure ?? new UpstreamFailure('no upstream could serve the request', 'connection', false));
  }
}

/**
 * The error for a model whose every deployment failed its last health check. `x-should-retry: false` tells
 * the OpenAI SDKs not to retry (they otherwise retry a 503 twice, and each try would be one more ledger row
 * of a request that cannot succeed until the next health check passes).
 */
export function unhealthyError(d: GatewayDeployment, h: DeploymentHealth): QudaoError {
  const when = h.checkedAtMs === null ? '' : ` (checked ${new Date(h.checkedAtMs).toISOString()})`;
  return new QudaoError('QD_UPSTREAM_UNHEALTHY', `the model "${d.name}" is unavailable: its upstream failed the last health check${when}: ${h.error ?? 'unreachable'}`, { headers: { 'x-should-retry': 'false' } });
}

/**
 * The catalogued error a client sees for an upstream failure: with the upstream's own error text, which the
 * server's log leaves out (`logMessage`; it may quote the prompt), and without the failure as `cause`, whose
 * serialisation would carry that text into the log too.
 */
export function toClientError(f: UpstreamFailure): QudaoError {
  const error = (code: 'QD_UPSTREAM_TIMEOUT' | 'QD_INVALID_REQUEST' | 'QD_UPSTREAM_ERROR', message: string) =>
    f.detail === undefined
      ? new QudaoError(code, message, { cause: f })
      : new QudaoError(code, `${message}: ${f.detail}`, { logMessage: `${message} (the upstream's error text is left out of the log: it may quote the request)` });
  if (f.kind === 'timeout') return error('QD_UPSTREAM_TIMEOUT', `the model upstream ${f.message}`);
  if (isClientsFault(f)) return error('QD_INVALID_REQUEST', `the model upstream refused the request: ${f.message}`);
  return error('QD_UPSTREAM_ERROR', `the model upstream failed: ${f.message}`);
}

/** An upstream 400/422 means the request itself is wrong: no retry, no fallback, tell the client. */
function isClientsFault(f: UpstreamFailure): boolean {
  return f.kind === 'rejected' && (f.upstreamStatus === 400 || f.upstreamStatus === 422);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
