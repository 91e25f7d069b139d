import { QudaoError } from '../../errors/index.js';

/** The roles a chat fine-tuning message may have. */
export const CHAT_EXAMPLE_ROLES = ['system', 'user', 'assistant'] as const;

/** One message of a training conversation. `weight` (assistant only): 0 = not trained on, 1 = trained (default). */
export interface ChatExampleMessage {
  readonly role: (typeof CHAT_EXAMPLE_ROLES)[number];
  readonly content: string;
  readonly weight?: 0 | 1;
}

/** One line of a chat fine-tuning file: a conversation, and the 1-based line it came from. */
export interface ChatExample {
  readonly messages: ChatExampleMessage[];
  /** The file's line number (1-based), so later checks (length) can name it. */
  readonly line: number;
}

/** Options of {@link parseChatJsonl}. */
export interface ChatJsonlOptions {
  /** The file's name, for messages (default "the file"). */
  readonly file?: string;
}

/** Keys a message may carry: OpenAI's `name` is accepted and not rendered. */
const MESSAGE_KEYS = new Set(['role', 'content', 'weight', 'name']);

/**
 * Parses OpenAI's chat fine-tuning format: one JSON object `{"messages": [{role, content, weight?}, ...]}`
 * per line (blank lines are skipped). The whole file is checked before anything is returned, and the first
 * problem throws QD_FINETUNE_FILE_INVALID (`param: 'file'`) whose message names the line, the message
 * within it and what to fix: not JSON, no `messages` list, an unknown role or field, content that is not a
 * string, a weight other than 0 or 1 (or on a non-assistant message), no assistant message, or only
 * assistant messages of weight 0 (nothing to learn). Tool calls and function messages are not supported.
 */
export function parseChatJsonl(text: string, options: ChatJsonlOptions = {}): ChatExample[] {
  const file = options.file ?? 'the file';
  const fail = (line: number, what: string): never => {
    throw new QudaoError('QD_FINETUNE_FILE_INVALID', `${file}, line ${line}: ${what}`, { param: 'file' });
  };
  const examples: ChatExample[] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      fail(line, 'is not valid JSON; write one JSON object {"messages": [...]} per line');
    }
    examples.push({ messages: messagesOf(value, (what) => fail(line, what)), line });
  });
  if (examples.length === 0) throw new QudaoError('QD_FINETUNE_FILE_INVALID', `${file} holds no examples; write one JSON object {"messages": [...]} per line`, { param: 'file' });
  return examples;
}

/** The checked messages of one line's value; `fail` throws with the line's number. */
function messagesOf(value: unknown, fail: (what: string) => never): ChatExampleMessage[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('is not a JSON object; write {"messages": [...]}');
  const record = value as Record<string, unknown>;
  const extra = Object.keys(record).find((k) => k !== 'messages');
  if (extra !== undefined) fail(`has an unknown field "${extra}"; a line holds only "messages"${extra === 'tools' || extra === 'functions' ? ' (tool calls are not supported)' : ''}`);
  const list = record.messages;
  if (!Array.isArray(list) || list.length === 0) fail('has no "messages" list; write {"messages": [{"role": "user", "content": "..."}, {"role": "assistant", "content": "..."}]}');
  const messages = (list as unknown[]).map((m, j) => messageOf(m, (what) => fail(`message ${j + 1} ${what}`)));
  if (!messages.some((m) => m.role === 'assistant')) fail('has no assistant message; each line needs at least one answer to learn');
  if (!messages.some((m) => m.role === 'assistant' && m.weight !== 0)) fail('has only assistant messages of weight 0; nothing on it would be learned');
  return messages;
}

function messageOf(m: unknown, fail: (what: string) => never): ChatExampleMessage {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) fail('is not a JSON object {"role": ..., "content": ...}');
  const record = m as Record<string, unknown>;
  const extra = Object.keys(record).find((k) => !MESSAGE_KEYS.has(k));
  if (extra !== undefined) fail(`has an unknown field "${extra}"; a message has role, content and (assistant only) weight${extra === 'tool_calls' || extra === 'function_call' ? ' (tool calls are not supported)' : ''}`);
  const role = record.role;
  if (typeof role !== 'string' || !(CHAT_EXAMPLE_ROLES as readonly string[]).includes(role)) {
    fail(`has ${role === undefined ? 'no role' : `an unknown role ${JSON.stringify(role)}`}; use ${CHAT_EXAMPLE_ROLES.join(', ')}`);
  }
  if (typeof record.content !== 'string') fail(`has content that is not a string (${record.content === undefined ? 'missing' : describe(record.content)}); write the text as one string`);
  const weight = record.weight;
  if (weight !== undefined) {
    if (role !== 'assistant') fail(`(${role as string}) has a weight; only assistant messages carry one`);
    if (weight !== 0 && weight !== 1) fail(`has weight ${JSON.stringify(weight)}; a weight is 0 (not trained on) or 1`);
  }
  return { role: role as ChatExampleMessage['role'], content: record.content as string, ...(weight === undefined ? {} : { weight: weight as 0 | 1 }) };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}
