import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promptTokenBound } from '../../src/gateway/index.js';

/**
 * A fast, deterministic OpenAI-compatible server for tests and the bench. The answer to a request is
 * `max_tokens` words (`w0 w1 …`, default 5), one "token" each, so every count is known in advance; usage
 * reports the gateway's own prompt bound as prompt tokens, so a reservation equals the actual usage.
 * Models named `fail-*` answer 500, `slow-*` wait `slowMs` before answering, `cut-*` streams two chunks
 * and then drops the connection, `echo-*` answers the last message's text (or the prompt) in chunks of
 * three characters (so a phrase spans chunks); `failFirst` makes the first
 * N requests fail with 500 (retry tests); `omitUsage` leaves usage out (the gateway must count).
 * `POST /embeddings` answers input i with the unit vector [cos i, sin i] (base64 when asked), one prompt
 * token per input string byte.
 */
export interface MockUpstreamOptions {
  port?: number;
  failFirst?: number;
  omitUsage?: boolean;
  slowMs?: number;
  /** Delay between streamed chunks, ms. */
  chunkDelayMs?: number;
  /**
   * Streams honour backpressure: when a write is not taken (the gateway stopped reading), the mock waits
   * for 'drain' before the next chunk, so `received.chunksWritten` shows how far the gateway let it get.
   */
  backpressure?: boolean;
  /** Streams send this many words per choice, then hold the connection open without ending it (crash tests). */
  hangAfter?: number;
  /** The answer's i-th word (default `w<i>`); the privacy tests put a canary in it. */
  word?: (i: number) => string;
  /** 500 answers quote the request's prompt in their error message, as some providers do. */
  echoPromptInErrors?: boolean;
}

/** A running mock upstream. */
export interface MockUpstream {
  readonly url: string;
  readonly port: number;
  /** Requests received, by path. */
  readonly received: { chat: number; completions: number; embeddings: number; failed: number; aborted: number; chunksWritten: number };
  /** The body of every request received, in order (what the gateway sent upstream). */
  readonly bodies: unknown[];
  close(): Promise<void>;
}

interface Body {
  model?: string;
  max_tokens?: number;
  n?: number;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  messages?: unknown[];
  prompt?: string | string[];
}

/** The text `echo-*` models answer: the last message's content (text parts joined), or the prompt. */
function echoText(body: Body): string {
  if (body.prompt !== undefined) return Array.isArray(body.prompt) ? (body.prompt[0] ?? '') : body.prompt;
  const last = body.messages?.[body.messages.length - 1] as { content?: unknown } | undefined;
  if (typeof last?.content === 'string') return last.content;
  if (Array.isArray(last?.content)) return last.content.map((p: { text?: unknown }) => (typeof p.text === 'string' ? p.text : '')).join('');
  return '';
}

/** A text cut into pieces of three characters. */
function pieces(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += 3) out.push(text.slice(i, i + 3));
  return out;
}

function words(n: number, word: (i: number) => string = (i) => `w${i}`): string[] {
  return Array.from({ length: n }, (_, i) => `${i === 0 ? '' : ' '}${word(i)}`);
}

