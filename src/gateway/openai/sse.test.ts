import { describe, expect, it } from 'vitest';
import { SseParser, sseEvent } from './sse.js';

describe('SseParser', () => {
  it('parses events split across packets, CRLF and comments', () => {
    const got: string[] = [];
    const p = new SseParser((d) => got.push(d));
    const text = `: keep-alive\r\n${sseEvent({ a: 1 })}data: {"b":\ndata: 2}\r\n\r\ndata: [DONE]\n\n`;
    const bytes = new TextEncoder().encode(text);
    for (let i = 0; i < bytes.length; i += 3) p.push(bytes.subarray(i, i + 3));
    p.end();
    expect(got).toEqual(['{"a":1}', '{"b":\n2}', '[DONE]']);
  });

  it('keeps multi-byte characters split between packets', () => {
    const got: string[] = [];
    const p = new SseParser((d) => got.push(d));
    const bytes = new TextEncoder().encode('data: 渠道\n\n');
    p.push(bytes.subarray(0, 7));
    p.push(bytes.subarray(7));
    expect(got).toEqual(['渠道']);
  });
});
