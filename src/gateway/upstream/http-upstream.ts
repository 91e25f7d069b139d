import type { GatewayDeployment } from '../types.js';
import { postJson, readBody, type UpstreamAgents, type UpstreamResponse } from './http-client.js';
import { openAICompatible, type UpstreamProvider } from './providers.js';
import { SseParser } from '../openai/sse.js';
import { UpstreamFailure, type ChunkSink, type Choice, type CompletionResult, type GenerationCall, type StreamResult, type Upstream } from './types.js';

/** Options of {@link HttpUpstream}. */
export interface HttpUpstreamOptions {
  readonly agents: UpstreamAgents;
  /** Counts tokens of text for upstreams that send no usage (the GPT-2 vocabulary by default). */
  readonly countText: (text: string) => number;
  readonly provider?: UpstreamProvider;
}

/** Turns a non-2xx upstream answer into a failure: 5xx and 429 are worth retrying, other 4xx are not. */
async function failureOfStatus(upstream: UpstreamResponse): Promise<UpstreamFailure> {
  const status = upstream.response.statusCode ?? 0;
  let detail = '';
  try {
    const text = await readBody(upstream);
    detail = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text.slice(0, 200);
  } catch {
    /* the body is only for the message */
  } finally {
    upstream.done();
  }
  const retryable = status >= 500 || status === 429;
  return new UpstreamFailure(`upstream answered ${status}${detail ? `: ${detail}` : ''}`, retryable ? 'status' : 'rejected', retryable, status);
}

/** Calls an OpenAI-compatible HTTP server (vLLM, llama.cpp, Ollama, OpenAI) for a deployment. */
export class HttpUpstream implements Upstream {
  private readonly provider: UpstreamProvider;
  /** Parsed endpoint URLs by deployment URL and endpoint (parsing a URL costs more than the lookup). */
  private readonly urls = new Map<string, URL>();

  constructor(private readonly options: HttpUpstreamOptions) {
    this.provider = options.provider ?? openAICompatible;
  }

  async complete(call: GenerationCall, deployment: GatewayDeployment, signal: AbortSignal): Promise<CompletionResult> {
    const upstream = await this.post(call, deployment, false, signal);
    if ((upstream.response.statusCode ?? 0) >= 300) throw await failureOfStatus(upstream);
    let parsed: { choices?: unknown };
    try {
      parsed = JSON.parse(await readBody(upstream)) as { choices?: unknown };
    } catch (err) {
      throw err instanceof UpstreamFailure ? err : new UpstreamFailure('the upstream sent invalid JSON', 'protocol', true);
    } finally {
      upstream.done();
    }
    if (!Array.isArray(parsed.choices)) throw new UpstreamFailure('the upstream answer has no choices', 'protocol', true);
    return { choices: parsed.choices as Choice[], usage: this.provider.usageOf(parsed) };
  }

  async stream(call: GenerationCall, deployment: GatewayDeployment, onChunk: ChunkSink, signal: AbortSignal): Promise<StreamResult> {
    const upstream = await this.post(call, deployment, true, signal);
    if ((upstream.response.statusCode ?? 0) >= 300) throw await failureOfStatus(upstream);
    const { response } = upstream;
    let usage: StreamResult['usage'];
    let sawDone = false;
    return new Promise<StreamResult>((resolve, reject) => {
      const deliver = (data: string): Promise<void> | void => {
        if (data === '[DONE]') {
          sawDone = true;
          return;
        }
        let chunk: { choices?: unknown };
        try {
          chunk = JSON.parse(data) as { choices?: unknown };
        } catch {
          return;
        }
        usage = this.provider.usageOf(chunk) ?? usage;
        if (Array.isArray(chunk.choices) && chunk.choices.length > 0) return onChunk(chunk.choices as Choice[], undefined);
      };
      // Backpressure: while the client is not draining, the body is not read (TCP pushes back on the
      // upstream), and events already parsed from the last read wait in `backlog` — at most one read's worth.
      const backlog: string[] = [];
      let paused = false;
      let pendingEnd: (() => void) | null = null;
      const pauseUntil = (hold: Promise<void>) => {
        paused = true;
        response.pause();
        upstream.hold(true);
        void hold.then(resumeDelivery);
      };
      const resumeDelivery = () => {
        paused = false;
        while (backlog.length > 0) {
          const hold = deliver(backlog.shift()!);
          if (hold) return pauseUntil(hold);
        }
        upstream.hold(false);
        if (pendingEnd) pendingEnd();
        else response.resume();
      };
      const parser = new SseParser((data) => {
        if (paused) return void backlog.push(data);
        const hold = deliver(data);
        if (hold) pauseUntil(hold);
      });
      let settled = false;
      const finish = (err?: UpstreamFailure) => {
        if (settled) return;
        settled = true;
        upstream.done();
        if (err) reject(err);
        else resolve({ usage });
      };
      response.on('data', (b: Buffer) => {
        upstream.touch();
        parser.push(b);
      });
      response.on('end', () => {
        parser.end();
        const settle = () => {
          if (response.complete || sawDone) finish();
          else finish(upstream.failure() ?? new UpstreamFailure('the upstream stream was cut', 'connection', true));
        };
        // Events still waiting for the client go out before the stream counts as finished.
        if (paused) pendingEnd = settle;
        else settle();
      });
      response.on('close', () => {
        if (!response.complete && !sawDone) finish(upstream.failure() ?? new UpstreamFailure('the upstream stream was cut', 'connection', true));
      });
    });
  }

  countTokens(_deployment: GatewayDeployment, text: string): number {
    return text ? this.options.countText(text) : 0;
  }

  private post(call: GenerationCall, deployment: GatewayDeployment, stream: boolean, signal: AbortSignal): Promise<UpstreamResponse> {
    if (!deployment.upstreamUrl) throw new UpstreamFailure(`deployment ${deployment.name} has no upstream_url`, 'protocol', false);
    const cacheKey = `${call.endpoint} ${deployment.upstreamUrl}`;
    let url = this.urls.get(cacheKey);
    if (!url) {
      url = new URL(deployment.upstreamUrl.replace(/\/+$/, '') + this.provider.paths[call.endpoint]);
      if (this.urls.size > 10_000) this.urls.clear();
      this.urls.set(cacheKey, url);
    }
    const body = JSON.stringify(this.provider.requestBody(call, deployment.upstreamModel ?? deployment.name, stream));
    const headers = deployment.upstreamApiKey ? this.provider.authHeaders(deployment.upstreamApiKey) : {};
    return postJson(this.options.agents, url, headers, body, deployment.timeoutMs, signal);
  }
}
