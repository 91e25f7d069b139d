/**
 * Every way data preparation can fail on the user's input, each with a stable code. The codes join the
 * project-wide catalogue in `src/errors`, whose `toQudaoError` keeps a catalogued `code` and this message.
 */
export const DATA_ERROR_CODES = [
  /** A file or folder cannot be opened or read (missing, permissions). */
  'QD_DATA_UNREADABLE',
  /** A file is not valid UTF-8 (e.g. Latin-1 or UTF-16 saved text). */
  'QD_DATA_ENCODING',
  /** No document is left after reading and cleaning. */
  'QD_DATA_EMPTY',
  /** The chosen CSV column or JSONL field is absent. */
  'QD_DATA_COLUMN',
  /** A JSONL line is not JSON, or a CSV file is malformed (unterminated quote). */
  'QD_DATA_PARSE',
  /** An option is out of range or contradicts another. */
  'QD_DATA_OPTIONS',
  /** The output folder exists and overwriting was not asked for. */
  'QD_DATA_OUTPUT_EXISTS',
] as const;

/** A data-step error code. */
export type DataErrorCode = (typeof DATA_ERROR_CODES)[number];

/**
 * An input or option problem the user can fix. `message` is one line naming the file (and line or column)
 * and what to do; `code` is stable for programs and the HTTP mapping.
 */
export class PipelineError extends Error {
  readonly code: DataErrorCode;

  constructor(code: DataErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PipelineError';
    this.code = code;
  }
}
