import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chatTemplates, type ChatTemplate } from '../../inference/index.js';
import { renderChat } from '../../gateway/openai/chat-templates.js';
import { tokenizerFromJSON, type TokenizerJSON } from '../../tokenizer/index.js';
import type { ChatExample } from './chat-jsonl.js';
import { chatBatch, packChats } from './chat-pack.js';
import { tokenizeChat, tokenizeChats, type ChatTokenizer } from './chat-tokens.js';

/** A template of one character per marker, and a tokenizer of one id per character: layouts by hand. */
const toy: ChatTemplate = {
  prefix: { system: 'S', developer: 'S', user: 'U', assistant: 'A', tool: 'T' },
  suffix: '|',
  assistantStart: 'A',
  stops: ['|'],
};
const EOT = 1;
const chars: ChatTokenizer = { eotId: EOT, encode: (text) => [...text].map((c) => c.charCodeAt(0)) };
const ids = (s: string) => [...s].map((c) => (c === '#' ? EOT : c.charCodeAt(0)));
const flags = (s: string) => Uint8Array.from([...s].map(Number));

const chat = (line: number, ...turns: Array<[ChatExample['messages'][number]['role'], string, (0 | 1)?]>): ChatExample => ({
  line,
  messages: turns.map(([role, content, weight]) => ({ role, content, ...(weight === undefined ? {} : { weight }) })),
});
const c0 = chat(1, ['user', 'hi'], ['assistant', 'yo']);
const c1 = chat(2, ['user', 'q'], ['assistant', 'no', 0], ['user', 'r'], ['assistant', 's']);
const c2 = chat(3, ['user', 'a'], ['assistant', 'b']);

describe('chat tokens: what the loss is taken on', () => {
  it('trains the answers of weight 1 with their suffix, and the closing <|endoftext|>; nothing else', () => {
    const t0 = tokenizeChat(c0, toy, chars, 200);
    expect(t0.ids).toEqual(ids('#Uhi|Ayo|#'));
    expect(t0.trained).toEqual(flags('0000001111'));
    const t1 = tokenizeChat(c1, toy, chars, 200);
    expect(t1.ids).toEqual(ids('#Uq|Ano|Ur|As|#'));
    expect(t1.trained).toEqual(flags('000000000000111'));
  });

  it('leaves <|endoftext|> out for a model whose vocabulary lacks it (as serving does)', () => {
    const t = tokenizeChat(c0, toy, chars, 1);
    expect(t.ids).toEqual(ids('Uhi|Ayo|'));
    expect(t.trained).toEqual(flags('00000111'));
  });

  it('refuses a conversation longer than a sequence, naming its line', () => {
    expect(() => tokenizeChats([c0, c1], toy, chars, { vocabSize: 200, seqLen: 13, file: 'f.jsonl', param: 'trainFile' })).toThrow(
      expect.objectContaining({ code: 'QD_FINETUNE_FILE_INVALID', param: 'trainFile', message: expect.stringMatching(/^f\.jsonl, line 2: the conversation is 14 tokens as rendered, more than the 13/) }),
    );
  });

  it('gives the prompt before the first answer exactly the ids the gateway feeds (bundled BPE tokenizer)', () => {
    const json = JSON.parse(readFileSync(new URL('../../../models/bundled/qudao-brown/tokenizer.json', import.meta.url), 'utf8')) as TokenizerJSON;
    const bpe = tokenizerFromJSON(json);
    const ex = chat(1, ['system', 'You answer in one word.'], ['user', 'What is the capital of France?'], ['assistant', 'Paris.']);
    for (const name of ['chatml', 'plain']) {
      const t = tokenizeChat(ex, chatTemplates[name]!, bpe, bpe.vocabSize);
      const first = t.trained.indexOf(1);
      const served = bpe.encode(renderChat(name, ex.messages.slice(0, 2).map((m) => ({ ...m }))).prompt);
      expect(t.ids.slice(0, first)).toEqual([bpe.eotId, ...served]);
      expect(bpe.decode(t.ids.slice(first, -1))).toBe(name === 'chatml' ? 'Paris.<|im_end|>\n' : ' Paris.\n');
      expect(t.ids.at(-1)).toBe(bpe.eotId);
    }
  });
});

describe('packing (first fit, whole conversations)', () => {
  const chats = [c0, c1, c2].map((c) => tokenizeChat(c, toy, chars, 200));

  it('places each conversation in the first sequence with room, never splitting one', () => {
    // Lengths 10, 15, 8; a sequence holds seqLen + 1 = 20 ids: 10 + 15 does not fit, 10 + 8 does.
    const rows = packChats(chats, 19);
    expect(rows.map((r) => r.examples)).toEqual([[0, 2], [1]]);
    expect(rows[0]!.ids).toEqual(Int32Array.from(ids('#Uhi|Ayo|##Ua|Ab|#')));
    expect(rows[0]!.trained).toEqual(flags('000000111100000111'));
    expect(packChats(chats, 24).map((r) => r.examples)).toEqual([[0, 1], [2]]);
    expect(packChats(chats, 24, false).map((r) => r.examples)).toEqual([[0], [1], [2]]);
  });

  it('targets the next id where it is trained, -100 elsewhere (the boundary between conversations included), padding after', () => {
    const { batch, targets } = chatBatch(packChats(chats, 19));
    expect(batch.shape).toEqual([2, 17]);
    const M = -100;
    const row0 = [M, M, M, M, M, ...ids('yo|#'), M, M, M, M, M, ...ids('b|#')];
    const row1 = [...Array(11).fill(M), ...ids('s|#'), M, M, M];
    expect([...batch.targets]).toEqual([...row0, ...row1]);
    expect([...batch.ids.slice(17)]).toEqual([...ids('#Uq|Ano|Ur|As|'), 0, 0, 0]);
    expect(targets).toBe(10);
  });

  it('gives each conversation its own attention segment: its input positions (the last id of a row is a target only)', () => {
    const packed = packChats(chats, 19);
    expect(packed.map((r) => r.lengths)).toEqual([[10, 8], [15]]);
    expect(chatBatch(packed).segments).toEqual([[10, 7], [14]]);
  });
});
