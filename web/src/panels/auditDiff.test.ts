import { describe, expect, it } from 'vitest';
import { diffLines } from './auditDiff.js';

describe('diffLines', () => {
  it('reads a create as one line per field with a value', () => {
    expect(diffLines([{ op: 'test', path: '', value: null }, { op: 'replace', path: '', value: { id: 'plan_1', name: 'Pro', rpmLimit: null, inputPer1mMicros: 100 } }])).toEqual([
      { op: 'added', field: 'name', value: 'Pro' },
      { op: 'added', field: 'inputPer1mMicros', value: '100' },
    ]);
  });

  it('reads an update as old → new from the test operations, and a delete as the fields it removed', () => {
    expect(diffLines([{ op: 'test', path: '/status', value: 'draft' }, { op: 'replace', path: '/status', value: 'final' }, { op: 'test', path: '/note', value: 'x' }, { op: 'remove', path: '/note' }, { op: 'add', path: '/tags/0', value: { a: 1 } }])).toEqual([
      { op: 'set', field: 'status', value: 'final', from: 'draft' },
      { op: 'removed', field: 'note', value: '', from: 'x' },
      { op: 'added', field: 'tags/0', value: '{"a":1}' },
    ]);
    expect(diffLines([{ op: 'test', path: '', value: { id: 'u1', email: 'a@b.c' } }, { op: 'replace', path: '', value: null }])).toEqual([{ op: 'removed', field: 'email', value: '', from: 'a@b.c' }]);
  });

  it('shortens long values; a patch without test operations still reads', () => {
    const [line] = diffLines([{ op: 'replace', path: '/text', value: 'x'.repeat(200) }]);
    expect(line!.value).toHaveLength(80);
    expect(line!.value.endsWith('…')).toBe(true);
    expect(line!.from).toBeUndefined();
  });
});
