import type { Module, SafetensorsEntry } from '../engine/index.js';

/** Weights that do not fit the model they are loaded into. */
export class StateDictError extends Error {
  override readonly name = 'StateDictError';
}

/**
 * Buffers in Hugging Face GPT-2 files that are not parameters: the causal mask and, since the
 * output layer is tied to `wte`, `lm_head.weight`.
 */
const IGNORED = /(^|\.)attn\.(bias|masked_bias)$|^lm_head\.weight$/;

/** The model's parameters as named arrays (views, not copies), in registration order. */
export function stateDict(model: Module): Map<string, SafetensorsEntry> {
  const out = new Map<string, SafetensorsEntry>();
  for (const [name, t] of model.parameters()) out.set(name, { shape: [...t.shape], data: t.data });
  return out;
}

/**
 * Copies `weights` into the model's parameters. Accepts Hugging Face names with or without the
 * `transformer.` prefix and skips GPT-2's non-parameter buffers. Throws {@link StateDictError}
 * naming every missing, unexpected or mis-shaped tensor, before changing anything.
 */
export function loadStateDict(model: Module, weights: Map<string, SafetensorsEntry>): void {
  const params = model.parameters();
  const byName = new Map<string, SafetensorsEntry>();
  for (const [raw, t] of weights) {
    const name = params.has(raw) ? raw : raw.replace(/^transformer\./, '');
    if (IGNORED.test(name)) continue;
    byName.set(name, t);
  }
  const problems: string[] = [];
  for (const [name, p] of params) {
    const w = byName.get(name);
    if (!w) problems.push(`missing ${name}`);
    else if (w.shape.length !== p.shape.length || w.shape.some((d, i) => d !== p.shape[i])) {
      problems.push(`${name}: file has shape [${w.shape.join(', ')}], model expects [${p.shape.join(', ')}]`);
    }
  }
  for (const name of byName.keys()) if (!params.has(name)) problems.push(`unexpected ${name}`);
  if (problems.length > 0) {
    const shown = problems.slice(0, 8).join('; ');
    throw new StateDictError(`weights do not match the model (${problems.length} problems): ${shown}${problems.length > 8 ? '; ...' : ''}`);
  }
  for (const [name, p] of params) p.data.set(byName.get(name)!.data);
}
