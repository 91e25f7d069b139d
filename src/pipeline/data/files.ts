import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { BROWN_FILE } from './brown.js';
import { PipelineError } from './errors.js';

/** How an input file is read. `auto` picks by extension: `.jsonl`/`.ndjson`, `.csv`, else plain text. */
export type InputFormat = 'auto' | 'text' | 'jsonl' | 'csv' | 'brown';

/**
 * Extensions taken from folders when none are given. `''` stands for files without an extension (README,
 * LICENSE, corpus files named `ca01`): they are read as plain text, like `.txt`.
 */
export const DEFAULT_EXTENSIONS: readonly string[] = ['.txt', '.md', '.jsonl', '.ndjson', '.csv', ''];

/** One file to ingest, as found. */
export interface FoundFile {
  /** Path to open. */
  readonly path: string;
  /** Stable name used in document ids and the manifest: the input as given, plus the path inside a folder. */
  readonly name: string;
  /**
   * Name for document ids: the path inside its input folder, or the file name of a file given directly, so
   * that the train/val split does not change when the corpus is moved or named by another path.
   */
  readonly key: string;
  readonly bytes: number;
  /** The format actually used for this file. */
  readonly format: Exclude<InputFormat, 'auto'>;
}

/**
 * Expands the inputs into files, in a deterministic order (inputs as given, folders walked in sorted order).
 * Folders are walked recursively, skipping hidden entries, keeping `extensions` (`''` keeps files without an
 * extension; or, for the Brown format, corpus file names). A named file is always taken whatever its extension.
 */
export async function findInputFiles(inputs: readonly string[], format: InputFormat, extensions: readonly string[]): Promise<FoundFile[]> {
  const wanted = new Set(extensions.map((e) => (e === '' || e.startsWith('.') ? e : `.${e}`).toLowerCase()));
  const keep = (file: string) => (format === 'brown' ? BROWN_FILE.test(file.split('/').pop()!) : wanted.has(extname(file).toLowerCase()));
  const out: FoundFile[] = [];
  for (const input of inputs) {
    const info = await statOrFail(input);
    if (info.isFile()) out.push({ path: input, name: input, key: basename(input), bytes: info.size, format: formatOf(input, format) });
    else if (info.isDirectory()) {
      for (const rel of await walk(input)) {
        if (!keep(rel)) continue;
        const path = join(input, rel);
        out.push({ path, name: `${input.replace(/\/+$/, '')}/${rel}`, key: rel, bytes: (await statOrFail(path)).size, format: formatOf(rel, format) });
      }
    } else throw new PipelineError('QD_DATA_UNREADABLE', `${input}: neither a file nor a folder; pass text, JSONL or CSV files or folders of them`);
  }
  return out;
}

function formatOf(file: string, format: InputFormat): Exclude<InputFormat, 'auto'> {
  if (format !== 'auto') return format;
  const ext = extname(file).toLowerCase();
  return ext === '.jsonl' || ext === '.ndjson' ? 'jsonl' : ext === '.csv' ? 'csv' : 'text';
}

async function statOrFail(path: string) {
  try {
    return await stat(path);
  } catch (err) {
    throw new PipelineError('QD_DATA_UNREADABLE', `${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}); check the path and permissions`, { cause: err });
  }
}

/** Relative paths (with `/`) of all non-hidden files under `dir`, sorted. */
async function walk(dir: string, prefix = ''): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(join(dir, prefix), { withFileTypes: true });
  } catch (err) {
    throw new PipelineError('QD_DATA_UNREADABLE', `${join(dir, prefix)}: folder cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err });
  }
  const out: string[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (e.name.startsWith('.')) continue;
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await walk(dir, rel)));
    else if (e.isFile()) out.push(rel);
  }
  return out;
}
