import { createEngine } from '../../engine/index.js';
import { TextGenerator } from '../../inference/index.js';
import { languageModelFrom, readCheckpoint } from '../../pipeline/train/index.js';
import { tokenizerFromJSON, type TokenizerJSON } from '../../tokenizer/index.js';
import { UsageError, type Command } from '../command.js';
import { numberFlag, requiredFlag } from './pipeline-run.js';

/** `qudao generate`: sample text from a checkpoint folder in this process (no server, no database). */
export const generateCommand: Command = {
  name: 'generate',
  summary: 'Generate text from a checkpoint (e.g. models/bundled/qudao-brown or a run\'s best/).',
  flags: {
    model: { type: 'string', doc: 'Checkpoint folder.', placeholder: 'DIR' },
    prompt: { type: 'string', short: 'p', doc: 'Text to continue (default: start of a document).', placeholder: 'TEXT' },
    'max-tokens': { type: 'string', doc: 'Tokens to generate (default 80).', placeholder: 'N' },
    temperature: { type: 'string', doc: 'Softmax temperature, 0 = greedy (default 0.8).', placeholder: 'X' },
    'top-p': { type: 'string', doc: 'Nucleus sampling mass (default 0.95).', placeholder: 'X' },
    seed: { type: 'string', doc: 'Sampling seed (same seed, same text).', placeholder: 'N' },
  },
  async run(ctx) {
    const dir = requiredFlag(ctx.flags, 'model', 'a checkpoint folder');
    const ckpt = await readCheckpoint(dir);
    if (!ckpt.tokenizer) throw new UsageError(`${dir} holds no tokenizer.json`);
    const tokenizer = tokenizerFromJSON(ckpt.tokenizer as TokenizerJSON);
    const prompt = typeof ctx.flags.prompt === 'string' ? ctx.flags.prompt : '';
    const engine = await createEngine({ threads: 2 });
    try {
      const { model } = languageModelFrom(engine, ckpt, dir);
      // The gateway's in-process models sample through the same TextGenerator: same prompt, parameters and seed, same text.
      const text = new TextGenerator(model, tokenizer, { maxBatch: 1 });
      const seed = numberFlag(ctx.flags, 'seed');
      try {
        const result = await text.generate({
          prompt,
          maxTokens: numberFlag(ctx.flags, 'max-tokens') ?? 80,
          temperature: numberFlag(ctx.flags, 'temperature') ?? 0.8,
          topP: numberFlag(ctx.flags, 'top-p') ?? 0.95,
          seed,
        });
        ctx.out(prompt + result.text);
      } finally {
        text.dispose();
      }
    } finally {
      await engine.dispose();
    }
  },
};
