import { QudaoError } from '../../errors/index.js';
import { renderChatSegments, type ChatTemplate } from '../../inference/index.js';
import type { Tokenizer } from '../../tokenizer/index.js';
import type { ChatExample } from './chat-jsonl.js';

/**
 * A conversation as token ids, with the tokens the loss is taken on. `ids[0]` is `<|endoftext|>` (when the model's
 * vocabulary has it): a served prompt is fed after that token too (inference/text.ts promptIds), as every
 * pretraining document was.
 * `trained[i] === 1` when token `i` is a target the model learns to predict from the tokens before it: the
 * answers of assistant messages of weight 1 (content and the template's suffix, so it learns to stop), and
 * the closing `<|endoftext|>` after a trained assistant message that ends the conversation. Everything else
 * (system and user text, the opening of each assistant turn, answers of weight 0) is context only.
 */
export interface TokenizedChat {
  readonly ids: readonly number[];
  readonly trained: Uint8Array;
  /** The file's line it came from. */
  readonly line: number;
}

/** What {@link tokenizeChat} needs of a tokenizer. */
export type ChatTokenizer = Pick<Tokenizer, 'encode' | 'eotId'>;

/**
 * The model's vocabulary size decides whether `<|endoftext|>` is used at all: a model built without that id
 * (a 256-id byte model) is served prompts without it (promptIds), so it is trained without it too.
 */
function hasEot(tokenizer: ChatTokenizer, vocabSize: number): boolean {
  return tokenizer.eotId < vocabSize;
}

/**
 * The rendered conversation ({@link renderChatSegments}, the gateway's renderer) cut where training
 * switches on or off: consecutive segments that are all context, or all trained answer, form one piece.
 */
function pieces(template: ChatTemplate, example: ChatExample): { text: string; on: 0 | 1 }[] {
  const out: { text: string; on: 0 | 1 }[] = [];
  for (const seg of renderChatSegments(template, example.messages)) {
    const on = seg.answer && example.messages[seg.message]!.weight !== 0 ? 1 : 0;
    const last = out.at(-1);
    if (last && last.on === on) last.text += seg.text;
    else out.push({ text: seg.text, on });
  }
  return out;
}

/**
 * Tokenizes a conversation piece by piece ({@link pieces}): each piece is encoded on its own, so the ids
 * before the first answer are exactly the ids the gateway feeds for a request of those messages (the same
 * text, encoded whole), and each answer's ids are what the model must generate after its prompt. Joined,
 * the pieces' texts are the rendered conversation byte for byte.
 */
export function tokenizeChat(example: ChatExample, template: ChatTemplate, tokenizer: ChatTokenizer, vocabSize: number): TokenizedChat {
  const eot = hasEot(tokenizer, vocabSize);
  const ids: number[] = eot ? [tokenizer.eotId] : [];
  const trained: number[] = eot ? [0] : [];
  for (const piece of pieces(template, example)) {
    for (const id of tokenizer.encode(piece.text)) {
      ids.push(id);
      trained.push(piece.on);
    }
  }
  const last = example.messages.at(-1)!;
  if (eot && last.role === 'assistant' && last.weight !== 0) {
    // The end of the conversation: with a template whose stop is the next turn's marker (plain), this is
    // what ends a served answer (the generator stops at <|endoftext|>).
    ids.push(tokenizer.eotId);
    trained.push(1);
  }
  return { ids, trained: Uint8Array.from(trained), line: example.line };
}

/**
 * Tokenizes a file's conversations, refusing one that cannot fit a sequence of `seqLen` positions even
 * alone (QD_FINETUNE_FILE_INVALID naming its line; `param` is the file's parameter). A conversation of n
 * ids takes n − 1 positions (the last id is only a target).
 */
export function tokenizeChats(examples: readonly ChatExample[], template: ChatTemplate, tokenizer: ChatTokenizer, limits: { readonly vocabSize: number; readonly seqLen: number; readonly file: string; readonly param: string }): TokenizedChat[] {
  return examples.map((ex) => {
    const t = tokenizeChat(ex, template, tokenizer, limits.vocabSize);
    if (t.ids.length - 1 > limits.seqLen) {
      throw new QudaoError(
        'QD_FINETUNE_FILE_INVALID',
        `${limits.file}, line ${ex.line}: the conversation is ${t.ids.length - 1} tokens as rendered, more than the ${limits.seqLen} of one training sequence (the model's context); shorten or split it`,
        { param: limits.param },
      );
    }
    return t;
  });
}
