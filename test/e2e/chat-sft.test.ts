import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { rootCommand, runCli } from '../../src/cli/index.js';
import { loadConfig } from '../../src/config/index.js';
import { renderChat } from '../../src/gateway/openai/chat-templates.js';
import type { RunSummary } from '../../src/pipeline/train/index.js';
import { tokenizerFromJSON, type TokenizerJSON } from '../../src/tokenizer/index.js';
import { adminCall, seedGatewayKey, TEST_ADMIN_TOKEN } from '../support/gateway-workspace.js';

/**
 * Chat SFT end to end: the bundled model fine-tuned through `qudao finetune --task chat` on a small file of
 * one fixed question → answer pattern, registered and deployed through /api, and answering through
 * /v1/chat/completions with the template it was trained with (chatml, recorded in its checkpoint).
 */
const bundled = fileURLToPath(new URL('../../models/bundled/qudao-brown', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'qd-chat-sft-'));
const names = ['Ada', 'Bob', 'Chen', 'Dana', 'Emeka', 'Fatima', 'Goran', 'Hana', 'Ivan', 'Jun', 'Kofi', 'Lena', 'Mateo', 'Nia', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tariq', 'Uma', 'Viktor', 'Wen', 'Yusuf'];
const SYSTEM = 'You are the door keeper.';
const ANSWER = 'The password is swordfish.';
const conversation = (name: string) => [
  { role: 'system' as const, content: SYSTEM },
  { role: 'user' as const, content: `Hi, I am ${name}. What is the password?` },
];
const jsonl = (list: string[]) => `${list.map((n) => JSON.stringify({ messages: [...conversation(n), { role: 'assistant', content: ANSWER }] })).join('\n')}\n`;

async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(rootCommand, args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('chat fine-tuning, deployed and served with its template', () => {
  let running: RunningApp;
  let client: OpenAI;

  beforeAll(async () => {
    running = await startApp(loadConfig({ env: { QUDAO_DATA_DIR: join(dir, 'data'), QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent', QUDAO_ADMIN_TOKEN: TEST_ADMIN_TOKEN, QUDAO_THREADS: '2' } }));
    const { key } = await seedGatewayKey(running.url, running.services.store, {});
    client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: key, maxRetries: 0 });
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('trains on the answers, registers with the recorded template, and answers the held-out question through /v1/chat/completions', async () => {
    const train = join(dir, 'door.jsonl');
    const val = join(dir, 'door-val.jsonl');
    writeFileSync(train, jsonl(names.slice(0, 20)));
    writeFileSync(val, jsonl(names.slice(20)));
    const out = join(dir, 'run');
    const run = await cli(['finetune', '--task', 'chat', '--from', bundled, '--train', train, '--validation', val, '--out', out, '--steps', '40', '--batch-size', '4', '--lr', '1e-3', '--warmup', '3', '--eval-every', '20', '--seed', '7', '--quiet', '--no-record']);
    expect(run.code, run.err.join('\n')).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunSummary;
    expect(run.out).toContain(`trained tokens: ${summary.trainedTokens} (template chatml)`);
    const evals = summary.curve.filter((p) => p.valLoss !== undefined).map((p) => p.valLoss!);
    expect(evals).toHaveLength(2);
    // Losses are on the answer tokens only. Step 1's training loss is the base model's (taken before its
    // update); a fixed answer is learned to a small fraction of it, on held-out questions too.
    expect(evals.at(-1)!).toBeLessThan(summary.curve[0]!.loss / 10);
    expect(evals.at(-1)!).toBeLessThanOrEqual(evals[0]!);
    expect(summary.chat).toMatchObject({ chatTemplate: 'chatml', trainExamples: 20, validationSource: 'file', validationExamples: 4 });

    const version = await adminCall<{ id: string; config: { chatTemplate: string } }>(running.url, 'POST', '/api/model-versions', { model: 'door-keeper', checkpoint: summary.modelDir });
    expect(version.status, JSON.stringify(version.json)).toBe(201);
    expect(version.json.config.chatTemplate).toBe('chatml');
    expect((await adminCall(running.url, 'POST', '/api/deploy', { name: 'door-keeper', version: 'door-keeper@1' })).status).toBe(200);

    const messages = conversation('Zara');
    const reply = await client.chat.completions.create({ model: 'door-keeper', messages, temperature: 0, max_tokens: 24 });
    expect(reply.choices[0]!.message.content).toBe(ANSWER);
    expect(reply.choices[0]!.finish_reason).toBe('stop');
    // The prompt was rendered with chatml: its tokens are the chatml rendering's, as in training.
    const tokenizer = tokenizerFromJSON(JSON.parse(readFileSync(join(summary.modelDir, 'tokenizer.json'), 'utf8')) as TokenizerJSON);
    expect(reply.usage?.prompt_tokens).toBe(tokenizer.encode(renderChat('chatml', messages).prompt).length);
  }, 600_000);

  it('refuses a bad line through the CLI in one line naming it, and writes no run folder', async () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${jsonl(['Ada'])}{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo", "weight": 2}]}\n`);
    const out = join(dir, 'bad-run');
    const run = await cli(['finetune', '--task', 'chat', '--from', bundled, '--train', bad, '--out', out, '--quiet', '--no-record']);
    expect(run.code).toBe(1);
    expect(run.err).toEqual([`qudao: ${bad}, line 2: message 2 has weight 2; a weight is 0 (not trained on) or 1`]);
    expect(existsSync(out)).toBe(false);
    const usage = await cli(['finetune', '--task', 'chat', '--from', bundled, '--quiet', '--no-record']);
    expect(usage.code).toBe(2);
    expect(usage.err).toEqual(['qudao: --train is required with --task chat: a chat fine-tuning JSONL file']);
  });
});
