import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PipelineError } from './errors.js';
import { bytesPerToken, readShard, SHARD_HEADER_BYTES, writeShard } from './shardFormat.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qudao-shard-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('token shard format', () => {
  it('picks uint16 up to 65,536 ids and uint32 above', () => {
    expect(bytesPerToken(257)).toBe(2);
    expect(bytesPerToken(50257)).toBe(2);
    expect(bytesPerToken(65536)).toBe(2);
    expect(bytesPerToken(65537)).toBe(4);
  });

  it('round-trips uint16 and uint32 tokens with the documented header', async () => {
    const small = Uint16Array.from([50256, 1, 2, 65535]);
    await writeShard(join(dir, 'a.bin'), small, 1, 50256);
    const raw = await readFile(join(dir, 'a.bin'));
    expect(raw.toString('latin1', 0, 4)).toBe('QDTK');
    expect([raw.readUInt32LE(4), raw.readUInt32LE(8), raw.readUInt32LE(12), Number(raw.readBigUInt64LE(16)), raw.readUInt32LE(24)]).toEqual([1, 2, 1, 4, 50256]);
    expect(raw.length).toBe(SHARD_HEADER_BYTES + 8);
    expect(await readShard(join(dir, 'a.bin'))).toEqual({ tokens: small, documents: 1, eotId: 50256 });

    const big = Uint32Array.from([100000, 7, 100000, 99999]);
    await writeShard(join(dir, 'b.bin'), big, 2, 100000);
    const back = await readShard(join(dir, 'b.bin'));
    expect(back.tokens).toBeInstanceOf(Uint32Array);
    expect(Array.from(back.tokens)).toEqual(Array.from(big));
  });

  it('rejects truncated and foreign files with a clear error', async () => {
    await writeShard(join(dir, 'c.bin'), Uint16Array.from([1, 2, 3]), 1, 0);
    const raw = await readFile(join(dir, 'c.bin'));
    await writeFile(join(dir, 'cut.bin'), raw.subarray(0, raw.length - 1));
    await writeFile(join(dir, 'png.bin'), Buffer.from('\x89PNG....................................'));
    await expect(readShard(join(dir, 'cut.bin'))).rejects.toThrow(/truncated/);
    await expect(readShard(join(dir, 'png.bin'))).rejects.toThrow(PipelineError);
    await expect(readShard(join(dir, 'none.bin'))).rejects.toMatchObject({ code: 'QD_DATA_UNREADABLE' });
  });
});
