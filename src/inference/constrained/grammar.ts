/**
 * The grammar constrained decoding follows: a JSON Schema (the subset OpenAI's strict structured outputs
 * accept) compiled into a small tree of value rules that the byte automaton (automaton.ts) walks. Compiling
 * is where unsupported keywords are refused, naming their path, so a request never gets a mask that
 * silently ignores part of its schema.
 */

/** A rule for one JSON value. `id` is unique within its grammar (cache keys of automaton states use it). */
export type ValueRule =
  | { readonly kind: 'string'; readonly id: number }
  /**
   * A number. Bounds (minimum/maximum) are kept by the form of the text: no minus sign, at most `intDigits`
   * digits before the point and no exponent; a narrow integer range becomes a literal of its values instead.
   */
  | { readonly kind: 'number'; readonly id: number; readonly integer: boolean; readonly negative: boolean; readonly intDigits: number; readonly exponent: boolean }
  /** One of these exact JSON texts (enum, const, boolean, null), as byte strings (one char per byte). */
  | { readonly kind: 'literal'; readonly id: number; readonly texts: readonly string[] }
  | ObjectRule
  | { readonly kind: 'array'; readonly id: number; readonly items: ValueRule; readonly minItems: number; readonly maxItems: number }
  | { readonly kind: 'anyOf'; readonly id: number; readonly options: readonly ValueRule[] }
  /** Any JSON value (the values of a `json_object` answer). */
  | { readonly kind: 'any'; readonly id: number }
  /** A `$ref` to a definition; `target` is set once every definition is compiled (references may recurse). */
  | RefRule;

/** A `$ref`, resolved after compilation. */
export interface RefRule {
  readonly kind: 'ref';
  readonly id: number;
  readonly name: string;
  target: ValueRule | undefined;
}

/**
 * An object. Closed objects (`open: false`) have their properties written in the schema's order, optional
 * ones skippable: one canonical order keeps the automaton small and deterministic. Open objects take any
 * string keys with any values (`json_object`).
 */
export interface ObjectRule {
  readonly kind: 'object';
  readonly id: number;
  readonly open: boolean;
  readonly properties: readonly PropertyRule[];
}

/** One property of a closed object. `keyText` is the key as JSON (quoted, escaped), as a byte string. */
export interface PropertyRule {
  readonly name: string;
  readonly keyText: string;
  readonly value: ValueRule;
  readonly required: boolean;
}

/** A compiled grammar: the root rule, every rule (for minimum lengths), and the whitespace allowed. */
export interface JsonGrammar {
  readonly root: ValueRule;
  readonly rules: readonly ValueRule[];
  /**
   * Most whitespace characters between two tokens of the JSON text (after `{`, `:`, `,` …). Small, so a
   * model cannot spend its budget on blank space; 0 gives compact JSON.
   */
  readonly maxWhitespace: number;
}

/** A schema keyword outside the supported subset; `path` is the dotted path of the keyword in the schema. */
export class UnsupportedSchemaError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'UnsupportedSchemaError';
  }
}

