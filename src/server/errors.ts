import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { QudaoError, toOpenAIErrorBody, toQudaoError, type ErrorCode } from '../errors/index.js';

/** Fastify's own error codes that are the client's fault, mapped to our catalogue, with a message when ours says more. */
const fastifyCodes: Record<string, { code: ErrorCode; message?: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'QD_BODY_TOO_LARGE' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'QD_UNSUPPORTED_MEDIA_TYPE' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'QD_INVALID_REQUEST', message: 'the body length does not match the Content-Length header' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'QD_BAD_JSON', message: 'the body is empty; send a JSON object' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'QD_BAD_JSON' },
  FST_ERR_VALIDATION: { code: 'QD_INVALID_REQUEST' },
  FST_ERR_BAD_URL: { code: 'QD_INVALID_REQUEST', message: 'the URL path is not valid percent-encoding (e.g. a lone % or a truncated UTF-8 sequence)' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'QD_URI_TOO_LONG', message: 'a path segment is longer than 100 characters' },
  FST_ERR_INVALID_URL: { code: 'QD_INVALID_REQUEST', message: 'the URL is invalid' },
  FST_ERR_ROUTE_MISSING_CONTENT_TYPE: { code: 'QD_UNSUPPORTED_MEDIA_TYPE' },
  FST_ERR_ROUTE_MISSING_CONTENT: { code: 'QD_BAD_JSON', message: 'this request needs a JSON body' },
  FST_ERR_NOT_FOUND: { code: 'QD_NOT_FOUND' },
};

/** Client-error statuses of errors we did not name above (a plugin's or Node's), by HTTP status. */
const statusCodes: Record<number, ErrorCode> = {
  400: 'QD_INVALID_REQUEST',
  403: 'QD_FORBIDDEN',
  404: 'QD_NOT_FOUND',
  405: 'QD_METHOD_NOT_ALLOWED',
  408: 'QD_REQUEST_TIMEOUT',
  413: 'QD_BODY_TOO_LARGE',
  414: 'QD_URI_TOO_LONG',
  415: 'QD_UNSUPPORTED_MEDIA_TYPE',
  431: 'QD_HEADERS_TOO_LARGE',
};

/** Fastify's JSON-schema (ajv) failure as our message: the field and what it must be, not ajv's wording. */
function schemaValidationError(v: NonNullable<FastifyError['validation']>[number]): QudaoError {
  const where = (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.');
  const params = v.params as { missingProperty?: string; additionalProperty?: string; limit?: number; type?: string; allowedValues?: unknown[] };
  const param = params.missingProperty ?? params.additionalProperty ?? where;
  const why: Record<string, string> = {
    required: 'is required',
    additionalProperties: 'is not a field of this request',
    type: `must be ${params.type === 'integer' ? 'a whole number' : `of type ${params.type}`}`,
    maximum: `must be at most ${params.limit}`,
    minimum: `must be at least ${params.limit}`,
    maxLength: `must have at most ${params.limit} characters`,
    minLength: `must have at least ${params.limit} characters`,
    maxItems: `must have at most ${params.limit} items`,
    minItems: `must have at least ${params.limit} items`,
    enum: `must be one of ${(params.allowedValues ?? []).map((a) => JSON.stringify(a)).join(', ')}`,
  };
  return new QudaoError('QD_INVALID_REQUEST', `${param || 'body'}: ${why[v.keyword] ?? 'is invalid'}`, { param: param || undefined });
}

/** Turns whatever a handler or Fastify threw into a catalogued QudaoError. */
export function classifyError(err: FastifyError | Error): QudaoError {
  if (err instanceof QudaoError) return err;
  const f = err as FastifyError;
  if (f.validation && f.validation.length > 0) return schemaValidationError(f.validation[0]!);
  const known = f.code ? fastifyCodes[f.code] : undefined;
  if (known) return new QudaoError(known.code, known.message, { cause: err });
  // secure-json-parse refuses `__proto__` / `constructor.prototype` keys with a SyntaxError marked 400.
  if (err instanceof SyntaxError && f.statusCode === 400) return new QudaoError('QD_BAD_JSON', undefined, { cause: err });
  if (hasTextPostgresRefuses(err)) return new QudaoError('QD_INVALID_REQUEST', 'text fields must not contain the NUL character (\\u0000) or invalid UTF-8', { cause: err });
  // A lower layer's error keeps its catalogued code; another client error (a plugin's, Node's) maps by status.
  const lower = toQudaoError(err);
  const byStatus = typeof f.statusCode === 'number' ? statusCodes[f.statusCode] : undefined;
  return lower.code === 'QD_INTERNAL' && byStatus ? new QudaoError(byStatus, undefined, { cause: err }) : lower;
}

/**
 * True when the database refused a value's text: PostgreSQL stores no NUL character (SQLSTATE 22021 for
 * `text`, 22P05 for `jsonb`), which JSON may carry as `\u0000` in any string field.
 */
function hasTextPostgresRefuses(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (code === '22021' || code === '22P05') return true;
  }
  return false;
}

