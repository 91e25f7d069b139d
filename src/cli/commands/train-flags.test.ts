import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../command.js';
import { defaultRunFolder, trainingOptions } from './train-flags.js';

describe('training flags: where a run is written', () => {
  it('defaults the run folder into the data folder, named after --data, so the same command resumes it', () => {
    const runs = join('data', 'runs');
    expect(defaultRunFolder(runs, 'data/my')).toBe(join('data', 'runs', 'my'));
    expect(defaultRunFolder(runs, 'data/my/')).toBe(join('data', 'runs', 'my'));
    expect(defaultRunFolder(runs, 'data/reviews', '-classify')).toBe(join('data', 'runs', 'reviews-classify'));
    const options = trainingOptions({ data: 'data/my', steps: '10' }, (d) => defaultRunFolder(runs, d));
    expect(options).toMatchObject({ dataDir: 'data/my', outDir: join('data', 'runs', 'my'), steps: 10 });
  });

  it('keeps an explicit --out and still requires --data', () => {
    expect(trainingOptions({ data: 'd', out: '/tmp/x' }, () => 'unused').outDir).toBe('/tmp/x');
    expect(() => trainingOptions({ out: '/tmp/x' }, () => 'unused')).toThrow(UsageError);
  });
});