/** Keywords that only describe (they constrain nothing, so they are accepted and not enforced). */
const ANNOTATIONS = new Set(['description', 'title', '$schema', '$id', '$comment', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly']);
/** Keywords the compiler enforces. Everything else (pattern, format, minimum, oneOf, allOf …) is refused. */
const ENFORCED = new Set(['type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'const', 'anyOf', '$ref', '$defs', 'definitions', 'minItems', 'maxItems', 'minimum', 'maximum']);
/** Digits a number's integer part may have when unbounded (see the automaton). */
export const MAX_INT_DIGITS = 24;
/** Widest integer range written out as a literal of its values. */
const MAX_LITERAL_RANGE = 1000;
/** Longest array a schema may ask for with minItems (each item costs at least a byte of the budget). */
const MAX_MIN_ITEMS = 256;

/** Options of {@link compileJsonSchema} and {@link anyJsonObject}. */
export interface GrammarOptions {
  /** See {@link JsonGrammar.maxWhitespace}; default 1. */
  readonly maxWhitespace?: number;
}

/** The grammar of `response_format: {type: 'json_object'}`: any JSON object. */
export function anyJsonObject(options: GrammarOptions = {}): JsonGrammar {
  const root: ValueRule = { kind: 'object', id: 0, open: true, properties: [] };
  return { root, rules: [root], maxWhitespace: options.maxWhitespace ?? 1 };
}

type Schema = Record<string, unknown>;

function isSchema(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A JSON text as the byte string the automaton matches (UTF-8, one char per byte). */
export function jsonBytes(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('latin1');
}

/**
 * Compiles a JSON Schema into a grammar. The root must be an object (as OpenAI requires). Throws
 * {@link UnsupportedSchemaError} naming the first keyword or form it cannot enforce.
 */
export function compileJsonSchema(schema: unknown, options: GrammarOptions = {}): JsonGrammar {
  const rules: ValueRule[] = [];
  return { root: compileInto(schema, rules), rules, maxWhitespace: options.maxWhitespace ?? 1 };
}

/** One tool a model may call: its name and the JSON Schema of its arguments (an object). */
export interface ToolSchema {
  readonly name: string;
  readonly parameters: unknown;
}

/**
 * The grammar of one call of one of `tools`: `{"name": <a tool's name>, "arguments": <that tool's
 * arguments>}`, the name fixing which schema the arguments follow (an anyOf of one object per tool).
 */
export function compileToolCall(tools: readonly ToolSchema[], options: GrammarOptions = {}): JsonGrammar {
  if (tools.length === 0) throw new UnsupportedSchemaError('', 'a tool call needs at least one tool');
  const rules: ValueRule[] = [];
  const add = <R extends ValueRule>(rule: R): R => {
    const withId = { ...rule, id: rules.length };
    rules.push(withId);
    return withId;
  };
  const calls = tools.map((tool): ValueRule => {
    const name = add({ kind: 'literal', id: 0, texts: [jsonBytes(tool.name)] });
    const args = compileInto(tool.parameters, rules);
    return add({
      kind: 'object',
      id: 0,
      open: false,
      properties: [
        { name: 'name', keyText: jsonBytes('name'), value: name, required: true },
        { name: 'arguments', keyText: jsonBytes('arguments'), value: args, required: true },
      ],
    });
  });
  const root = calls.length === 1 ? calls[0]! : add({ kind: 'anyOf', id: 0, options: calls });
  return { root, rules, maxWhitespace: options.maxWhitespace ?? 1 };
}

/** True when every text of the schema is an object (the automaton's texts end with their closing brace). */
function objectRooted(schema: Schema): boolean {
  if (schema.$ref !== undefined || schema.type === 'object') return true;
  return Array.isArray(schema.anyOf) && schema.anyOf.length > 0 && schema.anyOf.every((s) => isSchema(s) && objectRooted(s));
}

/** Compiles one schema (with its own $defs) into `rules`, resolving its references; returns its root rule. */
function compileInto(schema: unknown, rules: ValueRule[]): ValueRule {
  if (!isSchema(schema)) throw new UnsupportedSchemaError('', 'the schema must be a JSON object');
  if (!objectRooted(schema)) throw new UnsupportedSchemaError('type', 'the root of the schema must be {"type": "object"}');
  const c = new Compiler(schema, rules);
  const root = c.rule(schema, []);
  c.defs.set('#', root);
  for (const ref of c.refs) {
    const target = c.defs.get(ref.name);
    if (!target) throw new UnsupportedSchemaError(c.refPaths.get(ref)!, `$ref ${JSON.stringify(ref.name)} names no definition in $defs or definitions`);
    ref.target = target;
  }
  return root;
}

class Compiler {
  readonly refs: RefRule[] = [];
  readonly refPaths = new Map<RefRule, string>();
  readonly defs = new Map<string, ValueRule>();

  constructor(
    root: unknown,
    readonly rules: ValueRule[],
  ) {
    if (!isSchema(root)) return;
    for (const key of ['$defs', 'definitions'] as const) {
      const defs = root[key];
      if (defs === undefined) continue;
      if (!isSchema(defs)) throw new UnsupportedSchemaError(key, `${key} must be an object of schemas`);
      // Placeholders first, so definitions may refer to each other (and to themselves) in any order.
      for (const name of Object.keys(defs)) this.defs.set(`#/${key}/${name}`, this.add({ kind: 'ref', id: 0, name: `#/${key}/${name}`, target: undefined }));
      for (const [name, def] of Object.entries(defs)) {
        const placeholder = this.defs.get(`#/${key}/${name}`) as RefRule;
        placeholder.target = this.rule(def, [key, name]);
      }
    }
  }

  add<R extends ValueRule>(rule: R): R {
    const withId = { ...rule, id: this.rules.length };
    this.rules.push(withId);
    return withId;
  }

  rule(schema: unknown, path: readonly string[]): ValueRule {
    const at = (...more: string[]) => [...path, ...more].join('.');
    if (schema === true || (isSchema(schema) && Object.keys(schema).every((k) => ANNOTATIONS.has(k)))) return this.add({ kind: 'any', id: 0 });
    if (!isSchema(schema)) throw new UnsupportedSchemaError(at(), 'a schema must be a JSON object');
    for (const key of Object.keys(schema)) {
      if (!ENFORCED.has(key) && !ANNOTATIONS.has(key)) throw new UnsupportedSchemaError(at(key), `the keyword ${key} is not supported by constrained decoding (supported: ${[...ENFORCED].join(', ')})`);
      if ((key === '$defs' || key === 'definitions') && path.length > 0) throw new UnsupportedSchemaError(at(key), `${key} is supported at the root of the schema only`);
    }
    if (schema.$ref !== undefined) {
      if (typeof schema.$ref !== 'string') throw new UnsupportedSchemaError(at('$ref'), '$ref must be a string');
      const others = Object.keys(schema).filter((k) => k !== '$ref' && !ANNOTATIONS.has(k) && !(path.length === 0 && (k === '$defs' || k === 'definitions')));
      if (others.length > 0) throw new UnsupportedSchemaError(at(others[0]!), `${others[0]} beside $ref is not supported`);
      if (schema.$ref === '#') return this.refTo('#', at('$ref'));
      return this.refTo(schema.$ref, at('$ref'));
    }
    if (schema.const !== undefined) return this.add({ kind: 'literal', id: 0, texts: [jsonBytes(schema.const)] });
    if (schema.enum !== undefined) {
      if (!Array.isArray(schema.enum) || schema.enum.length === 0) throw new UnsupportedSchemaError(at('enum'), 'enum must be a non-empty array');
      return this.add({ kind: 'literal', id: 0, texts: [...new Set(schema.enum.map(jsonBytes))] });
    }
    if (schema.anyOf !== undefined) {
      if (!Array.isArray(schema.anyOf) || schema.anyOf.length === 0) throw new UnsupportedSchemaError(at('anyOf'), 'anyOf must be a non-empty array of schemas');
      const siblings = Object.keys(schema).filter((k) => k !== 'anyOf' && !ANNOTATIONS.has(k) && !(path.length === 0 && (k === '$defs' || k === 'definitions')));
      if (siblings.length > 0) throw new UnsupportedSchemaError(at(siblings[0]!), `${siblings[0]} beside anyOf is not supported (put it inside each option)`);
      return this.add({ kind: 'anyOf', id: 0, options: schema.anyOf.map((s, i) => this.rule(s, [...path, 'anyOf', String(i)])) });
    }
    const type = schema.type;
    if (Array.isArray(type)) {
      if (type.length === 0) throw new UnsupportedSchemaError(at('type'), 'type must name at least one type');
      return this.add({ kind: 'anyOf', id: 0, options: type.map((t) => this.typed(schema, t, path)) });
    }
    if (type === undefined) throw new UnsupportedSchemaError(at('type'), 'a schema needs a type (or enum, const, anyOf, $ref)');
    return this.typed(schema, type, path);
  }

  private refTo(name: string, path: string): ValueRule {
    if (name !== '#' && !/^#\/(\$defs|definitions)\/[^/]+$/.test(name)) throw new UnsupportedSchemaError(path, `$ref must point into #/$defs or #/definitions (got ${JSON.stringify(name)})`);
    const ref = this.add<RefRule>({ kind: 'ref', id: 0, name, target: undefined });
    this.refs.push(ref);
    this.refPaths.set(ref, path);
    return ref;
  }

  private typed(schema: Schema, type: unknown, path: readonly string[]): ValueRule {
    const at = (...more: string[]) => [...path, ...more].join('.');
    const misplaced = (keys: string[]) => {
      for (const k of keys) if (schema[k] !== undefined) throw new UnsupportedSchemaError(at(k), `${k} applies to ${k === 'items' || k.endsWith('Items') ? 'arrays' : 'objects'}, not to type ${String(type)}`);
    };
    switch (type) {
      case 'string':
        misplaced(['minimum', 'maximum']);
        misplaced(['properties', 'required', 'additionalProperties', 'items', 'minItems', 'maxItems']);
        return this.add({ kind: 'string', id: 0 });
      case 'number':
      case 'integer':
        misplaced(['properties', 'required', 'additionalProperties', 'items', 'minItems', 'maxItems']);
        return this.number(schema, type === 'integer', path);
      case 'boolean':
        misplaced(['minimum', 'maximum']);
        misplaced(['properties', 'required', 'additionalProperties', 'items', 'minItems', 'maxItems']);
        return this.add({ kind: 'literal', id: 0, texts: ['true', 'false'] });
      case 'null':
        misplaced(['minimum', 'maximum']);
        misplaced(['properties', 'required', 'additionalProperties', 'items', 'minItems', 'maxItems']);
        return this.add({ kind: 'literal', id: 0, texts: ['null'] });
      case 'array':
        misplaced(['properties', 'required', 'additionalProperties', 'minimum', 'maximum']);
        return this.array(schema, path);
      case 'object':
        misplaced(['items', 'minItems', 'maxItems', 'minimum', 'maximum']);
        return this.object(schema, path);
      default:
        throw new UnsupportedSchemaError(at('type'), `unknown type ${JSON.stringify(type)}`);
    }
  }

  /**
   * A number rule that keeps `minimum`/`maximum`: every text it allows is within them (it may allow fewer
   * values than the bounds do, e.g. only 15-digit integers for the safe-integer range zod writes). A bound it
   * cannot keep this way (a positive minimum over a wide range, say) is refused.
   */
  private number(schema: Schema, integer: boolean, path: readonly string[]): ValueRule {
    const at = (k: string) => [...path, k].join('.');
    const bound = (k: 'minimum' | 'maximum'): number | undefined => {
      const v = schema[k];
      if (v === undefined) return undefined;
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new UnsupportedSchemaError(at(k), `${k} must be a finite number`);
      return v;
    };
    const lo = bound('minimum');
    const hi = bound('maximum');
    if (lo === undefined && hi === undefined) return this.add({ kind: 'number', id: 0, integer, negative: true, intDigits: MAX_INT_DIGITS, exponent: !integer });
    if (lo !== undefined && hi !== undefined && hi < lo) throw new UnsupportedSchemaError(at('maximum'), 'maximum is below minimum');
    if (integer && lo !== undefined && hi !== undefined && Math.floor(hi) - Math.ceil(lo) < MAX_LITERAL_RANGE) {
      const texts: string[] = [];
      for (let v = Math.ceil(lo); v <= Math.floor(hi); v++) texts.push(String(v));
      if (texts.length === 0) throw new UnsupportedSchemaError(at('maximum'), 'no integer lies between minimum and maximum');
      return this.add({ kind: 'literal', id: 0, texts });
    }
    if (lo !== undefined && lo > 0) throw new UnsupportedSchemaError(at('minimum'), 'a positive minimum is supported for integer ranges narrower than 1000 only');
    // Numbers with at most d digits before the point are below 10^d in size (integers: at most 10^d - 1).
    const room = integer ? 1 : 0;
    const digitsWithin = (limit: number, k: 'minimum' | 'maximum'): number => {
      if (limit + room < 10) throw new UnsupportedSchemaError(at(k), `a ${k} this close to 0 is supported for integer ranges narrower than 1000 only`);
      let d = Math.min(MAX_INT_DIGITS, Math.floor(Math.log10(limit + room)));
      while (d > 1 && 10 ** d - room > limit) d--;
      return d;
    };
    const negative = lo === undefined || lo < 0;
    let intDigits = MAX_INT_DIGITS;
    if (hi !== undefined) intDigits = Math.min(intDigits, digitsWithin(hi, 'maximum'));
    if (lo !== undefined && lo < 0) intDigits = Math.min(intDigits, digitsWithin(-lo, 'minimum'));
    return this.add({ kind: 'number', id: 0, integer, negative, intDigits, exponent: false });
  }

  private array(schema: Schema, path: readonly string[]): ValueRule {
    const at = (...more: string[]) => [...path, ...more].join('.');
    const count = (k: 'minItems' | 'maxItems', fallback: number): number => {
      const v = schema[k];
      if (v === undefined) return fallback;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new UnsupportedSchemaError(at(k), `${k} must be an integer >= 0`);
      return v;
    };
    const minItems = count('minItems', 0);
    const maxItems = count('maxItems', Number.POSITIVE_INFINITY);
    if (minItems > MAX_MIN_ITEMS) throw new UnsupportedSchemaError(at('minItems'), `minItems above ${MAX_MIN_ITEMS} is not supported`);
    if (maxItems < minItems) throw new UnsupportedSchemaError(at('maxItems'), 'maxItems is below minItems');
    const items = schema.items === undefined ? this.add({ kind: 'any', id: 0 }) : this.rule(schema.items, [...path, 'items']);
    return this.add({ kind: 'array', id: 0, items, minItems, maxItems });
  }

  private object(schema: Schema, path: readonly string[]): ValueRule {
    const at = (...more: string[]) => [...path, ...more].join('.');
    const properties = schema.properties ?? {};
    if (!isSchema(properties)) throw new UnsupportedSchemaError(at('properties'), 'properties must be an object of schemas');
    const required = schema.required ?? [];
    if (!Array.isArray(required) || !required.every((r) => typeof r === 'string')) throw new UnsupportedSchemaError(at('required'), 'required must be an array of property names');
    for (const r of required) if (!(r in properties)) throw new UnsupportedSchemaError(at('required'), `required names ${JSON.stringify(r)}, which is not in properties`);
    const names = Object.keys(properties);
    const additional = schema.additionalProperties;
    if (names.length === 0 && (additional === undefined || additional === true)) return this.add({ kind: 'object', id: 0, open: true, properties: [] });
    if (additional !== false) {
      throw new UnsupportedSchemaError(at('additionalProperties'), 'an object with properties needs additionalProperties: false (as strict structured outputs require)');
    }
    return this.add({
      kind: 'object',
      id: 0,
      open: false,
      properties: names.map((name) => ({ name, keyText: jsonBytes(name), value: this.rule(properties[name], [...path, 'properties', name]), required: required.includes(name) })),
    });
  }
}
