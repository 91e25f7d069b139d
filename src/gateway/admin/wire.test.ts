import { describe, expect, it } from 'vitest';
import { fromWire, toWire } from './wire.js';

describe('wire format', () => {
  it('round-trips camelCase rows and snake_case input, digits included', () => {
    expect(toWire({ inputPer1mMicros: 5, createdAt: new Date(0), keyId: 'k' })).toEqual({ input_per_1m_micros: 5, created_at: '1970-01-01T00:00:00.000Z', key_id: 'k' });
    expect(fromWire({ input_per_1m_micros: 5, rpm_limit: null, name: undefined })).toEqual({ inputPer1mMicros: 5, rpmLimit: null });
  });
});
