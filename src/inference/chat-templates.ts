/**
 * Chat templates as data: how a list of messages becomes the text an in-process model reads, where the
 * assistant's answer starts, and where it ends. One renderer ({@link renderChatSegments}) serves both sides:
 * the gateway renders a request's messages with it (then opens the assistant's turn), and chat fine-tuning
 * renders a training conversation with it (then trains the answers' segments), so the text a model was
 * trained on is byte for byte the text it is served.
 *
 * `plain` suits the small GPT/LSTM models trained from plain text; `chatml` is the `<|im_start|>` format
 * used by models fine-tuned on chat data (the default of `qudao finetune --task chat`).
 */

/** The roles a template renders (OpenAI's: `developer` is rendered as `system`). */
export type ChatRole = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

/** A message as a template sees it: its role and its text. */
export interface ChatTurn {
  readonly role: ChatRole;
  readonly content: string;
}

/** One chat template. Invariant (checked by the tests): `prefix.assistant` starts with `assistantStart`. */
export interface ChatTemplate {
  /** Text before each message, by role. */
  readonly prefix: Readonly<Record<ChatRole, string>>;
  /** Text after each message; for an assistant message it is the end of the answer the model learns to write. */
  readonly suffix: string;
  /** Text that opens the assistant's turn, after the last message (the end of a served prompt). */
  readonly assistantStart: string;
  /** Stop sequences the template implies (the model ending its turn or starting a new one). */
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

/** A template by name; unknown names fall back to `plain` (a version registered before templates had names). */
export function chatTemplateOf(name: string): ChatTemplate {
  return chatTemplates[name] ?? chatTemplates.plain!;
}

/**
 * One piece of a rendered conversation. `answer` marks the text an assistant message adds after its turn
 * opened (`assistantStart`): the part a model writes when served, ending with the template's suffix (whose
 * start is the stop sequence, for chatml). `message` is the index of the message the piece renders.
 */
export interface ChatSegment {
  readonly text: string;
  readonly answer: boolean;
  readonly message: number;
}

/**
 * Renders messages as segments whose texts, joined, are the conversation as the model reads it. Each
 * message is `prefix[role] + content + suffix`; an assistant message is split after `assistantStart`
 * into an opening (not an answer) and the rest (the answer), so every answer starts exactly where a served
 * prompt of the messages before it ends.
 */
export function renderChatSegments(template: ChatTemplate, turns: readonly ChatTurn[]): ChatSegment[] {
  const out: ChatSegment[] = [];
  turns.forEach((m, message) => {
    const opening = template.prefix[m.role];
    if (m.role === 'assistant') {
      out.push({ text: template.assistantStart, answer: false, message });
      out.push({ text: opening.slice(template.assistantStart.length) + m.content + template.suffix, answer: true, message });
    } else {
      out.push({ text: opening + m.content + template.suffix, answer: false, message });
    }
  });
  return out;
}

/**
 * The prompt a served chat request becomes: the messages rendered ({@link renderChatSegments}) and the
 * assistant's turn opened, with the template's stop sequences. Unknown template names fall back to `plain`.
 */
export function renderChatPrompt(templateName: string, turns: readonly ChatTurn[]): { prompt: string; stops: readonly string[] } {
  const t = chatTemplateOf(templateName);
  const history = renderChatSegments(t, turns).map((s) => s.text).join('');
  return { prompt: history + t.assistantStart, stops: t.stops };
}
