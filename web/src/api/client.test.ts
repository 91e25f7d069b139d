import { describe, expect, it } from 'vitest';
import { ApiError, errorFromResponse, isNotAvailable } from './client.js';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('API client', () => {
  it('turns an OpenAI-shaped error body into an ApiError with the server message and code', async () => {
    const e = await errorFromResponse(json(400, { error: { message: 'name: must not be empty', type: 'invalid_request_error', param: 'name', code: 'QD_INVALID_REQUEST' } }));
    expect(e).toBeInstanceOf(ApiError);
    expect([e.status, e.code, e.message, e.param]).toEqual([400, 'QD_INVALID_REQUEST', 'name: must not be empty', 'name']);
  });

  it('falls back to the status line when the body is not JSON', async () => {
    const e = await errorFromResponse(new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    expect([e.code, e.message]).toEqual(['HTTP_502', '502 Bad Gateway']);
  });

  it('calls a route the server lacks "not available", but not a missing resource on an existing route', () => {
    expect(isNotAvailable(new ApiError(404, 'QD_NOT_FOUND', 'no route GET /api/segments'))).toBe(true);
    expect(isNotAvailable(new ApiError(405, 'QD_METHOD_NOT_ALLOWED', 'method not allowed'))).toBe(true);
    expect(isNotAvailable(new ApiError(404, 'QD_NOT_FOUND', 'no customer cus_1'))).toBe(false);
    expect(isNotAvailable(new ApiError(401, 'QD_UNAUTHENTICATED', 'send Authorization'))).toBe(false);
    expect(isNotAvailable(new Error('no route'))).toBe(false);
  });
});
