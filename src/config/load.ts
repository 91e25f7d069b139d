import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { QudaoError } from '../errors/index.js';
import { settings, type Config, type SettingName } from './schema.js';

/** Where configuration comes from. Only this module reads `process.env`. */
export interface ConfigSources {
  /** Environment variables; defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  /** Values from command-line flags, keyed by setting name. */
  flags?: Partial<Record<SettingName, unknown>>;
  /** Path of a JSON config file; else `QUDAO_CONFIG` from the environment, else none. */
  file?: string;
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new QudaoError('QD_CONFIG_INVALID', `config file ${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new QudaoError('QD_CONFIG_INVALID', `config file ${path}: is not valid JSON`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new QudaoError('QD_CONFIG_INVALID', `config file ${path}: must hold a JSON object`);
  }
  const unknown = Object.keys(parsed).filter((k) => !Object.hasOwn(settings, k));
  if (unknown.length > 0) {
    throw new QudaoError('QD_CONFIG_INVALID', `config file ${path}: unknown setting "${unknown[0]}" (known: ${Object.keys(settings).join(', ')})`);
  }
  return parsed as Record<string, unknown>;
}

/** The highest-precedence raw value of one setting, with a label naming where it came from. */
function rawValue(name: SettingName, sources: Required<Omit<ConfigSources, 'file'>>, file: Record<string, unknown>, filePath?: string): { value: unknown; from: string } {
  const flagValue = sources.flags[name];
  if (flagValue !== undefined) return { value: flagValue, from: `--${settings[name].flag}` };
  for (const envName of settings[name].env) {
    const v = sources.env[envName];
    if (v !== undefined && v !== '') return { value: v, from: envName };
  }
  if (file[name] !== undefined) return { value: file[name], from: `${filePath}: ${name}` };
  return { value: undefined, from: `default of ${name}` };
}

/** Words a user can act on for the first validation issue of a setting. */
function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'is invalid';
  switch (issue.code) {
    case 'invalid_type':
      return `must be a ${issue.expected}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    case 'too_small':
      return issue.origin === 'string' ? `must be at least ${String(issue.minimum)} characters` : `must be at least ${String(issue.minimum)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message.replace(/^Invalid input: /, '');
  }
}

/**
 * Builds the configuration once: applies defaults, file, environment and flags, validates every setting,
 * and returns a frozen object. A bad setting throws QD_CONFIG_INVALID whose message is one line naming the
 * setting and what is wrong, e.g. `QUDAO_PORT: must be at most 65535 (got "70000")`.
 */
export function loadConfig(sources: ConfigSources = {}): Config {
  const env = sources.env ?? process.env;
  const filePath = sources.file ?? env.QUDAO_CONFIG;
  const file = filePath ? readConfigFile(filePath) : {};
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(settings) as SettingName[]) {
    const { value, from } = rawValue(name, { env, flags: sources.flags ?? {} }, file, filePath);
    const result = settings[name].schema.safeParse(value);
    if (!result.success) {
      const why = describeIssue(result.error.issues[0]);
      throw new QudaoError('QD_CONFIG_INVALID', `${from}: ${why} (got ${JSON.stringify(value)})`);
    }
    out[name] = result.data;
  }
  // `memory://` keeps the embedded database in memory (tests, throwaway demos).
  if (out.dataDir !== 'memory://') out.dataDir = resolve(String(out.dataDir));
  return Object.freeze(out) as Config;
}
