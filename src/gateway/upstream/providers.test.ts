import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QudaoError } from '../../errors/index.js';
import { toChatCall } from '../anthropic/messages.js';
import { chatCompletionRequestSchema } from '../openai/schemas.js';
import { SseParser } from '../openai/sse.js';
import type { GatewayDeployment } from '../types.js';
import { anthropicProvider } from './anthropic-provider.js';
import { geminiProvider } from './gemini-provider.js';
import { upstreamProviders } from './provider-registry.js';
import type { UpstreamProvider } from './providers.js';
import type { Choice, GenerationCall } from './types.js';

const SEED = 15;

const dep = (extra: Partial<GatewayDeployment> = {}): GatewayDeployment => ({
  id: 'dep_1', name: 'd', kind: 'upstream', modelVersionId: null, upstreamUrl: 'https://example.test/', upstreamModel: 'm-1', provider: 'openai-compatible', apiVersion: null, upstreamApiKey: 'k',
  fallbackDeploymentId: null, timeoutMs: 1000, maxRetries: 0, costInputPer1mMicros: 0, costOutputPer1mMicros: 0, ownerPartnerId: null, ownerCustomerId: null, createdAtMs: 0, requestLogEnabled: false, ...extra,
});

const chat = (body: Record<string, unknown>): GenerationCall => ({ endpoint: 'chat', body: chatCompletionRequestSchema.parse({ model: 'x', messages: [{ role: 'user', content: 'hi' }], ...body }), requestId: 'r' });

/** Feeds SSE text split at the given points through a provider's decoder; returns the text, finishes and usage. */
function decode(provider: UpstreamProvider, sse: string, cuts: number[]): { text: string; finishes: string[]; usage: unknown; done: boolean } {
  const next = provider.streamDecoder('chat');
  let text = '';
  const finishes: string[] = [];
  let usage: unknown;
  let done = false;
  const parser = new SseParser((data) => {
    const step = next(data);
    for (const c of step.choices as (Choice & { delta: { content?: string } })[]) {
      text += c.delta.content ?? '';
      if (typeof c.finish_reason === 'string') finishes.push(c.finish_reason);
    }
    usage = step.usage ?? usage;
    done ||= step.done === true;
  });
  const bytes = Buffer.from(sse);
  let at = 0;
  for (const cut of [...cuts.map((c) => c % (bytes.length + 1))].sort((a, b) => a - b)) {
    parser.push(bytes.subarray(at, cut));
    at = cut;
  }
  parser.push(bytes.subarray(at));
  parser.end();
  return { text, finishes, usage, done };
}

const sse = (event: string | undefined, data: unknown) => `${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`;

