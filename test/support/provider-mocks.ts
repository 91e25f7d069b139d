import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * In-repo stand-ins for the providers Qudao translates to, each speaking its documented wire format:
 *
 * - `anthropic`: `POST /v1/messages` (`x-api-key`, `anthropic-version`), answers `{type:'message', content,
 *   stop_reason, usage}`, streams typed events (`message_start` … `message_stop`), errors
 *   `{type:'error', error:{type, message}}` (529 `overloaded_error`, 429 `rate_limit_error`…).
 * - `gemini`: `POST /v1beta/models/{model}:generateContent` and `:streamGenerateContent?alt=sse`
 *   (`x-goog-api-key`), answers `{candidates, usageMetadata}`, errors `{error:{code, message, status}}`.
 * - `azure-openai`: `POST /openai/deployments/{deployment}/chat/completions?api-version=…` (`api-key`),
 *   and `/completions` (whole answers only), OpenAI's bodies and errors.
 *
 * Deterministic: an answer is `max_tokens` words (`w0 w1 …`, default 5); the provider's "tokenizer" counts a
 * prompt as its number of words plus 3, so a test can tell the provider's usage from the gateway's own
 * count. An Anthropic stop sequence `wK` ends the answer before word K (`stop_reason: stop_sequence`). The model name picks a failure: `fail-*` 500, `busy-*` 529 (Anthropic) or 503, `limited-*` 429,
 * `bad-*` 400, `cut-*` drops a stream after two words, `broken-*` sends an error event mid-stream
 * (Anthropic). `failFirst` fails the first N calls with 500. `replay` answers every call with a recorded
 * exchange (test/fixtures/providers/*.json) instead.
 */
export type MockProvider = 'anthropic' | 'gemini' | 'azure-openai';

/** A recorded exchange: what the gateway should send, and what the provider answered. */
export interface ProviderFixture {
  readonly provider: MockProvider;
  readonly inbound: { readonly path: string; readonly body: Record<string, unknown> };
  readonly upstream: { readonly path: string; readonly headers: Record<string, string>; readonly body: Record<string, unknown> };
  readonly response: { readonly status: number; readonly body: unknown };
  readonly stream: { readonly path: string; readonly body: Record<string, unknown>; readonly events: readonly { readonly event?: string; readonly data: unknown }[] };
  readonly expected: { readonly whole: Record<string, unknown>; readonly streamText: string; readonly usage: { readonly prompt_tokens: number; readonly completion_tokens: number } };
}

/** One request the mock received. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Record<string, unknown> | undefined;
}

/** Options of {@link startProviderMock}. */
export interface ProviderMockOptions {
  readonly failFirst?: number;
  readonly replay?: ProviderFixture;
  /** Delay between streamed events, ms. */
  readonly chunkDelayMs?: number;
}

/** A running provider mock. */
export interface ProviderMock {
  /** The base URL a deployment's `upstreamUrl` holds. */
  readonly url: string;
  /** Every generation request received (health checks are not recorded). */
  readonly received: ReceivedRequest[];
  /** Generation requests answered with a failure. */
  readonly failed: () => number;
  close(): Promise<void>;
}

/** Prompt tokens as the mock provider counts them: words of every text, plus 3. */
export function mockPromptTokens(texts: readonly string[]): number {
  return texts.join(' ').split(/\s+/).filter(Boolean).length + 3;
}

function words(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${i === 0 ? '' : ' '}w${i}`);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Each provider's error body for a status. */
function errorBody(provider: MockProvider, status: number, message: string): unknown {
  if (provider === 'anthropic') {
    const type = status === 529 ? 'overloaded_error' : status === 429 ? 'rate_limit_error' : status === 400 ? 'invalid_request_error' : status === 401 ? 'authentication_error' : 'api_error';
    return { type: 'error', error: { type, message } };
  }
  if (provider === 'gemini') {
    const s = status === 429 ? 'RESOURCE_EXHAUSTED' : status === 503 ? 'UNAVAILABLE' : status === 400 ? 'INVALID_ARGUMENT' : 'INTERNAL';
    return { error: { code: status, message, status: s } };
  }
  return { error: { message, type: status === 400 ? 'invalid_request_error' : 'server_error', param: null, code: null } };
}

interface Parsed {
  /** Azure's text completion endpoint (`/completions`) rather than chat. */
  text?: boolean;
  model: string;
  stream: boolean;
  maxTokens: number;
  texts: string[];
}

/** The model, stream flag, token budget and prompt texts of a request, read in the provider's own format. */
function parseRequest(provider: MockProvider, path: string, body: Record<string, unknown>): Parsed | undefined {
  if (provider === 'anthropic') {
    if (path !== '/v1/messages') return undefined;
    const texts: string[] = [];
    const system = body.system;
    if (typeof system === 'string') texts.push(system);
    for (const m of (body.messages ?? []) as { content: string | { text?: string }[] }[]) {
      if (typeof m.content === 'string') texts.push(m.content);
      else for (const b of m.content) texts.push(b.text ?? '');
    }
    return { model: String(body.model), stream: body.stream === true, maxTokens: Number(body.max_tokens ?? 5), texts };
  }
  if (provider === 'gemini') {
    const m = /^\/v1beta\/models\/([^:]+):(generateContent|streamGenerateContent\?alt=sse)$/.exec(path);
    if (!m) return undefined;
    const texts: string[] = [];
    const sys = body.systemInstruction as { parts?: { text?: string }[] } | undefined;
    for (const p of sys?.parts ?? []) texts.push(p.text ?? '');
    for (const c of (body.contents ?? []) as { parts: { text?: string }[] }[]) for (const p of c.parts) texts.push(p.text ?? '');
    const config = (body.generationConfig ?? {}) as { maxOutputTokens?: number };
    return { model: decodeURIComponent(m[1]!), stream: m[2] !== 'generateContent', maxTokens: config.maxOutputTokens ?? 5, texts };
  }
  const m = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|completions)\?api-version=[\w.-]+$/.exec(path);
  if (!m) return undefined;
  const texts = m[2] === 'completions' ? [String(body.prompt)] : ((body.messages ?? []) as { content: string }[]).map((x) => (typeof x.content === 'string' ? x.content : ''));
  return { model: decodeURIComponent(m[1]!), stream: body.stream === true, maxTokens: Number(body.max_tokens ?? 5), texts, text: m[2] === 'completions' };
}

/** A text's mock embedding: three numbers from its length and characters, cut to `dimensions`. */
export function mockEmbedding(text: string, dimensions?: number): number[] {
  let sum = 0;
  for (const ch of text) sum += ch.codePointAt(0)!;
  return [text.length, sum % 97, 0.5].slice(0, dimensions ?? 3);
}

/** The answer of an embeddings request (Gemini's batchEmbedContents, Azure's deployment embeddings), else undefined. */
function embeddingsAnswer(provider: MockProvider, path: string, body: Record<string, unknown>): unknown {
  if (provider === 'gemini' && /^\/v1beta\/models\/[^:]+:batchEmbedContents$/.test(path)) {
    const requests = (body.requests ?? []) as { content: { parts: { text: string }[] }; outputDimensionality?: number }[];
    return { embeddings: requests.map((r) => ({ values: mockEmbedding(r.content.parts.map((p) => p.text).join(''), r.outputDimensionality) })) };
  }
  if (provider === 'azure-openai' && /^\/openai\/deployments\/[^/]+\/embeddings\?api-version=[\w.-]+$/.test(path)) {
    const inputs = (typeof body.input === 'string' ? [body.input] : body.input) as string[];
    return { object: 'list', data: inputs.map((t, index) => ({ object: 'embedding', index, embedding: mockEmbedding(t) })), model: 'azure', usage: { prompt_tokens: inputs.length * 2, total_tokens: inputs.length * 2 } };
  }
  return undefined;
}

/** Starts a mock of `provider` on 127.0.0.1 (a free port). */
export async function startProviderMock(provider: MockProvider, options: ProviderMockOptions = {}): Promise<ProviderMock> {
  const received: ReceivedRequest[] = [];
  let failuresLeft = options.failFirst ?? 0;
  let failed = 0;
  const server = http.createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => send(res, 500, errorBody(provider, 500, `mock crashed: ${(err as Error).message}`)));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '';
    const text = await readBody(req);
    // Health checks: each provider's model list.
    if (req.method === 'GET') return send(res, 200, provider === 'gemini' ? { models: [] } : { data: [] });
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    received.push({ method: req.method ?? '', path, headers: req.headers, body });
    if (options.replay) return replay(res, options.replay, body);
    const embedded = body && embeddingsAnswer(provider, path, body);
    if (embedded) return send(res, 200, embedded);
    const parsed = body && parseRequest(provider, path, body);
    if (!parsed) return send(res, 404, errorBody(provider, 404, `no route ${req.method} ${path}`));
    const fail = (status: number, message: string) => {
      failed++;
      send(res, status, errorBody(provider, status, message));
    };
    if (failuresLeft > 0) {
      failuresLeft--;
      return fail(500, 'mock failure');
    }
    const { model } = parsed;
    if (model.startsWith('fail')) return fail(500, 'mock failure');
    if (model.startsWith('busy')) return fail(provider === 'anthropic' ? 529 : 503, 'mock overloaded');
    if (model.startsWith('limited')) return fail(429, 'mock rate limit');
    if (model.startsWith('bad')) return fail(400, 'mock refuses this request');
    let out = words(parsed.maxTokens);
    // Anthropic says which stop sequence ended an answer: a stop sequence `wK` ends it before word K.
    const stops = provider === 'anthropic' && Array.isArray(body.stop_sequences) ? (body.stop_sequences as string[]) : [];
    const stopAt = out.findIndex((w) => stops.includes(w.trim()));
    const stop = stopAt < 0 ? { stop_reason: 'max_tokens', stop_sequence: null } : { stop_reason: 'stop_sequence', stop_sequence: out[stopAt]!.trim() };
    if (stopAt >= 0) out = out.slice(0, stopAt);
    const input = mockPromptTokens(parsed.texts);
    if (parsed.stream) return stream(res, parsed, out, input, stop);
    const answer = out.join('');
    if (provider === 'anthropic') {
      return send(res, 200, { id: 'msg_mock', type: 'message', role: 'assistant', model, content: [{ type: 'text', text: answer }], ...stop, usage: { input_tokens: input, output_tokens: out.length } });
    }
    if (provider === 'gemini') {
      return send(res, 200, { candidates: [{ content: { parts: [{ text: answer }], role: 'model' }, finishReason: 'MAX_TOKENS', index: 0 }], usageMetadata: { promptTokenCount: input, candidatesTokenCount: out.length, totalTokenCount: input + out.length }, modelVersion: model });
    }
    if (parsed.text) return send(res, 200, { id: 'cmpl-mock', object: 'text_completion', created: 1, model, choices: [{ index: 0, text: answer, finish_reason: 'length', logprobs: null }], usage: { prompt_tokens: input, completion_tokens: out.length, total_tokens: input + out.length } });
    return send(res, 200, { id: 'chatcmpl-mock', object: 'chat.completion', created: 1, model, choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'length' }], usage: { prompt_tokens: input, completion_tokens: out.length, total_tokens: input + out.length } });
  }

  async function stream(res: ServerResponse, p: Parsed, out: string[], input: number, stop: { stop_reason: string; stop_sequence: string | null }): Promise<void> {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const event = (name: string | undefined, data: unknown) => res.write(`${name ? `event: ${name}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
    const cutAt = p.model.startsWith('cut') || p.model.startsWith('broken') ? 2 : -1;
    if (provider === 'anthropic') {
      event('message_start', { type: 'message_start', message: { id: 'msg_mock', type: 'message', role: 'assistant', content: [], model: p.model, stop_reason: null, stop_sequence: null, usage: { input_tokens: input, output_tokens: 1 } } });
      event('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
      event('ping', { type: 'ping' });
    }
    for (const [i, word] of out.entries()) {
      if (i === cutAt) {
        await sleep(50);
        if (p.model.startsWith('broken') && provider === 'anthropic') {
          event('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
          res.end();
        } else res.destroy();
        return;
      }
      if (provider === 'anthropic') event('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: word } });
      else if (provider === 'gemini') event(undefined, { candidates: [{ content: { parts: [{ text: word }], role: 'model' }, index: 0 }], usageMetadata: { promptTokenCount: input, totalTokenCount: input }, modelVersion: p.model });
      else event(undefined, { id: 'chatcmpl-mock', object: 'chat.completion.chunk', created: 1, model: p.model, choices: [{ index: 0, delta: i === 0 ? { role: 'assistant', content: word } : { content: word }, finish_reason: null }] });
      if (options.chunkDelayMs) await sleep(options.chunkDelayMs);
    }
    if (provider === 'anthropic') {
      event('content_block_stop', { type: 'content_block_stop', index: 0 });
      event('message_delta', { type: 'message_delta', delta: stop, usage: { output_tokens: out.length } });
      event('message_stop', { type: 'message_stop' });
      res.end();
    } else if (provider === 'gemini') {
      event(undefined, { candidates: [{ content: { parts: [{ text: '' }], role: 'model' }, finishReason: 'MAX_TOKENS', index: 0 }], usageMetadata: { promptTokenCount: input, candidatesTokenCount: out.length, totalTokenCount: input + out.length }, modelVersion: p.model });
      res.end();
    } else {
      event(undefined, { id: 'chatcmpl-mock', object: 'chat.completion.chunk', created: 1, model: p.model, choices: [{ index: 0, delta: {}, finish_reason: 'length' }] });
      event(undefined, { id: 'chatcmpl-mock', object: 'chat.completion.chunk', created: 1, model: p.model, choices: [], usage: { prompt_tokens: input, completion_tokens: out.length, total_tokens: input + out.length } });
      res.end('data: [DONE]\n\n');
    }
  }

  function replay(res: ServerResponse, f: ProviderFixture, body: Record<string, unknown> | undefined): void {
    const streamed = provider === 'gemini' ? (res.req.url ?? '').includes(':streamGenerateContent') : body?.stream === true;
    if (!streamed) return send(res, f.response.status, f.response.body);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const e of f.stream.events) res.write(`${e.event ? `event: ${e.event}\n` : ''}data: ${typeof e.data === 'string' ? e.data : JSON.stringify(e.data)}\n\n`);
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    failed: () => failed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
