import { mkdtemp, readFile, writeFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSafetensors, writeSafetensors, SafetensorsError } from './safetensors.js';
import { saveCheckpoint, loadCheckpoint, CheckpointError, type Checkpoint } from './checkpoint.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), 'qd-ckpt-'));
  dirs.push(d);
  return d;
}

describe('safetensors', () => {
  it('round-trips F32 tensors and follows the byte layout', () => {
    const bytes = writeSafetensors([['a', { shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) }], ['b', { shape: [1], data: Float32Array.from([-0.5]) }]]);
    const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLen) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen))) as Record<string, { data_offsets: number[] }>;
    expect(header.a!.data_offsets).toEqual([0, 16]);
    expect(new Float32Array(bytes.buffer.slice(8 + headerLen + 16, 8 + headerLen + 20))[0]).toBe(-0.5);
    const back = readSafetensors(bytes).tensors;
    expect([...back.get('a')!.data]).toEqual([1, 2, 3, 4]);
    expect(back.get('a')!.shape).toEqual([2, 2]);
  });
  it('reads F16 and BF16', () => {
    const json = JSON.stringify({ h: { dtype: 'F16', shape: [2], data_offsets: [0, 4] }, b: { dtype: 'BF16', shape: [1], data_offsets: [4, 6] } });
    const head = new TextEncoder().encode(json);
    const bytes = new Uint8Array(8 + head.length + 6);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(head.length), true);
    bytes.set(head, 8);
    const dv = new DataView(bytes.buffer, 8 + head.length);
    dv.setUint16(0, 0x3c00, true); // 1.0
    dv.setUint16(2, 0xc000, true); // -2.0
    dv.setUint16(4, 0x3fc0, true); // 1.5 in bfloat16
    const t = readSafetensors(bytes).tensors;
    expect([...t.get('h')!.data]).toEqual([1, -2]);
    expect(t.get('b')!.data[0]).toBe(1.5);
  });
  it('rejects truncated and malformed files', () => {
    const good = writeSafetensors([['a', { shape: [4], data: new Float32Array(4) }]]);
    expect(() => readSafetensors(good.subarray(0, good.length - 3))).toThrow(SafetensorsError);
    expect(() => readSafetensors(good.subarray(0, 5))).toThrow(/too short/);
    const bad = Uint8Array.from(good);
    bad[10] = 0x7b; // break the JSON
    bad[11] = 0x7b;
    expect(() => readSafetensors(bad)).toThrow(SafetensorsError);
  });
});

describe('checkpoints', () => {
  const ckpt: Checkpoint = {
    config: { kind: 'gpt', nLayer: 1 },
    weights: new Map([['w', { shape: [3], data: Float32Array.from([1, 2, 3]) }]]),
    tokenizer: { type: 'bpe', vocab: { a: 0 } },
    training: {
      step: 7,
      optimizer: { step: 7, buffers: new Map([['w.exp_avg', Float32Array.from([0.1, 0.2, 0.3])]]) },
      rng: { dropout: { s: [1, 2, 3, 4], spare: null } },
      extra: { epoch: 2 },
    },
  };

  it('save then load gives everything back, and replaces an older checkpoint', async () => {
    const dir = path.join(await tempDir(), 'step-7');
    await saveCheckpoint(dir, { ...ckpt, config: { old: true } });
    await saveCheckpoint(dir, ckpt);
    const back = await loadCheckpoint(dir);
    expect(back.config).toEqual(ckpt.config);
    expect(back.tokenizer).toEqual(ckpt.tokenizer);
    expect([...back.weights.get('w')!.data]).toEqual([1, 2, 3]);
    expect(back.training!.step).toBe(7);
    expect(back.training!.rng).toEqual(ckpt.training!.rng);
    expect(back.training!.extra).toEqual({ epoch: 2 });
    expect(back.training!.optimizer!.step).toBe(7);
    expect([...back.training!.optimizer!.buffers.get('w.exp_avg')!]).toEqual([...Float32Array.from([0.1, 0.2, 0.3])]);
    // no temporary directories left behind
    expect((await readdir(path.dirname(dir))).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('rejects a corrupted weight file with a clear error', async () => {
    const dir = path.join(await tempDir(), 'c');
    await saveCheckpoint(dir, ckpt);
    const file = path.join(dir, 'model.safetensors');
    const bytes = await readFile(file);
    bytes[bytes.length - 1] ^= 0xff;
    await writeFile(file, bytes);
    await expect(loadCheckpoint(dir)).rejects.toThrow(CheckpointError);
    await expect(loadCheckpoint(dir)).rejects.toThrow(/model\.safetensors is corrupt/);
  });

  it('rejects a directory that is not a checkpoint', async () => {
    await expect(loadCheckpoint(await tempDir())).rejects.toThrow(/no readable checkpoint\.json/);
  });
});