function readJson(req: IncomingMessage): Promise<Body> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(parts).toString('utf8')) as Body);
      } catch (err) {
        reject(err);
      }
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Starts the mock on 127.0.0.1 (a free port unless one is given). */
export async function startMockUpstream(options: MockUpstreamOptions = {}): Promise<MockUpstream> {
  const received = { chat: 0, completions: 0, embeddings: 0, failed: 0, aborted: 0, chunksWritten: 0 };
  const bodies: unknown[] = [];
  let failuresLeft = options.failFirst ?? 0;
  const server = http.createServer((req, res) => {
    void handle(req, res).catch(() => send(res, 400, { error: { message: 'bad request', type: 'invalid_request_error' } }));
  });
  server.keepAliveTimeout = 60_000;

  async function embeddings(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = (await readJson(req)) as Body & { input?: unknown; encoding_format?: string };
    received.embeddings++;
    const model = body.model ?? '';
    if (model.startsWith('slow')) await new Promise((r) => setTimeout(r, options.slowMs ?? 200));
    const inputs = typeof body.input === 'string' ? [body.input] : Array.isArray(body.input) ? (body.input as unknown[]) : [];
    const data = inputs.map((_, index) => {
      const v = [Math.cos(index), Math.sin(index)];
      const bytes = Buffer.alloc(8);
      v.forEach((x, i) => bytes.writeFloatLE(x, i * 4));
      return { object: 'embedding', index, embedding: body.encoding_format === 'base64' ? bytes.toString('base64') : v };
    });
    const prompt = inputs.reduce<number>((sum, i) => sum + (typeof i === 'string' ? Buffer.byteLength(i) : 1), 0);
    send(res, 200, { object: 'list', data, model, ...(options.omitUsage ? {} : { usage: { prompt_tokens: prompt, total_tokens: prompt } }) });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'POST' && req.url === '/v1/embeddings') return embeddings(req, res);
    const chat = req.url === '/v1/chat/completions';
    if (req.method !== 'POST' || (!chat && req.url !== '/v1/completions')) return send(res, 404, { error: { message: 'not found' } });
    const body = await readJson(req);
    bodies.push(body);
    if (chat) received.chat++;
    else received.completions++;
    const model = body.model ?? '';
    if (model.startsWith('fail') || failuresLeft > 0) {
      failuresLeft = Math.max(0, failuresLeft - 1);
      received.failed++;
      const echo = options.echoPromptInErrors ? `: ${JSON.stringify(body.messages ?? body.prompt)}` : '';
      return send(res, 500, { error: { message: `mock failure${echo}`, type: 'server_error' } });
    }
    if (model.startsWith('slow')) await new Promise((r) => setTimeout(r, options.slowMs ?? 200));
    const n = body.n ?? 1;
    const perChoice = model.startsWith('echo') ? pieces(echoText(body)) : words(body.max_tokens ?? 5, options.word);
    const call = chat ? { endpoint: 'chat' as const, body: body as never, requestId: '' } : { endpoint: 'completions' as const, body: body as never, requestId: '' };
    const usage = { prompt_tokens: promptTokenBound(call), completion_tokens: perChoice.length * n, total_tokens: 0 };
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    if (body.stream) return stream(res, body, chat, n, perChoice, usage);
    const choices = Array.from({ length: n }, (_, index) =>
      chat ? { index, message: { role: 'assistant', content: perChoice.join('') }, finish_reason: 'length' } : { index, text: perChoice.join(''), finish_reason: 'length', logprobs: null },
    );
    send(res, 200, { id: 'mock-1', object: chat ? 'chat.completion' : 'text_completion', created: 1, model, choices, ...(options.omitUsage ? {} : { usage }) });
  }

  async function stream(res: ServerResponse, body: Body, chat: boolean, n: number, perChoice: string[], usage: object): Promise<void> {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    let closed = false;
    res.on('close', () => {
      if (!res.writableFinished) {
        closed = true;
        received.aborted++;
      }
    });
    const base = { id: 'mock-1', object: chat ? 'chat.completion.chunk' : 'text_completion', created: 1, model: body.model };
    for (const [i, word] of perChoice.entries()) {
      if (i === options.hangAfter) {
        if (!closed) await new Promise((r) => res.once('close', r));
        return;
      }
      if (i === 2 && body.model?.startsWith('cut')) {
        await new Promise((r) => setTimeout(r, 50)); // let the first chunks reach the gateway
        res.destroy();
        return;
      }
      for (let index = 0; index < n; index++) {
        const choice = chat ? { index, delta: { content: word }, finish_reason: null } : { index, text: word, finish_reason: null };
        const taken = res.write(`data: ${JSON.stringify({ ...base, choices: [choice] })}\n\n`);
        received.chunksWritten++;
        if (!taken && options.backpressure) {
          await new Promise<void>((resolve) => {
            const go = () => {
              res.off('drain', go).off('close', go);
              resolve();
            };
            res.on('drain', go).on('close', go);
          });
        }
        if (closed) return;
      }
      if (options.chunkDelayMs) await new Promise((r) => setTimeout(r, options.chunkDelayMs));
      if (closed) return;
    }
    for (let index = 0; index < n; index++) {
      res.write(`data: ${JSON.stringify({ ...base, choices: [chat ? { index, delta: {}, finish_reason: 'length' } : { index, text: '', finish_reason: 'length' }] })}\n\n`);
    }
    if (body.stream_options?.include_usage && !options.omitUsage) res.write(`data: ${JSON.stringify({ ...base, choices: [], usage })}\n\n`);
    res.end('data: [DONE]\n\n');
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    received,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// `tsx test/support/mock-upstream.ts [port]` runs it standalone (the bench runs it in its own process).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const mock = await startMockUpstream({ port: Number(process.argv[2] ?? 0) });
  process.stdout.write(`mock upstream listening on ${mock.url}\n`);
}
