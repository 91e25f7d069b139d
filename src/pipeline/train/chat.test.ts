import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, crossEntropy, loadCheckpoint, saveCheckpoint, type Engine } from '../../engine/index.js';
import { chatTemplates, renderChatPrompt } from '../../inference/index.js';
import { createModel, presetSpec, toCheckpoint, type GPT } from '../../models/index.js';
import { byteTokenizer } from '../../tokenizer/index.js';
import { chatBatch, packChats, type PackedRow } from '../data/chat-pack.js';
import { tokenizeChat } from '../data/chat-tokens.js';
import { parseStep, runStep, validateStepParams } from '../runs/steps.js';
import { trainChat } from './chat.js';

const root = mkdtempSync(join(tmpdir(), 'qd-chat-'));
const spec = presetSpec('tiny', { vocabSize: 257, contextLength: 128, nLayer: 1, nHead: 2, dModel: 16 });
const base = join(root, 'base');
const bytes = byteTokenizer();
let engine: Engine;

const line = (user: string, answer: string) => JSON.stringify({ messages: [{ role: 'user', content: user }, { role: 'assistant', content: answer }] });
const file = (name: string, lines: string[]) => {
  const path = join(root, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
};
const fast = { batchSize: 2, evalEvery: 2, warmupSteps: 0, lr: 1e-3, seed: 5 };

beforeAll(async () => {
  engine = await createEngine({ threads: 1 });
  await saveCheckpoint(base, toCheckpoint(spec, createModel(engine, spec, { seed: 1 }), undefined, bytes.toJSON()));
});
afterAll(async () => {
  await engine?.dispose();
  rmSync(root, { recursive: true, force: true });
});

describe('masked loss: prompt tokens carry zero gradient', () => {
  const convo = { line: 1, messages: [{ role: 'user' as const, content: 'hi' }, { role: 'assistant' as const, content: 'yo' }, { role: 'user' as const, content: 'bye' }] };
  const row = (): PackedRow => packChats([tokenizeChat(convo, chatTemplates.chatml!, bytes, 257)], 127)[0]!;

  it('gives d(loss)/d(logits) exactly 0 at every prompt position, and the loss is the mean over answer tokens only', () => {
    const model = createModel(engine, spec, { seed: 2 }) as GPT;
    const { batch, targets } = chatBatch([row()]);
    expect(targets).toBe(Buffer.byteLength('yo<|im_end|>\n'));
    engine.resetArena();
    const logits = engine.noGrad(() => model.forward(batch.ids, batch.shape).logits.toArray());
    const V = 257;
    const leaf = engine.parameter([batch.shape[1], V], logits);
    const loss = crossEntropy(leaf, batch.targets);
    engine.backward(loss);
    const grad = engine.gradOf(leaf)!;
    // Reference: the mean of -log softmax at the trained positions, in float64 from the same logits.
    let sum = 0;
    let scored = 0;
    for (let t = 0; t < batch.shape[1]; t++) {
      const g = grad.subarray(t * V, (t + 1) * V);
      const target = batch.targets[t]!;
      if (target === -100) {
        expect(g.every((x) => x === 0)).toBe(true);
        continue;
      }
      expect(g.some((x) => x !== 0)).toBe(true);
      const z = Array.from(logits.subarray(t * V, (t + 1) * V));
      const max = Math.max(...z);
      sum += max + Math.log(z.reduce((s, x) => s + Math.exp(x - max), 0)) - z[target]!;
      scored++;
    }
    expect(scored).toBe(targets);
    expect(loss.item()).toBeCloseTo(sum / scored, 5);
  });

  it('leaves the loss and every parameter gradient bit-identical when a prompt target changes, unlike a trained one', () => {
    const model = createModel(engine, spec, { seed: 3 }) as GPT;
    const params = [...model.parameters().values()];
    const run = (r: PackedRow) => {
      for (const p of params) engine.gradOf(p)!.fill(0);
      engine.resetArena();
      const { batch } = chatBatch([r]);
      const loss = model.forward(batch.ids, batch.shape, batch.targets).loss!;
      const value = loss.item();
      engine.backward(loss);
      return { value, grads: params.map((p) => Float32Array.from(engine.gradOf(p)!)) };
    };
    const original = row();
    const last = original.ids.length - 1;
    // The conversation ends with a user message: its last id is a target only, and a prompt target.
    expect(original.trained[last]).toBe(0);
    const changed: PackedRow = { ...original, ids: Int32Array.from(original.ids, (id, i) => (i === last ? (id + 7) % 256 : id)) };
    const trained: PackedRow = { ...changed, trained: Uint8Array.from(original.trained, (f, i) => (i === last ? 1 : f)) };
    const a = run(original);
    const b = run(changed);
    expect(b.value).toBe(a.value);
    b.grads.forEach((g, i) => expect(g).toEqual(a.grads[i]));
    expect(run(trained).value).not.toBe(a.value);
  });
});

describe('packing keeps conversations apart', () => {
  it('gives a packed row exactly the loss and gradients of its conversations in rows of their own', () => {
    const model = createModel(engine, presetSpec('tiny', { vocabSize: 257, contextLength: 256, nLayer: 1, nHead: 2, dModel: 16 }), { seed: 4 }) as GPT;
    const params = [...model.parameters().values()];
    const convos = [['hi', 'yo'], ['what', 'that'], ['a', 'b']].map(([u, a], i) => tokenizeChat({ line: i + 1, messages: [{ role: 'user', content: u! }, { role: 'assistant', content: a! }] }, chatTemplates.chatml!, bytes, 257));
    const run = (rows: PackedRow[]) => {
      for (const p of params) engine.gradOf(p)!.fill(0);
      engine.resetArena();
      const b = chatBatch(rows);
      const loss = model.forward(b.batch.ids, b.batch.shape, b.batch.targets, b.segments).loss!;
      const value = loss.item();
      engine.backward(loss);
      return { value, grads: params.map((p) => Float32Array.from(engine.gradOf(p)!)) };
    };
    const packed = packChats(convos, 255);
    expect(packed).toHaveLength(1);
    const alone = run(packChats(convos, 255, false));
    const together = run(packed);
    expect(together.value).toBeCloseTo(alone.value, 6);
    together.grads.forEach((g, i) => g.forEach((x, j) => expect(x).toBeCloseTo(alone.grads[i]![j]!, 5)));
    // Without segments the second and third conversations see the first: a different loss.
    engine.resetArena();
    const b = chatBatch(packed);
    expect(model.forward(b.batch.ids, b.batch.shape, b.batch.targets).loss!.item()).not.toBeCloseTo(alone.value, 6);
  });
});

describe('trainChat', () => {
  it('fine-tunes with a validation file, records the template in the checkpoint, and counts trained tokens', async () => {
    const qa = Array.from({ length: 4 }, (_, i) => line(`q${i}`, `a${i}`));
    const train = file('train.jsonl', qa);
    const val = file('val.jsonl', [line('q9', 'a9')]);
    const out = join(root, 'run-ok');
    const outcome = await runStep('finetune', { task: 'chat', checkpoint: base, trainFile: train, validationFile: val, outDir: out, epochs: 2, packing: false, ...fast }, { engine });
    const m = outcome.metrics as Record<string, unknown> & { chat: Record<string, unknown>; curve: Array<{ valLoss?: number }> };
    // Each conversation: <|endoftext|>, its chatml rendering (one id per byte), the closing <|endoftext|>.
    const rendered = (u: string, a: string) => Buffer.byteLength(renderChatPrompt('chatml', [{ role: 'user', content: u }]).prompt + `${a}<|im_end|>\n`) + 2;
    const fileTokens = [0, 1, 2, 3].reduce((n, i) => n + rendered(`q${i}`, `a${i}`), 0);
    expect(m.chat).toMatchObject({ chatTemplate: 'chatml', packing: false, trainExamples: 4, trainSequences: 4, fileTokens, epochs: 2, validationSource: 'file', validationExamples: 1 });
    // 4 sequences, 2 per step, 2 epochs: 4 steps, every sequence drawn twice.
    expect(m.steps).toBe(4);
    expect(m.trainedTokens).toBe(2 * fileTokens);
    expect(m.validation).toMatchObject({ unit: 'tokens', scored: Buffer.byteLength('a9<|im_end|>\n') + 1 });
    expect(m.curve.filter((p) => p.valLoss !== undefined)).toHaveLength(2);
    const ckpt = await loadCheckpoint(String(m.modelDir));
    expect(ckpt.config.chatTemplate).toBe('chatml');
  });

  it('trains every conversation exactly `epochs` times when batches do not divide the file', async () => {
    const train = file('five.jsonl', Array.from({ length: 5 }, (_, i) => line(`x${i}`, `y${i}`)));
    const s = await trainChat({ checkpoint: base, trainFile: train, outDir: join(root, 'five'), epochs: 3, packing: false, gradAccum: 2, ...fast }, { engine });
    // 15 row positions over micro-batches of at most 2, 2 per step: 4 steps.
    expect(s.steps).toBe(4);
    expect(s.chat).toMatchObject({ trainSequences: 5, epochs: 3 });
    expect(s.trainedTokens).toBe(3 * Number(s.chat!.fileTokens));
  });

  it('refuses a bad line in either file before writing anything', async () => {
    const good = file('good.jsonl', [line('a', 'b')]);
    const bad = file('bad.jsonl', [line('a', 'b'), '{"messages": [{"role": "user", "content": "x"}]}']);
    const out = join(root, 'run-bad');
    await expect(trainChat({ checkpoint: base, trainFile: bad, outDir: out, steps: 2 }, { engine })).rejects.toMatchObject({
      code: 'QD_FINETUNE_FILE_INVALID', param: 'trainFile', message: `${bad}, line 2: has no assistant message; each line needs at least one answer to learn`,
    });
    await expect(trainChat({ checkpoint: base, trainFile: good, validationFile: bad, outDir: out, steps: 2 }, { engine })).rejects.toMatchObject({ code: 'QD_FINETUNE_FILE_INVALID', param: 'validationFile' });
    const long = file('long.jsonl', [line('a', 'b'), line('x'.repeat(200), 'y')]);
    await expect(trainChat({ checkpoint: base, trainFile: long, outDir: out, steps: 2 }, { engine })).rejects.toMatchObject({
      code: 'QD_FINETUNE_FILE_INVALID', param: 'trainFile', message: expect.stringMatching(/long\.jsonl, line 2: the conversation is \d+ tokens as rendered, more than the 128 of one training sequence/),
    });
    await expect(trainChat({ checkpoint: base, trainFile: join(root, 'missing.jsonl'), outDir: out, steps: 2 }, { engine })).rejects.toMatchObject({ code: 'QD_DATA_UNREADABLE', param: 'trainFile' });
    expect(existsSync(out)).toBe(false);
  });

  it('checks its parameters before a run is queued, naming the option', () => {
    const p = { task: 'chat', checkpoint: base, trainFile: 'x.jsonl', outDir: join(root, 'never') };
    expect(() => validateStepParams(parseStep('finetune', { ...p, epochs: 2, steps: 3 }))).toThrow(expect.objectContaining({ code: 'QD_INVALID_REQUEST', param: 'params.epochs' }));
    expect(() => validateStepParams(parseStep('finetune', { ...p, steps: 3, warmupSteps: 5 }))).toThrow(expect.objectContaining({ param: 'params.warmupSteps' }));
    expect(() => parseStep('finetune', { ...p, chatTemplate: 'llama' })).toThrow(expect.objectContaining({ code: 'QD_INVALID_REQUEST', param: 'params.chatTemplate', message: 'params.chatTemplate: must be one of "plain", "chatml"' }));
    expect(() => parseStep('finetune', { ...p, dataDir: 'd' })).toThrow(expect.objectContaining({ param: 'params.dataDir' }));
    expect(() => validateStepParams(parseStep('finetune', { ...p, epochs: 2 }))).not.toThrow();
  });

  it('resumes a stopped run to the loss curve of an uninterrupted one', async () => {
    const train = file('resume.jsonl', Array.from({ length: 6 }, (_, i) => line(`n${i}`, `m${i}`)));
    const o = { checkpoint: base, trainFile: train, steps: 6, checkpointEvery: 2, ...fast };
    const whole = await trainChat({ ...o, outDir: join(root, 'whole') }, { engine });
    const stop = new AbortController();
    const first = await trainChat({ ...o, outDir: join(root, 'split') }, { engine, signal: stop.signal, onPoint: (p) => { if (p.step === 3) stop.abort(); } });
    expect(first.outcome).toBe('stopped');
    const resumed = await trainChat({ ...o, outDir: join(root, 'split') }, { engine });
    const curve = (s: typeof whole) => s.curve.map((p) => [p.step, p.loss, p.valLoss ?? null]);
    expect(curve(resumed)).toEqual(curve(whole));
    expect(resumed.trainedTokens).toBe(whole.trainedTokens);
  });
});
