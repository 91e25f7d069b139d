import { describe, expect, it } from 'vitest';
import { renderChat } from './chat-templates.js';

describe('renderChat', () => {
  it('renders the plain template and opens the assistant turn', () => {
    const r = renderChat('plain', [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
    ]);
    expect(r.prompt).toBe('Be brief.\nUser: Hi\nAssistant:');
    expect(r.stops).toEqual(['\nUser:']);
  });

  it('renders chatml', () => {
    expect(renderChat('chatml', [{ role: 'user', content: 'Hi' }]).prompt).toBe('<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n');
  });
});
