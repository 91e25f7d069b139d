import { afterEach, describe, expect, it, vi } from 'vitest';
import { streamChat } from './chatStream.js';

/** A streamed response whose body arrives in exactly these pieces (to split events across reads). */
function sse(pieces: string[], status = 200): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const p of pieces) controller.enqueue(encoder.encode(p));
      controller.close();
    },
  });
  return new Response(body, { status, headers: { 'content-type': 'text/event-stream' } });
}

const chunk = (content: string) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}\n\n`;
const request = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }], temperature: 0, max_tokens: 3 };

describe('streamChat', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sends the key and stream:true, and yields every delta in order even when events are split across reads', async () => {
    const all = chunk('w0') + chunk(' w1') + `data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'length' }] })}\n\n` + chunk(' w2') + 'data: [DONE]\n\n' + chunk(' after-done');
    const fetchMock = vi.fn(async () => sse([all.slice(0, 7), all.slice(7, 40), all.slice(40)]));
    vi.stubGlobal('fetch', fetchMock);
    const deltas: string[] = [];
    await streamChat('qd_sk_test', request, (d) => deltas.push(d));
    expect(deltas).toEqual(['w0', ' w1', ' w2']);
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/v1/chat/completions');
    expect((init.headers as Record<string, string>).authorization).toBe('Bearer qd_sk_test');
    expect(JSON.parse(init.body as string)).toMatchObject({ model: 'm', stream: true, max_tokens: 3 });
  });

  it('throws the gateway message for an error answer and for an error event inside the stream', async () => {
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ error: { message: 'the API key is invalid', code: 'QD_INVALID_API_KEY' } }), { status: 401 }));
    await expect(streamChat('bad', request, () => {})).rejects.toThrow('the API key is invalid');
    vi.stubGlobal('fetch', async () => sse([chunk('w0'), `data: ${JSON.stringify({ error: { message: 'upstream failed' } })}\n\n`]));
    await expect(streamChat('k', request, () => {})).rejects.toThrow('upstream failed');
  });
});
