import { messageText, type ChatMessage } from './schemas.js';

/**
 * Chat templates as data: how a list of messages becomes one prompt for an in-process model, and where the
 * assistant's answer starts. `plain` suits the small GPT/LSTM models trained from plain text; `chatml` is
 * the `<|im_start|>` format used by models fine-tuned on chat data.
 */
export interface ChatTemplate {
  /** Text before each message, by role. */
  readonly prefix: Readonly<Record<ChatMessage['role'], string>>;
  /** Text after each message. */
  readonly suffix: string;
  /** Text that opens the assistant's turn, after the last message. */
  readonly assistantStart: string;
  /** Stop sequences the template implies (the model starting a new turn). */
  readonly stops: readonly string[];
}

/** The known templates by name. */
export const chatTemplates: Readonly<Record<string, ChatTemplate>> = {
  plain: {
    prefix: { system: '', developer: '', user: 'User: ', assistant: 'Assistant: ', tool: 'Tool: ' },
    suffix: '\n',
    assistantStart: 'Assistant:',
    stops: ['\nUser:'],
  },
  chatml: {
    prefix: { system: '<|im_start|>system\n', developer: '<|im_start|>system\n', user: '<|im_start|>user\n', assistant: '<|im_start|>assistant\n', tool: '<|im_start|>tool\n' },
    suffix: '<|im_end|>\n',
    assistantStart: '<|im_start|>assistant\n',
    stops: ['<|im_end|>'],
  },
};

/** Renders messages with a template (unknown names fall back to `plain`). */
export function renderChat(templateName: string, messages: readonly ChatMessage[]): { prompt: string; stops: readonly string[] } {
  const t = chatTemplates[templateName] ?? chatTemplates.plain!;
  let prompt = '';
  for (const m of messages) prompt += t.prefix[m.role] + messageText(m) + t.suffix;
  return { prompt: prompt + t.assistantStart, stops: t.stops };
}
