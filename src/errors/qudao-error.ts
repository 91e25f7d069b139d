import { errorCatalogue, isErrorCode, type ErrorCode } from './catalogue.js';

/** Options for a {@link QudaoError}: the specific detail, the offending parameter, and extra headers. */
export interface QudaoErrorOptions {
  /** Which request field or setting is at fault, e.g. `max_tokens` (OpenAI's `param`). */
  param?: string;
  /** Extra HTTP headers to send with the error (e.g. `Retry-After`). */
  headers?: Record<string, string>;
  cause?: unknown;
  /**
   * What the server's log says instead of the message, when the message quotes text that must not be
   * logged (an upstream's error text may quote the request's prompt; see README, Privacy).
   */
  logMessage?: string;
}

/**
 * The only error type that crosses a layer boundary. It carries a catalogued code; the HTTP status and the
 * OpenAI error type come from the catalogue, so no handler chooses a status by itself.
 */
export class QudaoError extends Error {
  readonly code: ErrorCode;
  readonly param: string | undefined;
  readonly headers: Record<string, string>;
  /** The message for the server's log when it differs from `message` (see {@link QudaoErrorOptions.logMessage}). */
  readonly logMessage: string | undefined;

  constructor(code: ErrorCode, message?: string, options: QudaoErrorOptions = {}) {
    super(message ?? errorCatalogue[code].message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'QudaoError';
    this.code = code;
    this.param = options.param;
    this.headers = options.headers ?? {};
    this.logMessage = options.logMessage;
  }

  /** HTTP status from the catalogue. */
  get status(): number {
    return errorCatalogue[this.code].status;
  }

  /** OpenAI error `type` from the catalogue. */
  get type(): string {
    return errorCatalogue[this.code].type;
  }
}

/**
 * Turns anything thrown into a QudaoError. Errors from lower layers that carry a catalogued `code`
 * (pipeline, strategy) keep their code and message; anything else becomes QD_INTERNAL, with the
 * original kept as the cause for the log and hidden from the client.
 */
export function toQudaoError(err: unknown): QudaoError {
  if (err instanceof QudaoError) return err;
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    if (isErrorCode(code)) return new QudaoError(code, err.message, { cause: err });
  }
  return new QudaoError('QD_INTERNAL', undefined, { cause: err });
}

/** The OpenAI error body: `{ error: { message, type, param, code } }`. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: ErrorCode };
}

/** Maps an error to OpenAI's error shape: the one place this mapping happens. */
export function toOpenAIErrorBody(err: QudaoError): OpenAIErrorBody {
  return { error: { message: err.message, type: err.type, param: err.param ?? null, code: err.code } };
}
