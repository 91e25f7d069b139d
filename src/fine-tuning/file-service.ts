import { and, desc, eq } from 'drizzle-orm';
import { QudaoError } from '../errors/index.js';
import { parseChatJsonl } from '../pipeline/data/chat-jsonl.js';
import { newId, schema, type Store } from '../store/index.js';
import type { FileRow } from './views.js';

/** Who a file or job belongs to: the customer of the API key that created it (and the key, for the record). */
export interface Owner {
  readonly customerId: string;
  readonly partnerId: string | null;
  readonly keyId: string;
}

/** What `POST /v1/files` hands the service: the form's purpose and file, already size-checked and decoded. */
export interface NewFile {
  readonly purpose: string;
  readonly filename: string;
  readonly text: string;
}

/** A file's examples: how many lines of chat fine-tuning JSONL it holds (the validator's count). */
export function countExamples(text: string, filename: string): number {
  return parseChatJsonl(text, { file: filename }).length;
}

/**
 * Uploaded fine-tuning files. A file is validated whole before anything is stored (a bad line is a 400 naming
 * it, and nothing is kept), and it is only ever read back through its owner: another customer's id is
 * QD_NOT_FOUND, as if it did not exist.
 */
export class FineTuningFiles {
  constructor(
    private readonly store: Store,
    /** Largest file, bytes (setting `fineTuningFileMaxBytes`); the upload parser checks it too, before decoding. */
    private readonly maxBytes: number,
  ) {}

  /**
   * Validates and stores a file: QD_INVALID_REQUEST naming `purpose`, QD_BODY_TOO_LARGE beyond the size
   * limit, or the parser's QD_FINETUNE_FILE_INVALID naming the line (and nothing is stored).
   */
  async create(owner: Owner, file: NewFile): Promise<FileRow> {
    if (file.purpose !== 'fine-tune') {
      throw new QudaoError('QD_INVALID_REQUEST', `purpose: only "fine-tune" files are accepted here, not ${JSON.stringify(file.purpose)}`, { param: 'purpose' });
    }
    const bytes = Buffer.byteLength(file.text);
    if (bytes > this.maxBytes) throw new QudaoError('QD_BODY_TOO_LARGE', `the file is ${bytes} bytes; a fine-tuning file may be at most ${this.maxBytes} bytes (setting fineTuningFileMaxBytes)`, { param: 'file' });
    const examples = countExamples(file.text, file.filename);
    const [row] = await this.store.db
      .insert(schema.fineTuningFiles)
      .values({
        id: newId('file'),
        customerId: owner.customerId,
        partnerId: owner.partnerId,
        keyId: owner.keyId,
        filename: file.filename,
        purpose: file.purpose,
        bytes,
        examples,
        content: file.text,
      })
      .returning();
    return row!;
  }

  /** The owner's files, newest first (without their content). */
  async list(owner: Owner): Promise<FileRow[]> {
    const f = schema.fineTuningFiles;
    return this.store.db.select().from(f).where(eq(f.customerId, owner.customerId)).orderBy(desc(f.createdAt), desc(f.id)).limit(10_000);
  }

  /** One of the owner's files; QD_NOT_FOUND naming `param` otherwise. */
  async get(owner: Owner, id: string, param = 'file_id'): Promise<FileRow> {
    const f = schema.fineTuningFiles;
    const [row] = await this.store.db.select().from(f).where(and(eq(f.id, id), eq(f.customerId, owner.customerId)));
    if (!row) throw new QudaoError('QD_NOT_FOUND', `no file ${id}; GET /v1/files lists yours`, { param });
    return row;
  }

  /** Deletes one of the owner's files (jobs created from it keep their own copy on disk). */
  async delete(owner: Owner, id: string): Promise<void> {
    const row = await this.get(owner, id);
    await this.store.db.delete(schema.fineTuningFiles).where(eq(schema.fineTuningFiles.id, row.id));
  }
}
