import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Progress } from '../progress.js';
import { brownToText } from './brown.js';
import { parseCsv } from './csv.js';
import { PipelineError } from './errors.js';
import { DEFAULT_EXTENSIONS, findInputFiles, type FoundFile, type InputFormat } from './files.js';
import { decodeUtf8 } from './utf8.js';

/** Where the text (and label) of each record is found. */
export interface IngestOptions {
  /** Files and folders to read. */
  readonly inputs: readonly string[];
  /** Default `auto` (by extension). `brown` reads Brown corpus files (`word/TAG`) as readable text. */
  readonly format?: InputFormat;
  /** Extensions taken from folders (default `.txt .md .jsonl .ndjson .csv`). */
  readonly extensions?: readonly string[];
  /** JSONL: field holding the text (default `text`). */
  readonly textField?: string;
  /** CSV: column holding the text, by header name or 0-based index (default `text`). */
  readonly textColumn?: string;
  /** JSONL field or CSV column holding a class label; setting it makes the data set labeled. */
  readonly labelField?: string;
}

/** One document as read, before cleaning. */
export interface RawDocument {
  /**
   * Stable id: the file's path inside its input folder (or its name), plus `:line` (JSONL) or `:row` (CSV).
   * The train/val split hashes it. Error messages use the full path instead.
   */
  readonly id: string;
  readonly text: string;
  readonly label?: string;
}

/** One input file as recorded in the manifest. */
export interface InputRecord {
  readonly file: string;
  readonly format: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly documents: number;
}

/**
 * Reads every input into documents. Files are decoded as strict UTF-8; any unreadable file, bad encoding,
 * malformed line or missing column throws a {@link PipelineError} naming the file, before anything is written.
 */
export async function ingest(opts: IngestOptions, progress: Progress): Promise<{ documents: RawDocument[]; files: InputRecord[] }> {
  const files = await findInputFiles(opts.inputs, opts.format ?? 'auto', opts.extensions ?? DEFAULT_EXTENSIONS);
  progress.start(files.reduce((s, f) => s + f.bytes, 0), 'read bytes');
  const documents: RawDocument[] = [];
  const records: InputRecord[] = [];
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = await readFile(file.path);
    } catch (err) {
      throw new PipelineError('QD_DATA_UNREADABLE', `${file.name}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}); check permissions`, { cause: err });
    }
    const text = decodeUtf8(bytes, file.name);
    const docs = parseFile(file, text, opts);
    for (const d of docs) documents.push(d);
    records.push({ file: file.name, format: file.format, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), documents: docs.length });
    progress.tick(bytes.length);
  }
  progress.done();
  return { documents, files: records };
}

function parseFile(file: FoundFile, text: string, opts: IngestOptions): RawDocument[] {
  switch (file.format) {
    case 'text':
      return [{ id: file.key, text }];
    case 'brown':
      return [{ id: file.key, text: brownToText(text) }];
    case 'jsonl':
      return parseJsonl(file, text, opts.textField ?? 'text', opts.labelField);
    case 'csv':
      return parseCsvDocuments(file, text, opts.textColumn ?? 'text', opts.labelField);
  }
}

function parseJsonl({ name, key }: FoundFile, text: string, textField: string, labelField: string | undefined): RawDocument[] {
  const docs: RawDocument[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    const where = `${name}:${i + 1}`;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      throw new PipelineError('QD_DATA_PARSE', `${where}: not valid JSON; each line of a JSONL file must be one JSON object`);
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      throw new PipelineError('QD_DATA_PARSE', `${where}: a JSON ${Array.isArray(record) ? 'array' : typeof record}, expected an object with a "${textField}" field`);
    }
    const fields = record as Record<string, unknown>;
    const value = scalarField(fields, textField, where);
    const label = labelField === undefined ? undefined : scalarField(fields, labelField, where);
    const id = `${key}:${i + 1}`;
    docs.push(label === undefined ? { id, text: value } : { id, text: value, label });
  }
  return docs;
}

function scalarField(fields: Record<string, unknown>, field: string, where: string): string {
  const v = fields[field];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const known = Object.keys(fields).slice(0, 10).join(', ');
  throw new PipelineError(
    'QD_DATA_COLUMN',
    v === undefined || v === null
      ? `${where}: no field "${field}" (fields: ${known}); choose the field with --text-field / --label-field`
      : `${where}: field "${field}" is not a string, number or boolean`,
  );
}

function parseCsvDocuments({ name, key }: FoundFile, text: string, textColumn: string, labelColumn: string | undefined): RawDocument[] {
  const rows = parseCsv(text, name);
  const header = rows[0];
  if (!header) return [];
  const textAt = columnIndex(header, textColumn, name);
  const labelAt = labelColumn === undefined ? -1 : columnIndex(header, labelColumn, name);
  const docs: RawDocument[] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    const id = `${key}:${r + 1}`;
    const value = row[textAt] ?? '';
    if (labelAt < 0) docs.push({ id, text: value });
    else {
      const label = row[labelAt];
      if (label === undefined || label === '') throw new PipelineError('QD_DATA_COLUMN', `${name}: record ${r + 1}: no value in label column "${labelColumn}"`);
      docs.push({ id, text: value, label });
    }
  }
  return docs;
}

/** A column by header name, else by 0-based index; a miss lists the header so the user can pick. */
function columnIndex(header: readonly string[], column: string, name: string): number {
  const byName = header.findIndex((h) => h.trim() === column);
  if (byName >= 0) return byName;
  if (/^\d+$/.test(column) && Number(column) < header.length) return Number(column);
  throw new PipelineError('QD_DATA_COLUMN', `${name}: no column "${column}" (columns: ${header.slice(0, 12).map((h) => JSON.stringify(h)).join(', ')}); choose one with --column`);
}