/** Sends a catalogued error in OpenAI's shape. */
function sendError(request: FastifyRequest, reply: FastifyReply, qe: QudaoError, err?: unknown): void {
  // An error whose message may quote request text is logged by its code and log message only (privacy).
  if (qe.status >= 500) request.log.error({ err: qe.logMessage === undefined ? err : { type: qe.name, code: qe.code, message: qe.logMessage }, code: qe.code }, 'request failed');
  void reply.code(qe.status).headers(qe.headers).send(toOpenAIErrorBody(qe));
}

/**
 * Fastify's `frameworkErrors` option: errors the router raises before any route or hook runs (a URL that is
 * not valid percent-encoding, FST_ERR_BAD_URL; a path segment over `maxParamLength`, FST_ERR_MAX_PARAM_LENGTH;
 * a failing async constraint) take the same mapping as every other error.
 */
export function answerFrameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  sendError(request, reply, classifyError(err), err);
}

/** A request line longer than this (half Node's default 16 KiB header limit) makes a header overflow a 414. */
const URL_SHARE_OF_HEADER_LIMIT = 8 * 1024;

/** Node's parser error codes for framing that cannot be answered by a route, mapped to our catalogue. */
function clientErrorCode(err: ConnectionError): ErrorCode {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || err.code === 'ERR_HTTP_REQUEST_HEADERS_TIMEOUT') return 'QD_REQUEST_TIMEOUT';
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    // Node counts the request line within its 16 KiB header limit; when the line alone (complete or not) takes
    // more than half of it, the URL is to blame.
    const raw: unknown = err.rawPacket;
    const lineEnd = Buffer.isBuffer(raw) ? raw.indexOf('\r\n') : -1;
    const lineLength = Buffer.isBuffer(raw) ? (lineEnd < 0 ? raw.length : lineEnd) : 0;
    return lineLength > URL_SHARE_OF_HEADER_LIMIT ? 'QD_URI_TOO_LONG' : 'QD_HEADERS_TOO_LARGE';
  }
  return 'QD_MALFORMED_HTTP';
}

/**
 * Fastify's `clientErrorHandler` option: Node's `clientError` (malformed request line or headers, bad chunked
 * encoding, headers over the size limit, a request timeout) is answered on the raw socket, as Node would,
 * but with OpenAI's error body and our code; then the connection is closed (its framing is lost).
 */
export function answerClientError(this: FastifyInstance, err: ConnectionError, socket: Socket): void {
  // A reset connection, or one already closed, has nobody left to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const qe = new QudaoError(clientErrorCode(err));
  this.log.debug({ err, code: qe.code }, 'client error');
  // As Node does: no answer when a response on this socket has already begun (it would corrupt it).
  if (socket.writable && !(socket as Socket & { _httpMessage?: { _headerSent?: boolean } })._httpMessage?._headerSent) {
    const body = JSON.stringify(toOpenAIErrorBody(qe));
    socket.write(`HTTP/1.1 ${qe.status} ${STATUS_CODES[qe.status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(err);
}

/**
 * The one place errors become HTTP responses: every error body, on `/v1` and `/api` alike, has OpenAI's
 * error shape with our stable code. 5xx are logged with their cause; 4xx are the client's business.
 * (Errors before routing and framing errors come through {@link answerFrameworkError} and
 * {@link answerClientError}, the server's options.)
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => sendError(request, reply, classifyError(err as FastifyError), err));
  app.setNotFoundHandler((request, reply) => {
    const qe = new QudaoError('QD_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`);
    void reply.code(404).send(toOpenAIErrorBody(qe));
  });
}
