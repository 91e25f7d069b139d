import { describe, expect, it } from 'vitest';
import { chatTemplateNames } from '../shared/contract/pipeline.js';
import { chatTemplates, renderChatPrompt, renderChatSegments, type ChatTurn } from './chat-templates.js';

const conversation: ChatTurn[] = [
  { role: 'system', content: 'Be terse.' },
  { role: 'user', content: 'Capital of France?' },
  { role: 'assistant', content: 'Paris.' },
  { role: 'user', content: 'And of Italy?' },
  { role: 'assistant', content: 'Rome.' },
];

describe('chat templates (one renderer for training and serving)', () => {
  it('has the names the pipeline contract accepts', () => {
    expect(Object.keys(chatTemplates).sort()).toEqual([...chatTemplateNames].sort());
  });

  it.each(Object.keys(chatTemplates))('%s: every answer starts exactly where the served prompt of the messages before it ends', (name) => {
    const t = chatTemplates[name]!;
    expect(t.prefix.assistant.startsWith(t.assistantStart)).toBe(true);
    const segments = renderChatSegments(t, conversation);
    expect(segments.map((s) => s.text).join('')).toBe(conversation.map((m) => t.prefix[m.role] + m.content + t.suffix).join(''));
    segments.forEach((s, i) => {
      if (!s.answer) return;
      const before = segments.slice(0, i).map((x) => x.text).join('');
      expect(before).toBe(renderChatPrompt(name, conversation.slice(0, s.message)).prompt);
    });
  });

  it('ends a chatml answer with its stop sequence', () => {
    const answers = renderChatSegments(chatTemplates.chatml!, conversation).filter((s) => s.answer);
    expect(answers.map((s) => s.text)).toEqual(['Paris.<|im_end|>\n', 'Rome.<|im_end|>\n']);
    expect(answers.every((s) => s.text.startsWith(conversation[s.message]!.content + chatTemplates.chatml!.stops[0]!))).toBe(true);
  });

  it('renders the plain answer after "Assistant:" with its space (trimmed when served)', () => {
    const answers = renderChatSegments(chatTemplates.plain!, conversation).filter((s) => s.answer);
    expect(answers.map((s) => s.text)).toEqual([' Paris.\n', ' Rome.\n']);
    expect(renderChatPrompt('plain', conversation.slice(0, 2)).prompt).toBe('Be terse.\nUser: Capital of France?\nAssistant:');
  });
});
