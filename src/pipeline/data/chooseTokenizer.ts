import { readFile } from 'node:fs/promises';
import { byteTokenizer, gpt2Tokenizer, tokenizerFromJSON, trainBpe, type Tokenizer, type TokenizerJSON } from '../../tokenizer/index.js';
import type { Progress } from '../progress.js';
import { PipelineError } from './errors.js';
import type { TokenizerChoice } from './manifest.js';

/**
 * The tokenizer a data set is encoded with. A trained one learns from the train split only, so validation
 * text never shapes the vocabulary that later measures it.
 */
export async function chooseTokenizer(choice: TokenizerChoice, trainTexts: readonly string[], progress: Progress): Promise<Tokenizer> {
  switch (choice.kind) {
    case 'gpt2':
      return gpt2Tokenizer();
    case 'byte':
      return byteTokenizer();
    case 'file':
      return loadTokenizerFile(choice.path);
    case 'train': {
      progress.start(choice.vocabSize - 257, 'train tokenizer (merges)');
      let last = 0;
      const tok = trainBpe(trainTexts, {
        vocabSize: choice.vocabSize,
        onProgress: (done) => {
          progress.tick(done - last);
          last = done;
        },
      });
      progress.done();
      return tok;
    }
  }
}

async function loadTokenizerFile(path: string): Promise<Tokenizer> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new PipelineError('QD_DATA_UNREADABLE', `${path}: tokenizer file cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err });
  }
  try {
    return tokenizerFromJSON(JSON.parse(text) as TokenizerJSON);
  } catch (err) {
    throw new PipelineError('QD_DATA_OPTIONS', `${path}: not a Qudao tokenizer.json (${(err as Error).message}); use one written by npx qudao data prepare`, { cause: err });
  }
}
