import { QudaoError } from '../errors/index.js';

/**
 * A `multipart/form-data` body (RFC 7578), parsed whole: the upload size is bounded before it is read, so a
 * streaming parser would buy nothing here. What `POST /v1/files` receives from the OpenAI SDKs (and curl -F).
 */

/** One part of the form. */
export interface FormPart {
  /** The form field's name (`name=` of Content-Disposition). */
  readonly name: string;
  /** Present on file parts (`filename=`). */
  readonly filename?: string;
  readonly contentType?: string;
  readonly data: Buffer;
}

const malformed = (why: string) => new QudaoError('QD_INVALID_REQUEST', `the multipart/form-data body is malformed: ${why}`, { param: 'file' });

/** The boundary named by a `multipart/form-data; boundary=…` content type. */
export function boundaryOf(contentType: string): string {
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) throw malformed('the Content-Type names no boundary');
  return boundary;
}

/** A parameter of a Content-Disposition header (`name="file"`), quoted or not; `\"` inside quotes is a quote. */
function dispositionParam(header: string, key: string): string | undefined {
  const m = new RegExp(`;\\s*${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i').exec(header);
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2];
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw malformed(`a part header line has no name: ${JSON.stringify(line.slice(0, 60))}`);
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/**
 * The parts of a multipart body. Throws QD_INVALID_REQUEST (param `file`) when the body does not follow
 * the format: no opening boundary, a part without Content-Disposition or name, no closing boundary.
 */
export function parseMultipart(body: Buffer, boundary: string): FormPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const separator = Buffer.from(`\r\n--${boundary}`);
  let at = body.indexOf(delimiter);
  if (at < 0) throw malformed('the opening boundary is missing');
  at += delimiter.length;
  const parts: FormPart[] = [];
  for (;;) {
    // After a boundary: `--` closes the body, CRLF opens the next part.
    if (body.subarray(at, at + 2).toString() === '--') return parts;
    if (body.subarray(at, at + 2).toString() !== '\r\n') throw malformed('a boundary is not followed by a line break');
    at += 2;
    const headerEnd = body.indexOf('\r\n\r\n', at);
    if (headerEnd < 0) throw malformed('a part has no end of headers');
    const headers = parseHeaders(body.subarray(at, headerEnd).toString('utf8'));
    const next = body.indexOf(separator, headerEnd + 4);
    if (next < 0) throw malformed('the closing boundary is missing');
    const disposition = headers.get('content-disposition');
    const name = disposition === undefined ? undefined : dispositionParam(disposition, 'name');
    if (!disposition || !/^form-data\b/i.test(disposition) || name === undefined) throw malformed('a part has no Content-Disposition: form-data; name=…');
    const filename = dispositionParam(disposition, 'filename');
    const contentType = headers.get('content-type');
    parts.push({ name, ...(filename === undefined ? {} : { filename }), ...(contentType === undefined ? {} : { contentType }), data: body.subarray(headerEnd + 4, next) });
    at = next + separator.length;
  }
}

/** What `POST /v1/files` takes from the form: its text fields and its `file` part, decoded as UTF-8. */
export interface FileUpload {
  readonly purpose?: string;
  readonly file?: { readonly filename: string; readonly text: string };
}

/**
 * The upload of a `POST /v1/files` body: the `purpose` field and the `file` part. A file larger than
 * `maxFileBytes` is QD_BODY_TOO_LARGE naming the limit; one that is not UTF-8 is QD_INVALID_REQUEST. Absent
 * fields are left out (the route's schema names them).
 */
export function fileUploadOf(parts: readonly FormPart[], maxFileBytes: number): FileUpload {
  const purpose = parts.find((p) => p.name === 'purpose' && p.filename === undefined)?.data.toString('utf8');
  const part = parts.find((p) => p.name === 'file');
  if (!part) return purpose === undefined ? {} : { purpose };
  if (part.data.length > maxFileBytes) {
    throw new QudaoError('QD_BODY_TOO_LARGE', `the file is ${part.data.length} bytes; a fine-tuning file may be at most ${maxFileBytes} bytes (setting fineTuningFileMaxBytes)`, { param: 'file' });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(part.data);
  } catch {
    throw new QudaoError('QD_INVALID_REQUEST', 'file: is not UTF-8 text; a fine-tuning file is JSONL in UTF-8', { param: 'file' });
  }
  return { ...(purpose === undefined ? {} : { purpose }), file: { filename: part.filename ?? 'file', text } };
}
