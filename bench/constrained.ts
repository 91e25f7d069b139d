/**
 * `npm run bench:constrained`: the speed of constrained decoding (response_format / tools on in-process
 * models). Tokens/s of the bundled model (qudao-brown, 4,096-token BPE) generating free text, a `json_object`
 * answer and a `json_schema` answer, alternating in one process (--repeat rounds, default 3, each
 * --tokens tokens, default 96, batch 1, temperature 0.8), with the ratio constrained ÷ unconstrained (the
 * mask must not halve throughput), the share of the time the mask itself takes (clocked around it, so
 * the figure holds on a loaded machine where the ratio is noisy) and peak RSS. Then the mask alone on GPT-2's 50,257-token vocabulary:
 * microseconds per token to mask the logits and advance, cold (every state's mask computed by a trie walk)
 * and warm (masks cached by state), over a JSON text tokenized with GPT-2.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { createEngine, loadCheckpoint } from '../src/engine/index.js';
import { GrammarMasks, anyJsonObject, compileJsonSchema, generate, promptIds, tokenVocabulary, type TokenConstraint } from '../src/inference/index.js';
import { modelFromCheckpoint } from '../src/models/index.js';
import { gpt2Tokenizer, tokenizerFromJSON, type TokenizerJSON } from '../src/tokenizer/index.js';

const { values: flags } = parseArgs({ options: { repeat: { type: 'string', default: '3' }, tokens: { type: 'string', default: '96' }, threads: { type: 'string', default: '2' } } });
const repeat = Number(flags.repeat);
const tokens = Number(flags.tokens);
const line = (s: string): void => void process.stdout.write(s + '\n');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const peakRssMB = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

const schema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    age: { type: 'integer', minimum: 0, maximum: 150 },
    email: { type: ['string', 'null'] },
    tags: { type: 'array', items: { enum: ['new', 'vip', 'churned'] }, maxItems: 3 },
    address: { type: 'object', properties: { city: { type: 'string' }, zip: { type: 'string' } }, required: ['city', 'zip'], additionalProperties: false },
    notes: { type: 'array', items: { type: 'object', properties: { at: { type: 'number' }, text: { type: 'string' } }, required: ['at', 'text'], additionalProperties: false } },
  },
  required: ['name', 'age', 'email', 'tags', 'address', 'notes'],
  additionalProperties: false,
};

line(`Qudao constrained-decoding benchmark — ${os.cpus()[0]?.model ?? 'cpu'} ×${os.availableParallelism()}, Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

const checkpoint = await loadCheckpoint(new URL('../models/bundled/qudao-brown', import.meta.url).pathname);
const engine = await createEngine({ threads: Number(flags.threads) });
const { model } = modelFromCheckpoint(engine, checkpoint);
model.train?.(false);
const tokenizer = tokenizerFromJSON(checkpoint.tokenizer as TokenizerJSON);
const vocab = tokenVocabulary(tokenizer, model.vocabSize);
const prompt = promptIds(tokenizer, 'User: Describe a customer.\nAssistant:', model.vocabSize).ids;
const contenders: Array<{ label: string; masks: GrammarMasks | undefined }> = [
  { label: 'unconstrained', masks: undefined },
  { label: 'json_object', masks: new GrammarMasks(anyJsonObject(), vocab) },
  { label: 'json_schema', masks: new GrammarMasks(compileJsonSchema(schema), vocab) },
];

/** A constraint that also clocks itself: the share of the time the mask takes, apart from the model. */
function timed(inner: TokenConstraint, clock: { ms: number }): TokenConstraint {
  return {
    mask(logits, remaining) {
      const t0 = performance.now();
      const ok = inner.mask(logits, remaining);
      clock.ms += performance.now() - t0;
      return ok;
    },
    advance(token) {
      const t0 = performance.now();
      inner.advance(token);
      clock.ms += performance.now() - t0;
    },
    get complete() {
      return inner.complete;
    },
  };
}

const rows = contenders.map(() => ({ rates: [] as number[], maskShare: [] as number[], perToken: [] as number[] }));
let seed = 1;
for (let r = -1; r < repeat; r++) {
  for (const [i, c] of contenders.entries()) {
    const clock = { ms: 0 };
    const t0 = performance.now();
    const o = await generate(model, prompt, { maxTokens: tokens, temperature: 0.8, seed: seed++, stopTokenIds: [tokenizer.eotId], ...(c.masks ? { constraint: timed(c.masks.start(), clock) } : {}) });
    const ms = performance.now() - t0;
    // Round -1 warms up (kernels, and the masks of the states a first answer visits); it is not counted.
    if (r < 0) continue;
    rows[i]!.rates.push(o.tokens.length / (ms / 1000));
    rows[i]!.maskShare.push(clock.ms / ms);
    rows[i]!.perToken.push((clock.ms * 1000) / Math.max(1, o.tokens.length));
  }
}
line(`\nqudao-brown (V 4,096), batch 1, ${tokens} tokens per answer, tokens/s best / median of ${repeat} (alternating)`);
const base = median(rows[0]!.rates);
for (const [i, c] of contenders.entries()) {
  const row = rows[i]!;
  const med = median(row.rates);
  const extra = i === 0 ? '' : `   ratio to unconstrained (median) ${(med / base).toFixed(2)}x; the mask takes ${(median(row.maskShare) * 100).toFixed(1)}% of the time, ${fmt(median(row.perToken))} µs per token`;
  line(`  ${c.label.padEnd(14)} ${fmt(Math.max(...row.rates))} / ${fmt(med)}${extra}`);
}
line(`  peak RSS ${peakRssMB()} MB`);
engine.dispose();

// The mask alone on GPT-2's vocabulary (no model): what a 50k-token model would pay per token for it.
const gpt2 = gpt2Tokenizer();
const t0 = performance.now();
const vocabulary = tokenVocabulary(gpt2, gpt2.vocabSize);
const trieMs = performance.now() - t0;
const sample = JSON.stringify({ name: 'Ann Lee', age: 41, email: null, tags: ['vip', 'new'], address: { city: 'Oslo', zip: '0150' }, notes: [{ at: 1.5, text: 'called about the invoice' }, { at: 3, text: 'paid' }] });
const ids = gpt2.encode(sample);
const logits = new Float32Array(gpt2.vocabSize);
const pass = (masks: GrammarMasks): number => {
  const c = masks.start();
  const start = performance.now();
  for (const [i, id] of ids.entries()) {
    logits.fill(0);
    if (!c.mask(logits, Number.MAX_SAFE_INTEGER) || logits[id] === Number.NEGATIVE_INFINITY) throw new Error(`token ${i} of the sample was masked`);
    c.advance(id);
  }
  if (!c.complete) throw new Error('the sample did not complete');
  return ((performance.now() - start) * 1000) / ids.length;
};
const masks = new GrammarMasks(compileJsonSchema(schema), vocabulary);
const cold = pass(masks);
const warm = median(Array.from({ length: 5 }, () => pass(masks)));
line(`\nmask on GPT-2's vocabulary (50,257 ids; trie built once in ${fmt(trieMs)} ms), ${ids.length}-token JSON answer, µs per token`);
line(`  cold (each state's mask computed) ${fmt(cold)} µs, warm (cached by state) ${fmt(warm)} µs`);
line(`  peak RSS ${peakRssMB()} MB`);
line(`\nload at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (other processes share these cores; figures are noisy)`);
