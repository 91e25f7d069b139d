import { QudaoError } from '../../errors/index.js';
import { stopList } from '../openai/schemas.js';
import type { GatewayDeployment } from '../types.js';
import { askedTokens, jsonOf, refuseUntranslatable, statusFailure, textOf, type EmbeddingsAdapter, type StreamDecoder, type UpstreamProvider } from './providers.js';
import { UpstreamFailure, type Choice, type CompletionResult, type EmbeddingResult, type Usage } from './types.js';

/** The API version in Gemini's paths unless the deployment names another. */
export const GEMINI_DEFAULT_VERSION = 'v1beta';

/** Gemini's most `candidateCount` (OpenAI's `n`). */
const GEMINI_MAX_CANDIDATES = 8;

/**
 * The internal (OpenAI chat) fields a Gemini upstream is sent, each into `generationConfig` except
 * `messages` (→ `contents` and `systemInstruction`). `n` is `candidateCount`. `user` is accepted and not
 * sent (Gemini has no such field; Qudao knows the end user by the API key), as for in-process models.
 */
const FIELDS = new Set(['model', 'messages', 'max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'top_k', 'stop', 'stream', 'stream_options', 'user', 'n', 'seed', 'presence_penalty', 'frequency_penalty']);

/** Gemini's finish reasons as OpenAI's: safety and recitation blocks are `content_filter`. */
export function finishOfGemini(reason: unknown): string | null {
  switch (reason) {
    case undefined:
    case null:
    case 'FINISH_REASON_UNSPECIFIED':
      return null;
    case 'MAX_TOKENS':
      return 'length';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
      return 'content_filter';
    default:
      return 'stop'; // STOP, LANGUAGE, OTHER, MALFORMED_FUNCTION_CALL
  }
}

interface Candidate {
  index?: number;
  content?: { parts?: { text?: unknown; thought?: unknown }[] };
  finishReason?: unknown;
}

interface GenerateContentResponse {
  candidates?: Candidate[];
  promptFeedback?: { blockReason?: unknown };
  usageMetadata?: { promptTokenCount?: number; candidatesTokenCount?: number; thoughtsTokenCount?: number };
}

/** Usage as billed: output is the candidates' tokens plus any thinking tokens. */
function usageOf(r: GenerateContentResponse): Usage | undefined {
  const u = r.usageMetadata;
  if (!u || typeof u.promptTokenCount !== 'number') return undefined;
  return { promptTokens: u.promptTokenCount, completionTokens: (u.candidatesTokenCount ?? 0) + (u.thoughtsTokenCount ?? 0) };
}

/** A candidate's visible text (thought summaries are not part of the answer). */
function textOfCandidate(c: Candidate): string {
  let text = '';
  for (const p of c.content?.parts ?? []) if (typeof p.text === 'string' && p.thought !== true) text += p.text;
  return text;
}

/** The embeddings fields a Gemini upstream translates (`user` is accepted and not sent: Gemini has no such field). */
const EMBEDDING_FIELDS = new Set(['model', 'input', 'encoding_format', 'dimensions', 'user']);

/**
 * Gemini's `batchEmbedContents`: `POST {base}/v1beta/models/{model}:batchEmbedContents` with one request per
 * input (`content.parts[].text`, `outputDimensionality` from `dimensions`); the answer's `embeddings[].values`
 * are OpenAI's `data` in order (the gateway encodes base64 itself). Gemini embeds text only, so token-id
 * inputs are refused; it reports no usage, so the gateway counts the inputs' tokens.
 */
const geminiEmbeddings: EmbeddingsAdapter = {
  url: (d) => `${base(d)}/${d.apiVersion ?? GEMINI_DEFAULT_VERSION}/models/${modelPath(d.upstreamModel ?? d.name)}:batchEmbedContents`,
  body(call, upstreamModel) {
    for (const [field, value] of Object.entries(call.body)) {
      if (value !== undefined && value !== null && !EMBEDDING_FIELDS.has(field)) {
        throw new QudaoError('QD_UNSUPPORTED_PARAMETER', `${field} is not supported by a gemini upstream (Qudao translates ${[...EMBEDDING_FIELDS].join(', ')})`, { param: field });
      }
    }
    const input = call.body.input;
    const texts = typeof input === 'string' ? [input] : input;
    if (!texts.every((t): t is string => typeof t === 'string')) {
      throw new QudaoError('QD_UNSUPPORTED_PARAMETER', 'a gemini upstream embeds text only: send input as a string or an array of strings, not token ids', { param: 'input' });
    }
    const model = `models/${upstreamModel.replace(/^models\//, '')}`;
    const dimensions = call.body.dimensions ?? undefined;
    return { requests: texts.map((text) => ({ model, content: { parts: [{ text }] }, ...(dimensions === undefined ? {} : { outputDimensionality: dimensions }) })) };
  },
  parse(body): EmbeddingResult {
    const embeddings = (body as { embeddings?: unknown } | null)?.embeddings;
    if (!Array.isArray(embeddings)) throw new UpstreamFailure('the gemini answer has no embeddings', 'protocol', true);
    const data = embeddings.map((e: unknown, index) => {
      const values = (e as { values?: unknown } | null)?.values;
      if (!Array.isArray(values) || !values.every((v) => typeof v === 'number')) throw new UpstreamFailure(`the gemini answer's embedding ${index} has no values`, 'protocol', true);
      return { index, embedding: values as number[] };
    });
    return { data, usage: undefined };
  },
};

/**
 * Google Gemini's `generateContent`: `POST {base}/v1beta/models/{model}:generateContent` (and
 * `:streamGenerateContent?alt=sse`) with `x-goog-api-key`; `contents` of `user`/`model` turns with text
 * parts, `systemInstruction`, `generationConfig`; answers are `candidates` with a `finishReason` and
 * `usageMetadata`; a stream is SSE of partial GenerateContentResponses that ends when the body ends.
 */
export const geminiProvider: UpstreamProvider = {
  name: 'gemini',
  endpoints: ['chat'],
  url: (d, _endpoint, stream) => `${base(d)}/${d.apiVersion ?? GEMINI_DEFAULT_VERSION}/models/${modelPath(d.upstreamModel ?? d.name)}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
  headers: (d): Record<string, string> => (d.upstreamApiKey ? { 'x-goog-api-key': d.upstreamApiKey } : {}),
  healthUrl: (d) => `${base(d)}/${d.apiVersion ?? GEMINI_DEFAULT_VERSION}/models`,
  embeddings: geminiEmbeddings,

  requestBody(call) {
    refuseUntranslatable(call, 'gemini', FIELDS, GEMINI_MAX_CANDIDATES);
    if (call.endpoint !== 'chat') throw new QudaoError('QD_UNSUPPORTED_PARAMETER', 'a gemini upstream serves chat only', { param: 'prompt' });
    const b = call.body as typeof call.body & { top_k?: number | null };
    const system: { text: string }[] = [];
    const contents: { role: 'user' | 'model'; parts: { text: string }[] }[] = [];
    for (const m of b.messages) {
      if (m.role === 'system' || m.role === 'developer') system.push({ text: textOf(m) });
      else contents.push({ role: m.role === 'assistant' ? 'model' : 'user', parts: Array.isArray(m.content) ? m.content.map((p) => ({ text: p.text ?? '' })) : [{ text: m.content ?? '' }] });
    }
    const config: Record<string, unknown> = {};
    const set = (name: string, value: unknown) => {
      if (value !== undefined && value !== null) config[name] = value;
    };
    set('maxOutputTokens', askedTokens(call));
    set('temperature', b.temperature);
    set('topP', b.top_p);
    set('topK', b.top_k);
    set('candidateCount', b.n);
    set('seed', b.seed);
    set('presencePenalty', b.presence_penalty);
    set('frequencyPenalty', b.frequency_penalty);
    const stop = stopList(b.stop);
    if (stop.length > 0) config.stopSequences = stop;
    const body: Record<string, unknown> = { contents };
    if (system.length > 0) body.systemInstruction = { parts: system };
    if (Object.keys(config).length > 0) body.generationConfig = config;
    return body;
  },

  parseAnswer(body): CompletionResult {
    const r = body as GenerateContentResponse | null;
    if (!r || typeof r !== 'object') throw new UpstreamFailure('the gemini upstream answer is not an object', 'protocol', true);
    if (!Array.isArray(r.candidates) || r.candidates.length === 0) {
      // A prompt blocked by safety settings has no candidates, only promptFeedback.blockReason.
      if (r.promptFeedback?.blockReason) return { choices: [{ index: 0, message: { role: 'assistant', content: '' }, finish_reason: 'content_filter' }], usage: usageOf(r) };
      throw new UpstreamFailure('the gemini upstream answer has no candidates', 'protocol', true);
    }
    const choices: Choice[] = r.candidates.map((c, i) => ({ index: c.index ?? i, message: { role: 'assistant', content: textOfCandidate(c) }, finish_reason: finishOfGemini(c.finishReason) ?? 'stop' }));
    return { choices, usage: usageOf(r) };
  },

  streamDecoder(): StreamDecoder {
    const started = new Set<number>();
    return (data) => {
      const r = jsonOf(data) as GenerateContentResponse | undefined;
      if (!r || typeof r !== 'object') return { choices: [] };
      const choices: Choice[] = [];
      for (const [i, c] of (r.candidates ?? []).entries()) {
        const index = c.index ?? i;
        const text = textOfCandidate(c);
        const finish = finishOfGemini(c.finishReason);
        if (!started.has(index)) {
          started.add(index);
          choices.push({ index, delta: { role: 'assistant', content: text }, finish_reason: null });
        } else if (text) choices.push({ index, delta: { content: text }, finish_reason: null });
        if (finish) choices.push({ index, delta: {}, finish_reason: finish });
      }
      if ((r.candidates ?? []).length === 0 && r.promptFeedback?.blockReason) choices.push({ index: 0, delta: {}, finish_reason: 'content_filter' });
      return { choices, usage: usageOf(r) };
    };
  },

  failureOf(status, bodyText) {
    const e = (jsonOf(bodyText) as { error?: { status?: unknown; message?: unknown } } | undefined)?.error;
    const detail = typeof e?.message === 'string' ? `${typeof e.status === 'string' ? `${e.status}: ` : ''}${e.message}` : undefined;
    return statusFailure(status, detail, bodyText);
  },
};

function base(d: GatewayDeployment): string {
  return (d.upstreamUrl ?? '').replace(/\/+$/, '');
}

/** A model name as a path segment: `models/x` and `x` both mean model `x`. */
function modelPath(model: string): string {
  return encodeURIComponent(model.replace(/^models\//, ''));
}
