import { describe, expect, it } from 'vitest';
import { boundaryOf, fileUploadOf, parseMultipart } from './multipart.js';

/** A body as RFC 7578 writes it, CRLF line breaks, from parts given as header lines and content. */
function form(boundary: string, parts: { headers: string[]; content: string | Buffer }[]): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) chunks.push(Buffer.from(`--${boundary}\r\n${p.headers.join('\r\n')}\r\n\r\n`), Buffer.from(p.content), Buffer.from('\r\n'));
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

describe('multipart/form-data (POST /v1/files)', () => {
  it('finds the boundary, quoted or not', () => {
    expect(boundaryOf('multipart/form-data; boundary=----abc123')).toBe('----abc123');
    expect(boundaryOf('multipart/form-data; charset=utf-8; boundary="x y"')).toBe('x y');
    expect(() => boundaryOf('multipart/form-data')).toThrow(/names no boundary/);
  });

  it('parses fields and a file part byte for byte, content holding CRLF and boundary-like text', () => {
    const content = 'line 1\r\n--not-the-boundary\r\nline 3\n';
    const body = form('b0undary', [
      { headers: ['Content-Disposition: form-data; name="purpose"'], content: 'fine-tune' },
      { headers: ['Content-Disposition: form-data; name="file"; filename="my \\"data\\".jsonl"', 'Content-Type: application/jsonl'], content },
    ]);
    const parts = parseMultipart(body, 'b0undary');
    expect(parts.map((p) => [p.name, p.filename, p.contentType, p.data.toString()])).toEqual([
      ['purpose', undefined, undefined, 'fine-tune'],
      ['file', 'my "data".jsonl', 'application/jsonl', content],
    ]);
    expect(fileUploadOf(parts, 1024)).toEqual({ purpose: 'fine-tune', file: { filename: 'my "data".jsonl', text: content } });
  });

  it('refuses a malformed body, a file over the limit (413 naming it) and bytes that are not UTF-8', () => {
    expect(() => parseMultipart(Buffer.from('no boundary here'), 'b')).toThrow(/opening boundary/);
    expect(() => parseMultipart(Buffer.from('--b\r\nContent-Disposition: form-data; name="x"\r\n\r\nvalue'), 'b')).toThrow(/closing boundary/);
    expect(() => parseMultipart(form('b', [{ headers: ['Content-Type: text/plain'], content: 'x' }]), 'b')).toThrow(/Content-Disposition/);
    const big = parseMultipart(form('b', [{ headers: ['Content-Disposition: form-data; name="file"; filename="f"'], content: 'x'.repeat(11) }]), 'b');
    expect(() => fileUploadOf(big, 10)).toThrow(expect.objectContaining({ code: 'QD_BODY_TOO_LARGE', status: 413, param: 'file', message: expect.stringContaining('11 bytes; a fine-tuning file may be at most 10 bytes') }));
    const latin1 = parseMultipart(form('b', [{ headers: ['Content-Disposition: form-data; name="file"; filename="f"'], content: Buffer.from([0x63, 0x61, 0x66, 0xe9]) }]), 'b');
    expect(() => fileUploadOf(latin1, 10)).toThrow(expect.objectContaining({ code: 'QD_INVALID_REQUEST', param: 'file' }));
  });

  it('leaves absent fields out, for the route schema to name', () => {
    expect(fileUploadOf(parseMultipart(form('b', [{ headers: ['Content-Disposition: form-data; name="purpose"'], content: 'fine-tune' }]), 'b'), 10)).toEqual({ purpose: 'fine-tune' });
  });
});
