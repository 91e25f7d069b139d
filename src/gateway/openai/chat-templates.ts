import { renderChatPrompt } from '../../inference/index.js';
import { messageText, type ChatMessage } from './schemas.js';

/**
 * The gateway's side of chat templates: the table and the renderer live in inference
 * (src/inference/chat-templates.ts), shared with chat fine-tuning so a model is served the text it was
 * trained on. Here an OpenAI message becomes its role and text first.
 */
export { chatTemplates, type ChatTemplate } from '../../inference/index.js';

/** Renders OpenAI messages with a template (unknown names fall back to `plain`) and opens the assistant's turn. */
export function renderChat(templateName: string, messages: readonly ChatMessage[]): { prompt: string; stops: readonly string[] } {
  return renderChatPrompt(templateName, messages.map((m) => ({ role: m.role, content: messageText(m) })));
}
