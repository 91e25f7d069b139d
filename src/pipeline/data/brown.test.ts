import { describe, expect, it } from 'vitest';
import { brownToText, readBrownCorpus } from './brown.js';

describe('brownToText', () => {
  it('strips tags, attaches punctuation, turns TeX quotes into ASCII and keeps paragraphs', () => {
    const raw = [
      '',
      "\tThe/at jury/nn said/vbd ``/`` no/at evidence/nn ''/'' was/bedz found/vbn ,/, Mr./np Allen/np Jr./np ./.",
      "It/pps cost/vbd $/$ 5/cd (/( or/cc 1/2/cd )/) ;/. it/pps wasn't/bedz* done/vbn !/.",
      '',
      '\tA/at new/jj paragraph/nn ?/.',
    ].join('\n');
    // The unindented "It cost" line continues the paragraph; the tab-indented one starts a new one.
    expect(brownToText(raw)).toBe('The jury said "no evidence" was found, Mr. Allen Jr. It cost $5 (or 1/2); it wasn\'t done!\nA new paragraph?');
  });
  it('puts headlines on their own line, undoes doubled ? ! ;, and moves punctuation inside closing quotes', () => {
    const raw = "Must/md-hl it/pps-hl end/vb-hl ?/.-hl ?/.-hl\nHe/pps said/vbd ;/. ;/. ``/`` Why/wrb ''/'' ?/. ?/.\n\n\t``/`` Go/vb ''/'' ,/, he/pps said/vbd ./.";
    expect(brownToText(raw)).toBe('Must it end?\nHe said; "Why?"\n"Go," he said.');
  });
  it('reads a slice of the real corpus as readable text', async () => {
    const docs = await readBrownCorpus({ limit: 2 });
    expect(docs.map((d) => d.id)).toEqual(['ca01', 'ca02']);
    expect(docs[0]!.text.startsWith('The Fulton County Grand Jury said Friday an investigation')).toBe(true);
    expect(docs[0]!.text).not.toMatch(/\/(at|nn|vbd)\b/);
  });
});
