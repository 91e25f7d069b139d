/**
 * From the byte automaton to tokens: which vocabulary ids may come next in a state. The vocabulary's byte
 * strings are put in a trie once per tokenizer; a state's mask is one walk of the trie that prunes a subtree
 * as soon as its prefix is rejected (most tokens die at their first byte outside strings). Masks are cached
 * by the state's key, and inside a string, an array or an object the state repeats from token to token, so
 * most steps cost a map lookup and one pass over the logits.
 */
import type { Tokenizer } from '../../tokenizer/index.js';
import { JsonAutomaton, leavesStringUnchanged, type AutomatonState } from './automaton.js';
import type { JsonGrammar } from './grammar.js';

/** Restricts which token may come next during generation (constrained decoding). */
export interface TokenConstraint {
  /**
   * Sets the logits of tokens that may not come next to -Infinity. `remaining` is how many tokens may follow
   * the next one within `max_tokens`. Returns false when no token may come next (the answer cannot go on).
   */
  mask(logits: Float32Array, remaining: number): boolean;
  /** Moves past the chosen token. */
  advance(token: number): void;
  /** True once the text is complete: nothing but the end may follow. */
  readonly complete: boolean;
}

interface TrieNode {
  readonly next: Map<number, TrieNode>;
  readonly tokens: number[];
}

/**
 * A tokenizer's vocabulary as byte tries (special tokens left out: they are never part of JSON): `root`
 * holds every token; `neutral` lists the tokens that leave a string unchanged (plain text, see
 * leavesStringUnchanged) and `special` is the trie of all the others, which is all a mask inside a string
 * has to walk.
 */
export interface TokenVocabulary {
  readonly size: number;
  readonly root: TrieNode;
  readonly neutral: Int32Array;
  readonly special: TrieNode;
  readonly bytes: readonly (Uint8Array | undefined)[];
}

function insert(root: TrieNode, bytes: Uint8Array, id: number): void {
  let node = root;
  for (const byte of bytes) {
    let child = node.next.get(byte);
    if (!child) node.next.set(byte, (child = { next: new Map(), tokens: [] }));
    node = child;
  }
  node.tokens.push(id);
}

/** Builds the byte trie of a tokenizer's ids below `vocabSize` (a model may have more ids than its tokenizer). */
export function tokenVocabulary(tokenizer: Tokenizer, vocabSize: number): TokenVocabulary {
  const tokenBytes = tokenizer.tokenBytes?.bind(tokenizer);
  if (!tokenBytes) throw new Error(`a ${tokenizer.kind} tokenizer does not give the bytes of its tokens, so its output cannot be constrained`);
  const json = tokenizer.toJSON();
  const specials = new Set<number>([tokenizer.eotId, ...(json.kind === 'bpe' ? Object.values(json.specialTokens) : [])]);
  const root: TrieNode = { next: new Map(), tokens: [] };
  const special: TrieNode = { next: new Map(), tokens: [] };
  const neutral: number[] = [];
  const bytes: (Uint8Array | undefined)[] = new Array(vocabSize);
  for (let id = 0; id < Math.min(vocabSize, tokenizer.vocabSize); id++) {
    if (specials.has(id)) continue;
    const b = tokenBytes(id);
    if (b.length === 0) continue;
    bytes[id] = b;
    insert(root, b, id);
    if (leavesStringUnchanged(b)) neutral.push(id);
    else insert(special, b, id);
  }
  return { size: vocabSize, root, neutral: Int32Array.from(neutral), special, bytes };
}

/** The tokens allowed in one state, and the fewest bytes each leaves to finish. */
interface MaskEntry {
  readonly allowed: Uint8Array;
  readonly tokens: Int32Array;
  readonly finishAfter: Int32Array;
  readonly fewestAfter: number;
}

/**
 * Token masks kept for reuse, least recently used dropped first once their bytes pass `budgetBytes`. One
 * cache serves every grammar of a model, so many distinct schemas cannot grow memory past the budget.
 */
export class MaskCache {
  private readonly entries = new Map<string, MaskEntry>();
  private bytes = 0;
  private nextSerial = 0;

  constructor(readonly budgetBytes: number = 64 * 1024 * 1024) {}

  /** Bytes the cached masks hold now. */
  get heldBytes(): number {
    return this.bytes;
  }

  /** A prefix that keeps one grammar's keys apart from another's. */
  serial(): string {
    return `${this.nextSerial++}\u0000`;
  }

  get(key: string): MaskEntry | undefined {
    const e = this.entries.get(key);
    if (e) {
      // Map order is insertion order: moving a hit to the end makes the first entry the least recently used.
      this.entries.delete(key);
      this.entries.set(key, e);
    }
    return e;
  }

