import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { inputIssueMessage, invalidInputError, QudaoError } from '../../errors/index.js';
import { compileFastCheck } from './fast-check.js';

/** The name a client knows each part of a request by, for error messages (`query: …`, `body: …`). */
const partNames: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'headers' };

function isZod(schema: unknown): schema is z.ZodType {
  return typeof (schema as { safeParse?: unknown } | null)?.safeParse === 'function';
}

/**
 * Fastify validates and serialises with the routes' zod schemas (src/shared/contract):
 *
 * - **Input**: a mismatch is QD_INVALID_REQUEST whose `param` is the field's dotted path and whose message
 *   says in plain words what it must be (src/errors/input-issues.ts), never zod's wording. An absent body
 *   or query parses as `{}`, so a route's defaults apply.
 * - **Output**: an answer is checked against its declared schema and only declared fields are sent (a
 *   column added to a table does not leak). Values are taken as JSON first (a `Date` is its ISO text). An
 *   answer that does not match is our bug: QD_INTERNAL (500), logged with the first issue.
 *
 * Both first try a predicate compiled from the schema once (fast-check.ts): when it says the value is
 * valid and zod would return it unchanged, zod is skipped (the value is the result; an answer is then
 * serialised once instead of three times). Otherwise zod runs as described, so every error is zod's.
 */
export function installZodCompilers(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart, url }) => {
    if (!isZod(schema)) throw new Error(`${url}: route schemas are zod schemas (src/shared/contract)`);
    const where = partNames[httpPart ?? 'body'] ?? 'body';
    const fast = compileFastCheck(schema, { json: false });
    return (data: unknown) => {
      if (fast && data !== undefined && data !== null && fast(data)) return { value: data };
      const result = schema.safeParse(data ?? {}, { error: inputIssueMessage });
      return result.success ? { value: result.data } : { error: invalidInputError(result.error.issues, where) };
    };
  });
  app.setSerializerCompiler(({ schema, method, url, httpStatus }) => {
    if (!isZod(schema)) throw new Error(`${method} ${url}: response schemas are zod schemas (src/shared/contract)`);
    const fast = compileFastCheck(schema, { json: true });
    return (data: unknown) => {
      if (fast && data !== undefined && fast(data)) return JSON.stringify(data);
      const json: unknown = data === undefined ? null : JSON.parse(JSON.stringify(data));
      const result = schema.safeParse(json);
      if (result.success) return JSON.stringify(result.data);
      const issue = result.error.issues[0]!;
      throw new QudaoError('QD_INTERNAL', undefined, {
        cause: new Error(`${method} ${url} ${httpStatus}: the answer does not match its schema at ${issue.path.join('.') || '(root)'}: ${issue.message}`),
      });
    };
  });
}
