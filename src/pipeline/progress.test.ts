import { describe, expect, it } from 'vitest';
import { formatProgressLine, silentProgress, terminalProgress } from './progress.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 200, write: (s: string) => writes.push(s) } };
}

describe('formatProgressLine', () => {
  it('shows bar, percent, counts, rate, ETA and extra fields', () => {
    const line = formatProgressLine({ label: 'train', done: 250, total: 1000, elapsedMs: 10_000, fields: { loss: 3.21, 'tok/s': 12000 } }, 10);
    expect(line).toBe('train [###.......] 25% 250/1000 25/s ETA 0:30 loss=3.21 tok/s=12.0k');
  });
  it('says how long a finished phase took, and drops the bar when the total is unknown', () => {
    expect(formatProgressLine({ label: 'x', done: 10, total: 10, elapsedMs: 3_723_000, fields: {} }, 4)).toBe('x [####] 100% 10/10 0.00269/s in 1:02:03');
    expect(formatProgressLine({ label: 'read', done: 1_500_000, total: 0, elapsedMs: 2000, fields: {} })).toBe('read 1.50M 750k/s');
  });
});

describe('terminalProgress', () => {
  it('on a non-TTY prints a line only every logEveryMs and at done', () => {
    let t = 0;
    const { writes, stream } = fakeStream(false);
    const p = terminalProgress({ stream, now: () => t, logEveryMs: 5000 });
    p.start(100, 'docs');
    for (let i = 0; i < 100; i++) {
      t += 100;
      p.tick();
    }
    p.done();
    expect(writes).toEqual(['docs [############............] 50% 50/100 10/s ETA 0:05\n', 'docs [########################] 100% 100/100 10/s in 0:10\n']);
  });
  it('on a TTY redraws in place and ends the phase with a newline', () => {
    let t = 0;
    const { writes, stream } = fakeStream(true);
    const p = terminalProgress({ stream, now: () => t });
    p.start(2, 'x');
    t = 1000;
    p.tick(1, { loss: 2.5 });
    p.done();
    expect(writes.every((w) => w.startsWith('\r\x1b[2K'))).toBe(true);
    expect(writes.at(-1)).toMatch(/x \[.*\] 50% 1\/2 1\/s ETA 0:01 loss=2.5\n$/);
  });
  it('silentProgress accepts every call', () => {
    const p = silentProgress();
    p.start(1, 'x');
    p.tick(1, { a: 1 });
    p.done();
  });
});
