import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './index.js';

describe('loadConfig', () => {
  it('applies defaults and freezes the result', () => {
    const config = loadConfig({ env: {} });
    expect(config.port).toBe(8080);
    expect(config.host).toBe('127.0.0.1');
    expect(config.databaseUrl).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('orders sources: defaults < file < environment < flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qd-config-'));
    const file = join(dir, 'qudao.json');
    writeFileSync(file, JSON.stringify({ port: 9001, logLevel: 'warn', host: '0.0.0.0' }));
    const config = loadConfig({ file, env: { QUDAO_PORT: '9002', QUDAO_LOG_LEVEL: 'debug' }, flags: { port: 9003 } });
    expect(config.port).toBe(9003);
    expect(config.logLevel).toBe('debug');
    expect(config.host).toBe('0.0.0.0');
  });

  it('names the setting and the problem in one line', () => {
    expect(() => loadConfig({ env: { QUDAO_PORT: '70000' } })).toThrow(/^QUDAO_PORT: must be at most 65535 \(got "70000"\)$/);
    expect(() => loadConfig({ env: { DATABASE_URL: 'mysql://x' } })).toThrow(/^DATABASE_URL: must start with postgres/);
    expect(() => loadConfig({ env: {}, flags: { logLevel: 'loud' } })).toThrow(/^--log-level: /);
  });

  it('rejects unknown keys and bad JSON in the config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qd-config-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"prot": 1}');
    expect(() => loadConfig({ env: {}, file: bad })).toThrow(/unknown setting "prot"/);
    writeFileSync(bad, '{nope');
    expect(() => loadConfig({ env: {}, file: bad })).toThrow(/not valid JSON/);
  });
});
