import { describe, expect, it } from 'vitest';
import { QudaoError } from '../../errors/index.js';
import { parseChatJsonl } from './chat-jsonl.js';

const good = JSON.stringify({ messages: [{ role: 'system', content: 'Be terse.' }, { role: 'user', content: 'Capital of France?' }, { role: 'assistant', content: 'Paris.' }] });

/** The error a file with `bad` as its line 3 (after two good lines) gets. */
function errorOf(bad: string): QudaoError {
  try {
    parseChatJsonl(`${good}\n${good}\n${bad}\n${good}\n`, { file: 'chats.jsonl' });
  } catch (err) {
    if (err instanceof QudaoError) return err;
    throw err;
  }
  throw new Error('the file was accepted');
}

describe('parseChatJsonl (OpenAI chat fine-tuning format)', () => {
  it('reads every line with its number, skipping blank lines, keeping weights', () => {
    const weighted = JSON.stringify({ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b', weight: 0 }, { role: 'user', content: 'c' }, { role: 'assistant', content: 'd', weight: 1 }] });
    const examples = parseChatJsonl(`\uFEFF${good}\n\n${weighted}\n`);
    expect(examples.map((e) => e.line)).toEqual([1, 3]);
    expect(examples[0]!.messages).toEqual([{ role: 'system', content: 'Be terse.' }, { role: 'user', content: 'Capital of France?' }, { role: 'assistant', content: 'Paris.' }]);
    expect(examples[1]!.messages.map((m) => m.weight)).toEqual([undefined, 0, undefined, 1]);
  });

  it.each([
    ['invalid JSON', '{"messages": [', 'line 3: is not valid JSON'],
    ['not an object', '[1, 2]', 'line 3: is not a JSON object'],
    ['no messages', '{"prompt": "x"}', 'line 3: has an unknown field "prompt"'],
    ['empty messages', '{"messages": []}', 'line 3: has no "messages" list'],
    ['messages not a list', '{"messages": "hi"}', 'line 3: has no "messages" list'],
    ['unknown role', '{"messages": [{"role": "user", "content": "a"}, {"role": "robot", "content": "b"}]}', 'line 3: message 2 has an unknown role "robot"; use system, user, assistant'],
    ['missing role', '{"messages": [{"content": "a"}]}', 'line 3: message 1 has no role'],
    ['content not a string', '{"messages": [{"role": "user", "content": [{"type": "text", "text": "a"}]}, {"role": "assistant", "content": "b"}]}', 'line 3: message 1 has content that is not a string (a list)'],
    ['content missing', '{"messages": [{"role": "user", "content": "a"}, {"role": "assistant"}]}', 'line 3: message 2 has content that is not a string (missing)'],
    ['no assistant message', '{"messages": [{"role": "user", "content": "a"}]}', 'line 3: has no assistant message'],
    ['weight not 0/1', '{"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b", "weight": 0.5}]}', 'line 3: message 2 has weight 0.5; a weight is 0 (not trained on) or 1'],
    ['weight on a user message', '{"messages": [{"role": "user", "content": "a", "weight": 1}, {"role": "assistant", "content": "b"}]}', 'line 3: message 1 (user) has a weight'],
    ['only weight-0 answers', '{"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b", "weight": 0}]}', 'line 3: has only assistant messages of weight 0'],
    ['tool calls', '{"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b", "tool_calls": []}]}', 'line 3: message 2 has an unknown field "tool_calls"'],
  ])('refuses %s, naming the file and line', (_kind, bad, message) => {
    const err = errorOf(bad);
    expect(err.code).toBe('QD_FINETUNE_FILE_INVALID');
    expect(err.status).toBe(400);
    expect(err.param).toBe('file');
    expect(err.message.startsWith(`chats.jsonl, ${message}`), err.message).toBe(true);
  });

  it('refuses a file with no examples', () => {
    expect(() => parseChatJsonl('\n  \n', { file: 'empty.jsonl' })).toThrow(expect.objectContaining({ code: 'QD_FINETUNE_FILE_INVALID', message: expect.stringContaining('empty.jsonl holds no examples') }));
  });
});
