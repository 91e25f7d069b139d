import type { FastifyError, FastifyInstance } from 'fastify';
import { QudaoError, toOpenAIErrorBody, toQudaoError, type ErrorCode } from '../errors/index.js';

/** Fastify's own error codes that are the client's fault, mapped to our catalogue. */
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'QD_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'QD_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'QD_INVALID_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'QD_BAD_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'QD_BAD_JSON',
  FST_ERR_VALIDATION: 'QD_INVALID_REQUEST',
};

/** Turns whatever a handler or Fastify threw into a catalogued QudaoError. */
export function classifyError(err: FastifyError | Error): QudaoError {
  if (err instanceof QudaoError) return err;
  const f = err as FastifyError;
  if (f.validation && f.validation.length > 0) {
    const v = f.validation[0]!;
    const where = (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.');
    const param = (v.params as { missingProperty?: string }).missingProperty ?? where;
    return new QudaoError('QD_INVALID_REQUEST', `${param || 'body'}: ${v.message ?? 'is invalid'}`, { param: param || undefined });
  }
  if (f.code && fastifyCodes[f.code]) return new QudaoError(fastifyCodes[f.code]!, undefined, { cause: err });
  if (err instanceof SyntaxError && f.statusCode === 400) return new QudaoError('QD_BAD_JSON', undefined, { cause: err });
  return toQudaoError(err);
}

/**
 * The one place errors become HTTP responses: every error body, on `/v1` and `/api` alike, has OpenAI's
 * error shape with our stable code. 5xx are logged with their cause; 4xx are the client's business.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const qe = classifyError(err as FastifyError);
    if (qe.status >= 500) request.log.error({ err, code: qe.code }, 'request failed');
    void reply.code(qe.status).headers(qe.headers).send(toOpenAIErrorBody(qe));
  });
  app.setNotFoundHandler((request, reply) => {
    const qe = new QudaoError('QD_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`);
    void reply.code(404).send(toOpenAIErrorBody(qe));
  });
}
