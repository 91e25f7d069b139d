import type { FastifyReply } from 'fastify';

/** Content types of the files routes answer, by extension (a route's `produces` declares the same). */
const TYPES: Readonly<Record<string, string>> = { csv: 'text/csv; charset=utf-8', pdf: 'application/pdf' };

/** Sends a file as the download `filename` (`…csv` or `…pdf`): statements, invoices, the accounting export. */
export function sendAttachment(reply: FastifyReply, filename: string, body: string | Buffer): FastifyReply {
  const type = TYPES[filename.slice(filename.lastIndexOf('.') + 1)];
  if (!type) throw new Error(`no content type for ${filename}`);
  return reply.type(type).header('content-disposition', `attachment; filename="${filename}"`).send(body);
}
