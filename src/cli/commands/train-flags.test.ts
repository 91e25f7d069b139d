import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../command.js';
import { classifyOptions, defaultRunFolder, trainingOptions } from './train-flags.js';

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

describe('classifier flags of qudao finetune', () => {
  it('map onto the classify options, absent flags left out', () => {
    expect(classifyOptions({ pooling: 'mean', truncation: 'head+tail', 'class-weights': 'balanced' })).toEqual({ pooling: 'mean', truncation: 'head+tail', classWeights: 'balanced' });
    expect(classifyOptions({ 'class-weights': '1, 3' })).toEqual({ classWeights: [1, 3] });
    expect(classifyOptions({})).toEqual({});
  });
  it('refuse a value they do not know with one line naming the choices', () => {
    expect(() => classifyOptions({ pooling: 'max' })).toThrow(/--pooling must be last, mean; got "max"/);
    expect(() => classifyOptions({ truncation: 'tail' })).toThrow(/--truncation must be head, head\+tail, chunk-and-pool/);
    expect(() => classifyOptions({ 'class-weights': '1,x' })).toThrow(/--class-weights wants balanced or one non-negative number per label/);
    expect(() => classifyOptions({ 'class-weights': '2' })).toThrow(UsageError);
  });
});