  set(key: string, e: MaskEntry): void {
    this.entries.set(key, e);
    this.bytes += sizeOf(e);
    for (const [k, old] of this.entries) {
      if (this.bytes <= this.budgetBytes || this.entries.size <= 1) break;
      this.entries.delete(k);
      this.bytes -= sizeOf(old);
    }
  }
}

function sizeOf(e: MaskEntry): number {
  return e.allowed.byteLength + e.tokens.byteLength + e.finishAfter.byteLength + 64;
}

/**
 * The masks of one grammar over one vocabulary, cached by automaton state in a {@link MaskCache}. Shared by
 * every request with that grammar (json_object requests share one), so the cache warms across requests.
 */
export class GrammarMasks {
  readonly automaton: JsonAutomaton;
  private readonly prefix: string;

  constructor(
    grammar: JsonGrammar,
    readonly vocabulary: TokenVocabulary,
    private readonly cache: MaskCache = new MaskCache(),
  ) {
    this.automaton = new JsonAutomaton(grammar);
    this.prefix = cache.serial();
  }

  /** A fresh constraint at the start of a text. */
  start(): TokenConstraint {
    return new JsonTokenConstraint(this);
  }

  /** The mask of a state (computed on first sight, then cached). */
  entry(state: AutomatonState): MaskEntry {
    const key = this.prefix + this.automaton.key(state);
    let e = this.cache.get(key);
    if (!e) {
      e = this.compute(state);
      this.cache.set(key, e);
    }
    return e;
  }

  private compute(state: AutomatonState): MaskEntry {
    const a = this.automaton;
    const allowed = new Uint8Array(this.vocabulary.size);
    const tokens: number[] = [];
    const finishAfter: number[] = [];
    const walk = (node: TrieNode, states: AutomatonState) => {
      for (const [byte, child] of node.next) {
        const next = a.step(states, byte);
        if (next.length === 0) continue;
        if (child.tokens.length > 0) {
          const m = a.minBytesToFinish(next);
          for (const t of child.tokens) {
            allowed[t] = 1;
            tokens.push(t);
            finishAfter.push(Number.isFinite(m) ? m : 0x7fffffff);
          }
        }
        if (child.next.size > 0) walk(child, next);
      }
    };
    if (a.inPlainString(state)) {
      // Plain-text tokens keep the state as it is: all allowed, no walk; only the others need one.
      const m = a.minBytesToFinish(state);
      for (const t of this.vocabulary.neutral) {
        allowed[t] = 1;
        tokens.push(t);
        finishAfter.push(Number.isFinite(m) ? m : 0x7fffffff);
      }
      walk(this.vocabulary.special, state);
    } else walk(this.vocabulary.root, state);
    return { allowed, tokens: Int32Array.from(tokens), finishAfter: Int32Array.from(finishAfter), fewestAfter: finishAfter.reduce((m, x) => Math.min(m, x), 0x7fffffff) };
  }
}

/**
 * One request's constraint. Within the budget it also keeps the text finishable: a token is allowed only if
 * the bytes still needed after it fit in the tokens left (every byte is a token of a byte-level vocabulary),
 * so an answer whose `max_tokens` covers the shortest valid text always completes. When even the shortest
 * continuation does not fit, the grammar alone decides and the answer ends with finish reason `length`.
 */
class JsonTokenConstraint implements TokenConstraint {
  private state: AutomatonState;

  constructor(private readonly masks: GrammarMasks) {
    this.state = masks.automaton.initial;
  }

  get complete(): boolean {
    return this.masks.automaton.accepts(this.state);
  }

  mask(logits: Float32Array, remaining: number): boolean {
    const e = this.masks.entry(this.state);
    if (e.tokens.length === 0) return false;
    const n = Math.min(logits.length, e.allowed.length);
    const allowed = e.allowed;
    for (let i = 0; i < n; i++) if (allowed[i] === 0) logits[i] = Number.NEGATIVE_INFINITY;
    for (let i = n; i < logits.length; i++) logits[i] = Number.NEGATIVE_INFINITY;
    if (e.fewestAfter <= remaining) {
      const { tokens, finishAfter } = e;
      for (let j = 0; j < tokens.length; j++) if (finishAfter[j]! > remaining) logits[tokens[j]!] = Number.NEGATIVE_INFINITY;
    }
    return true;
  }

  advance(token: number): void {
    const bytes = this.masks.vocabulary.bytes[token];
    const next = bytes ? this.masks.automaton.run(bytes, this.state) : [];
    if (next.length === 0) throw new Error(`token ${token} does not continue the constrained text`);
    this.state = next;
  }
}
