import { QudaoError } from '../../errors/index.js';
import type { GatewayDeployment } from '../types.js';
import { postJson, readBody, type UpstreamAgents, type UpstreamResponse } from './http-client.js';
import { providerOf } from './provider-registry.js';
import type { StreamDecoder, UpstreamProvider } from './providers.js';
import { SseParser } from '../openai/sse.js';
import { callTimeoutMs, UpstreamFailure, type ChunkSink, type CompletionResult, type EmbeddingCall, type EmbeddingResult, type GenerationCall, type StreamResult, type Upstream } from './types.js';

/** Options of {@link HttpUpstream}. */
export interface HttpUpstreamOptions {
  readonly agents: UpstreamAgents;
  /** Counts tokens of text for upstreams that send no usage (the GPT-2 vocabulary by default). */
  readonly countText: (text: string) => number;
}

/** Turns a non-2xx upstream answer into the provider's failure (its message; 5xx and 429 are worth retrying). */
async function failureOfStatus(provider: UpstreamProvider, upstream: UpstreamResponse): Promise<UpstreamFailure> {
  const status = upstream.response.statusCode ?? 0;
  let text = '';
  try {
    text = await readBody(upstream);
  } catch {
    /* the body is only for the message */
  } finally {
    upstream.done();
  }
  return provider.failureOf(status, text);
}

/** A whole answer's JSON body; a non-2xx answer is the provider's failure, a body that is no JSON a protocol one. */
async function jsonAnswer(provider: UpstreamProvider, upstream: UpstreamResponse): Promise<unknown> {
  if ((upstream.response.statusCode ?? 0) >= 300) throw await failureOfStatus(provider, upstream);
  try {
    return JSON.parse(await readBody(upstream)) as unknown;
  } catch (err) {
    throw err instanceof UpstreamFailure ? err : new UpstreamFailure('the upstream sent invalid JSON', 'protocol', true);
  } finally {
    upstream.done();
  }
}

/**
 * Calls an HTTP upstream for a deployment, in the wire format of the deployment's provider (OpenAI-compatible
 * servers, Anthropic, Gemini, Azure OpenAI; see providers.ts): the provider translates, this class does the
 * exchange, the stream's backpressure and its end.
 */
export class HttpUpstream implements Upstream {
  /** Parsed endpoint URLs by provider, deployment target and endpoint (parsing a URL costs more than the lookup). */
  private readonly urls = new Map<string, URL>();

  constructor(private readonly options: HttpUpstreamOptions) {}

  async complete(call: GenerationCall, deployment: GatewayDeployment, signal: AbortSignal): Promise<CompletionResult> {
    const provider = providerOf(deployment);
    const upstream = await this.post(provider, call, deployment, false, signal);
    return provider.parseAnswer(await jsonAnswer(provider, upstream), call.endpoint);
  }

  async stream(call: GenerationCall, deployment: GatewayDeployment, onChunk: ChunkSink, signal: AbortSignal): Promise<StreamResult> {
    const provider = providerOf(deployment);
    const upstream = await this.post(provider, call, deployment, true, signal);
    if ((upstream.response.statusCode ?? 0) >= 300) throw await failureOfStatus(provider, upstream);
    const { response } = upstream;
    const decode: StreamDecoder = provider.streamDecoder(call.endpoint);
    let usage: StreamResult['usage'];
    let sawDone = false;
    return new Promise<StreamResult>((resolve, reject) => {
      const deliver = (data: string): Promise<void> | void => {
        if (settled) return;
        let step;
        try {
          step = decode(data);
        } catch (err) {
          // The provider's error event: the stream is over, with its failure.
          response.destroy();
          return finish(err instanceof UpstreamFailure ? err : new UpstreamFailure(`the upstream stream is unreadable: ${(err as Error).message}`, 'protocol', false));
        }
        if (step.done) sawDone = true;
        usage = step.usage ?? usage;
        if (step.choices.length > 0) return onChunk(step.choices, undefined);
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

  /** Sends an embeddings request in the provider's format (OpenAI's passed through; Gemini's translated) and reads its answer. */
  async embed(call: EmbeddingCall, deployment: GatewayDeployment, signal: AbortSignal): Promise<EmbeddingResult> {
    const provider = providerOf(deployment);
    const adapter = provider.embeddings;
    if (!adapter) throw new QudaoError('QD_UNSUPPORTED_PARAMETER', `the model "${deployment.name}" is served by a ${provider.name} upstream, which has no embeddings endpoint`, { param: 'model' });
    if (!deployment.upstreamUrl) throw new UpstreamFailure(`deployment ${deployment.name} has no upstream_url`, 'protocol', false);
    // Translated first: a field the provider cannot express is refused before anything is sent.
    const body = JSON.stringify(adapter.body(call, deployment.upstreamModel ?? deployment.name));
    const upstream = await postJson(this.options.agents, new URL(adapter.url(deployment)), provider.headers(deployment), body, callTimeoutMs(call, deployment), signal);
    return adapter.parse(await jsonAnswer(provider, upstream));
  }

  private post(provider: UpstreamProvider, call: GenerationCall, deployment: GatewayDeployment, stream: boolean, signal: AbortSignal): Promise<UpstreamResponse> {
    if (!deployment.upstreamUrl) throw new UpstreamFailure(`deployment ${deployment.name} has no upstream_url`, 'protocol', false);
    // Translated first: a field the provider cannot express is refused before anything is sent.
    const body = JSON.stringify(provider.requestBody(call, deployment.upstreamModel ?? deployment.name, stream));
    const cacheKey = `${provider.name} ${call.endpoint} ${stream} ${deployment.upstreamUrl} ${deployment.upstreamModel ?? deployment.name} ${deployment.apiVersion ?? ''}`;
    let url = this.urls.get(cacheKey);
    if (!url) {
      url = new URL(provider.url(deployment, call.endpoint, stream));
      if (this.urls.size > 10_000) this.urls.clear();
      this.urls.set(cacheKey, url);
    }
    return postJson(this.options.agents, url, provider.headers(deployment), body, callTimeoutMs(call, deployment), signal);
  }
}
