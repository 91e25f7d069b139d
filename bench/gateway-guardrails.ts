/**
 * The guardrail part of `npm run bench:gateway`: the same chat request, one client at a time, to three
 * deployments of the same mock upstream — no guardrails; a blocklist (100 terms) and two RE2 patterns on
 * the input and the output; a classifier guardrail on the input (the bundled model with a classification
 * head, run in-process on the engine) — and the p50 / p99 of each, and their ratio to no guardrails.
 *
 * The classifier is the spam classifier `npm run finetune:spam` writes (`data/spam-work/run/checkpoint`)
 * when it is there; otherwise the bundled model packed with an untrained head, which costs exactly as much
 * to run (same architecture, same tokens) but classifies nothing useful.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, saveCheckpoint } from '../src/engine/index.js';
import { SequenceClassifier } from '../src/models/index.js';
import { classifierCheckpoint, languageModelFrom, readCheckpoint } from '../src/pipeline/train/index.js';
import { migrate, newId, openStore, schema } from '../src/store/index.js';
import { tokenizerFromJSON, type TokenizerJSON } from '../src/tokenizer/index.js';
import { closedLoop, quantile, type RunResult, type Target } from './load-generator.js';

/** The deployments the guardrail bench calls, by what they check. */
export const GUARDRAIL_DEPLOYMENTS = { none: 'bench', rules: 'bench-rules', classifier: 'bench-classifier' } as const;

/** A classifier checkpoint folder: the fine-tuned spam classifier, or the bundled model with an untrained head. */
async function classifierFolder(root: string): Promise<{ dir: string; trained: boolean }> {
  const spam = join(root, 'data/spam-work/run/checkpoint');
  if (existsSync(join(spam, 'checkpoint.json'))) return { dir: spam, trained: true };
  const engine = await createEngine({ threads: 1 });
  const pretrained = await readCheckpoint(join(root, 'models/bundled/qudao-brown'));
  const { spec, model } = languageModelFrom(engine, pretrained, 'bundled');
  const padId = tokenizerFromJSON(pretrained.tokenizer as TokenizerJSON).eotId;
  const head = new SequenceClassifier(model, { numClasses: 2, padId, seed: 1 });
  const dir = join(mkdtempSync(join(tmpdir(), 'qd-bench-classifier-')), 'checkpoint');
  await saveCheckpoint(dir, classifierCheckpoint(spec, model, head, { labels: ['ham', 'spam'], padId, seqLen: 128 }, pretrained.tokenizer));
  return { dir, trained: false };
}

/** Adds the two guarded deployments (and the classifier version) to a seeded workspace. */
export async function seedGuardrails(config: { dataDir: string; databaseUrl: string | undefined }, upstreamUrl: string, root: string): Promise<{ trained: boolean }> {
  const { dir, trained } = await classifierFolder(root);
  const store = await openStore(config);
  await migrate(store);
  const id = newId('b');
  const rules = `dep_rules_${id}`;
  const classifier = `dep_cls_${id}`;
  await store.db.insert(schema.deployments).values([
    { id: rules, name: GUARDRAIL_DEPLOYMENTS.rules, kind: 'upstream', upstreamUrl, upstreamModel: 'bench' },
    { id: classifier, name: GUARDRAIL_DEPLOYMENTS.classifier, kind: 'upstream', upstreamUrl, upstreamModel: 'bench' },
  ]);
  const checkpoint = await readCheckpoint(dir);
  await store.db.insert(schema.models).values({ id: `mdl_${id}`, name: `bench-spam-${id}`, kind: 'gpt-classifier' });
  await store.db.insert(schema.modelVersions).values({ id: `mv_${id}`, modelId: `mdl_${id}`, version: 1, config: checkpoint.config, checkpointPath: dir });
  const terms = Array.from({ length: 100 }, (_, i) => `forbidden term ${i}`);
  const patterns = ['\\b\\d{4}[ -]?\\d{4}[ -]?\\d{4}[ -]?\\d{4}\\b', '[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}'];
  await store.db.insert(schema.guardrails).values([
    { id: `grd_a_${id}`, deploymentId: rules, name: 'terms in', stage: 'input', kind: 'blocklist', action: 'refuse', config: { terms } },
    { id: `grd_b_${id}`, deploymentId: rules, name: 'patterns in', stage: 'input', kind: 'regex', action: 'redact', config: { patterns } },
    { id: `grd_c_${id}`, deploymentId: rules, name: 'terms out', stage: 'output', kind: 'blocklist', action: 'redact', config: { terms } },
    { id: `grd_d_${id}`, deploymentId: rules, name: 'patterns out', stage: 'output', kind: 'regex', action: 'redact', config: { patterns } },
    { id: `grd_e_${id}`, deploymentId: classifier, name: 'spam', stage: 'input', kind: 'classifier', action: 'flag', config: { classifier: { modelVersionId: `mv_${id}`, label: 'spam', threshold: 0.99 } } },
  ]);
  await store.close();
  return { trained };
}

function ms(n: number): string {
  return `${n.toFixed(2)} ms`;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * Measures the three deployments one client at a time, for `seconds` each, `rounds` times (none and rules
 * alternating, so a burst of outside load hits both alike; the classifier after them), and prints the
 * median round's p50 / p99 and the ratios to no guardrails.
 */
export async function measureGuardrails(baseUrl: string, key: string, seconds: number, rounds: number, trained: boolean): Promise<void> {
  const target = (model: string): Target => ({
    url: `${baseUrl}/v1/chat/completions`,
    headers: { authorization: `Bearer ${key}` },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello to the team and tell them the meeting moved to Thursday.' }], max_tokens: 5 }),
  });
  const runs: Record<string, RunResult[]> = { none: [], rules: [], classifier: [] };
  const measure = async (what: keyof typeof GUARDRAIL_DEPLOYMENTS) => runs[what]!.push(await closedLoop(target(GUARDRAIL_DEPLOYMENTS[what]), 1, seconds));
  for (const model of [GUARDRAIL_DEPLOYMENTS.none, GUARDRAIL_DEPLOYMENTS.rules]) await closedLoop(target(model), 1, 2); // warm-up: JIT, connections
  // Which runs first alternates, so an effect of position on a shared machine hits both alike.
  for (let r = 0; r < rounds; r++) for (const what of r % 2 === 0 ? (['none', 'rules'] as const) : (['rules', 'none'] as const)) await measure(what);
  // The classifier last: once the engine's worker threads have run, they share the cores with what follows.
  await closedLoop(target(GUARDRAIL_DEPLOYMENTS.classifier), 1, 2); // warm-up: the classifier's first load
  for (let r = 0; r < rounds; r++) await measure('classifier');
  const p = (what: string, q: number) => median(runs[what]!.map((r) => quantile(r.latenciesMs, q)));
  console.log(`\nguardrail latency, one client, ${seconds} s each, median of ${rounds} rounds (classifier: ${trained ? 'the fine-tuned spam classifier' : 'bundled model with an untrained head, same cost'})`);
  for (const what of Object.keys(runs)) {
    const ok = runs[what]!.reduce((n, r) => n + r.ok, 0);
    const failed = runs[what]!.reduce((n, r) => n + r.failed, 0);
    console.log(`  ${what.padEnd(10)} ${String(ok).padStart(6)} ok, ${failed} failed, p50 ${ms(p(what, 0.5))}, p99 ${ms(p(what, 0.99))}  (vs none: ${(p(what, 0.5) / p('none', 0.5)).toFixed(2)}x / ${(p(what, 0.99) / p('none', 0.99)).toFixed(2)}x)`);
  }
}