describe('upstream providers', () => {
  it('builds each provider\'s documented URL and auth headers', () => {
    expect(upstreamProviders.anthropic.url(dep(), 'chat', true)).toBe('https://example.test/v1/messages');
    expect(upstreamProviders.anthropic.headers(dep())).toEqual({ 'x-api-key': 'k', 'anthropic-version': '2023-06-01' });
    expect(upstreamProviders.gemini.url(dep({ upstreamModel: 'models/gemini-2.0-flash' }), 'chat', false)).toBe('https://example.test/v1beta/models/gemini-2.0-flash:generateContent');
    expect(upstreamProviders.gemini.url(dep({ apiVersion: 'v1' }), 'chat', true)).toBe('https://example.test/v1/models/m-1:streamGenerateContent?alt=sse');
    expect(upstreamProviders.gemini.headers(dep())).toEqual({ 'x-goog-api-key': 'k' });
    expect(upstreamProviders['azure-openai'].url(dep({ upstreamModel: 'my dep' }), 'completions', false)).toBe('https://example.test/openai/deployments/my%20dep/completions?api-version=2024-10-21');
    expect(upstreamProviders['azure-openai'].headers(dep())).toEqual({ 'api-key': 'k' });
    expect(upstreamProviders['openai-compatible'].headers(dep({ upstreamApiKey: null }))).toEqual({});
  });

  it('reassembles an Anthropic stream however the network splits it, with its finish reason and usage', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }), { maxLength: 12 }), fc.array(fc.nat(4000), { maxLength: 6 }), fc.constantFrom('end_turn', 'max_tokens', 'stop_sequence', 'refusal'), (pieces, cuts, reason) => {
        const stream =
          sse('message_start', { type: 'message_start', message: { usage: { input_tokens: 11, output_tokens: 1, cache_read_input_tokens: 4 } } }) +
          sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }) +
          sse('ping', { type: 'ping' }) +
          pieces.map((t) => sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: t } })).join('') +
          sse('content_block_stop', { type: 'content_block_stop', index: 0 }) +
          sse('message_delta', { type: 'message_delta', delta: { stop_reason: reason, stop_sequence: null }, usage: { output_tokens: pieces.length } }) +
          sse('message_stop', { type: 'message_stop' });
        const out = decode(anthropicProvider, stream, cuts);
        expect(out.text).toBe(pieces.join(''));
        expect(out.finishes).toEqual([{ end_turn: 'stop', max_tokens: 'length', stop_sequence: 'stop', refusal: 'content_filter' }[reason]]);
        // Cached input tokens are input tokens too.
        expect(out.usage).toEqual({ promptTokens: 15, completionTokens: pieces.length });
        expect(out.done).toBe(true);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('reassembles a Gemini stream however the network splits it; safety blocks are content_filter', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 12 }), fc.array(fc.nat(4000), { maxLength: 6 }), fc.constantFrom('STOP', 'MAX_TOKENS', 'SAFETY'), (pieces, cuts, reason) => {
        const stream = pieces
          .map((t, i) => sse(undefined, { candidates: [{ content: { parts: [{ text: t }], role: 'model' }, ...(i === pieces.length - 1 ? { finishReason: reason } : {}) }], usageMetadata: { promptTokenCount: 7, candidatesTokenCount: i + 1 } }))
          .join('');
        const out = decode(geminiProvider, stream, cuts);
        expect(out.text).toBe(pieces.join(''));
        expect(out.finishes).toEqual([{ STOP: 'stop', MAX_TOKENS: 'length', SAFETY: 'content_filter' }[reason]]);
        expect(out.usage).toEqual({ promptTokens: 7, completionTokens: pieces.length });
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('an Anthropic error event fails the stream; error bodies keep the provider\'s message and retryability', () => {
    const next = anthropicProvider.streamDecoder('chat');
    expect(() => next(JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }))).toThrow(/\(overloaded_error\): Overloaded/);
    const overloaded = anthropicProvider.failureOf(529, JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }));
    expect(overloaded).toMatchObject({ retryable: true, upstreamStatus: 529 });
    expect(overloaded.message).toBe('upstream answered 529'); // the provider's text goes to the client, not the log
    expect(overloaded.detail).toContain('overloaded_error: Overloaded');
    expect(anthropicProvider.failureOf(400, JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'bad' } }))).toMatchObject({ retryable: false, kind: 'rejected' });
    expect(geminiProvider.failureOf(429, JSON.stringify({ error: { code: 429, message: 'quota', status: 'RESOURCE_EXHAUSTED' } })).detail).toContain('RESOURCE_EXHAUSTED: quota');
    expect(geminiProvider.failureOf(502, '<html>bad gateway</html>')).toMatchObject({ retryable: true });
    // A prompt Gemini blocks has no candidates: an empty answer filtered for content, with the prompt's usage.
    expect(geminiProvider.parseAnswer({ promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 4 } }, 'chat')).toEqual({ choices: [{ index: 0, message: { role: 'assistant', content: '' }, finish_reason: 'content_filter' }], usage: { promptTokens: 4, completionTokens: 0 } });
    expect(() => geminiProvider.parseAnswer({ candidates: [] }, 'chat')).toThrow(/no candidates/);
  });

  it('translates OpenAI chat to Anthropic and Gemini requests, and refuses what neither can express, by name', () => {
    const call = chat({ messages: [{ role: 'system', content: 'S' }, { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }, { role: 'assistant', content: 'c' }, { role: 'user', content: 'd' }], max_completion_tokens: 9, temperature: 0.2, stop: 'END', user: 'u' });
    expect(anthropicProvider.requestBody(call, 'claude', true)).toEqual({
      model: 'claude', max_tokens: 9, system: 'S', temperature: 0.2, stop_sequences: ['END'], metadata: { user_id: 'u' }, stream: true,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }, { role: 'assistant', content: 'c' }, { role: 'user', content: 'd' }],
    });
    expect(geminiProvider.requestBody(call, 'g', false)).toEqual({
      systemInstruction: { parts: [{ text: 'S' }] },
      contents: [{ role: 'user', parts: [{ text: 'a' }, { text: 'b' }] }, { role: 'model', parts: [{ text: 'c' }] }, { role: 'user', parts: [{ text: 'd' }] }],
      generationConfig: { maxOutputTokens: 9, temperature: 0.2, stopSequences: ['END'] },
    });
    const refused = (p: UpstreamProvider, body: Record<string, unknown>) => {
      try {
        p.requestBody(chat(body), 'm', false);
      } catch (err) {
        return err instanceof QudaoError ? `${err.code} ${err.param}` : String(err);
      }
      return 'accepted';
    };
    expect(refused(anthropicProvider, { logit_bias: { 1: 2 } })).toBe('QD_UNSUPPORTED_PARAMETER logit_bias');
    expect(refused(anthropicProvider, { temperature: 1.5 })).toBe('QD_INVALID_REQUEST temperature');
    expect(refused(anthropicProvider, { stream_options: { include_obfuscation: true } })).toBe('QD_UNSUPPORTED_PARAMETER stream_options.include_obfuscation');
    expect(refused(geminiProvider, { messages: [{ role: 'tool', content: 'x', tool_call_id: 't' }] })).toBe('QD_UNSUPPORTED_PARAMETER messages.0.tool_call_id');
    expect(refused(geminiProvider, { messages: [{ role: 'user', content: 'x', name: 'ann' }] })).toBe('QD_UNSUPPORTED_PARAMETER messages.0.name');
    expect(refused(geminiProvider, { n: 2, seed: 3 })).toBe('accepted');
    expect(refused(geminiProvider, { n: 9 })).toBe('QD_UNSUPPORTED_PARAMETER n');
    expect(refused(anthropicProvider, { n: 2 })).toBe('QD_UNSUPPORTED_PARAMETER n');
    expect(refused(anthropicProvider, { tools: null, n: 1 })).toBe('accepted');
  });

  it('a Messages request becomes the internal chat call and back, every field served or refused', () => {
    const call = toChatCall({ model: 'm', max_tokens: 5, system: [{ type: 'text', text: 'S' }], messages: [{ role: 'user', content: 'hi' }], stop_sequences: ['x'], top_k: 3, metadata: { user_id: 'u' }, stream: true }, 'req');
    expect(call).toEqual({
      endpoint: 'chat', requestId: 'req', meterAs: 'messages',
      body: { model: 'm', max_tokens: 5, messages: [{ role: 'system', content: [{ type: 'text', text: 'S' }] }, { role: 'user', content: 'hi' }], stop: ['x'], top_k: 3, user: 'u', stream: true, stream_options: { include_usage: true } },
    });
    // Through an Anthropic upstream, the request is what the client sent (pass-through by translation).
    expect(anthropicProvider.requestBody(call, 'claude', true)).toEqual({ model: 'claude', max_tokens: 5, system: 'S', messages: [{ role: 'user', content: 'hi' }], stop_sequences: ['x'], top_k: 3, metadata: { user_id: 'u' }, stream: true });
    expect(() => toChatCall({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }], tools: [] } as never, 'r')).toThrow(/tools/);
  });
});
