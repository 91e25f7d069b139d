import type { z } from 'zod';

/**
 * A predicate compiled once from a zod schema, for the hot path of validation and serialisation: true only
 * when zod would accept the value *and* return it unchanged (the value itself is then the parsed result).
 * False means "not sure", never "invalid": the caller then runs zod, so every error answer, its code,
 * `param` and message stay exactly zod's (compilers.ts).
 *
 * Only the zod constructs the contracts use that carry no transformation are compiled: objects (loose,
 * strip, strict), strings, numbers, booleans, null, literals, enums, unions, arrays, string-keyed records,
 * optional and nullable, `unknown`, and the length, range, safe-integer and regex checks. A schema holding
 * anything else (a default, a transform, a refinement, a format) compiles to undefined: zod always runs.
 *
 * Conservative by construction, and where a rule is subtle it errs towards `false`: an object must be a
 * plain one (Object.prototype, no `toJSON`), a strip-mode object may hold no undeclared key (zod would
 * drop it, so the output would differ), a number must be finite. With `json` set the value is about to be
 * serialised as it is (an answer): `undefined` in an array, which JSON turns into null, is refused too.
 */
export type FastCheck = (value: unknown) => boolean;

type Def = { type: string; [k: string]: unknown };
type Check = { _zod: { def: { check: string; [k: string]: unknown } } };

function defOf(schema: unknown): Def {
  return (schema as { _zod: { def: Def } })._zod.def;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/** Compiles the length checks of a string or an array; undefined if it holds any other check. */
function lengthChecks(checks: readonly Check[]): ((length: number) => boolean) | undefined {
  let min = 0;
  let max = Infinity;
  for (const c of checks) {
    const d = c._zod.def;
    if (d.check === 'min_length') min = Math.max(min, d.minimum as number);
    else if (d.check === 'max_length') max = Math.min(max, d.maximum as number);
    else if (d.check === 'length_equals') {
      min = Math.max(min, d.length as number);
      max = Math.min(max, d.length as number);
    } else return undefined;
  }
  return (n) => n >= min && n <= max;
}

function compileString(def: Def): FastCheck | undefined {
  const checks = (def.checks as Check[] | undefined) ?? [];
  const patterns: RegExp[] = [];
  const lengths: Check[] = [];
  for (const c of checks) {
    const d = c._zod.def;
    if (d.check === 'string_format' && d.format === 'regex') {
      const pattern = d.pattern as RegExp;
      if (pattern.global || pattern.sticky) return undefined; // stateful: lastIndex would carry over
      patterns.push(pattern);
    } else lengths.push(c);
  }
  const length = lengthChecks(lengths);
  if (!length) return undefined;
  if (patterns.length === 0) return (v) => typeof v === 'string' && length(v.length);
  return (v) => typeof v === 'string' && length(v.length) && patterns.every((p) => p.test(v));
}

function compileNumber(def: Def): FastCheck | undefined {
  let min = -Infinity;
  let minInclusive = true;
  let max = Infinity;
  let maxInclusive = true;
  let safeInteger = false;
  for (const c of (def.checks as Check[] | undefined) ?? []) {
    const d = c._zod.def;
    if (d.check === 'greater_than') [min, minInclusive] = [d.value as number, d.inclusive as boolean];
    else if (d.check === 'less_than') [max, maxInclusive] = [d.value as number, d.inclusive as boolean];
    else if (d.check === 'number_format' && d.format === 'safeint') safeInteger = true;
    else return undefined;
  }
  return (v) =>
    typeof v === 'number' && Number.isFinite(v) && (!safeInteger || Number.isSafeInteger(v)) && (minInclusive ? v >= min : v > min) && (maxInclusive ? v <= max : v < max);
}

function compileObject(def: Def, json: boolean): FastCheck | undefined {
  const shape = def.shape as Record<string, z.ZodType>;
  const keys = Object.keys(shape);
  const fields: [string, FastCheck][] = [];
  for (const key of keys) {
    const check = compile(shape[key], json);
    if (!check) return undefined;
    fields.push([key, check]);
  }
  const catchall = def.catchall === undefined ? undefined : defOf(def.catchall).type;
  if (catchall !== undefined && catchall !== 'unknown' && catchall !== 'never') return undefined;
  const declared = new Set(keys);
  // Loose (`unknown` catchall): undeclared keys pass as they are. Strip (no catchall) and strict (`never`):
  // an undeclared key would be dropped or refused, so only a value without one is passed through.
  const closed = catchall !== 'unknown';
  return (v) => {
    if (!isPlainObject(v)) return false;
    for (const [key, check] of fields) if (!check(v[key])) return false;
    if (closed) for (const key in v) if (!declared.has(key)) return false;
    return true;
  };
}

/** Types whose checks the compiler reads; on any other type a check is a refinement, which it does not run. */
const CHECKED_TYPES = new Set(['string', 'number', 'array']);

function compile(schema: unknown, json: boolean): FastCheck | undefined {
  const def = defOf(schema);
  // A string format (z.email(), …) is its own check; coercion changes the value.
  if (def.format !== undefined || def.check !== undefined || def.coerce === true) return undefined;
  if (!CHECKED_TYPES.has(def.type) && ((def.checks as unknown[] | undefined)?.length ?? 0) > 0) return undefined;
  switch (def.type) {
    case 'string':
      return compileString(def);
    case 'number':
      return compileNumber(def);
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'null':
      return (v) => v === null;
    case 'unknown':
    case 'any':
      return () => true;
    case 'literal': {
      const values = new Set(def.values as unknown[]);
      return (v) => values.has(v);
    }
    case 'enum': {
      const values = new Set(Object.values(def.entries as Record<string, unknown>));
      return (v) => values.has(v);
    }
    case 'optional': {
      const inner = compile(def.innerType, json);
      return inner && ((v) => v === undefined || inner(v));
    }
    case 'nullable': {
      const inner = compile(def.innerType, json);
      return inner && ((v) => v === null || inner(v));
    }
    case 'union': {
      const options = (def.options as unknown[]).map((o) => compile(o, json));
      if (options.some((o) => !o)) return undefined;
      const checks = options as FastCheck[];
      return (v) => checks.some((c) => c(v));
    }
    case 'array': {
      const element = compile(def.element, json);
      const length = lengthChecks((def.checks as Check[] | undefined) ?? []);
      if (!element || !length) return undefined;
      return (v) => {
        if (!Array.isArray(v) || !length(v.length)) return false;
        for (let i = 0; i < v.length; i++) {
          const item: unknown = v[i];
          if ((json && item === undefined) || !element(item)) return false;
        }
        return true;
      };
    }
    case 'record': {
      if (defOf(def.keyType).type !== 'string') return undefined;
      const key = compile(def.keyType, json);
      const value = compile(def.valueType, json);
      if (!key || !value) return undefined;
      return (v) => {
        if (!isPlainObject(v)) return false;
        for (const k in v) if (!key(k) || !value(v[k])) return false;
        return true;
      };
    }
    case 'object':
      return compileObject(def, json);
    default:
      return undefined;
  }
}

/**
 * The fast check of a schema (undefined when it uses a construct this compiler does not cover). `json`:
 * the value is an answer about to be serialised as it is (see {@link FastCheck}).
 */
export function compileFastCheck(schema: z.ZodType, options: { json: boolean }): FastCheck | undefined {
  return compile(schema, options.json);
}
