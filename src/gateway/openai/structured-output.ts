import { QudaoError } from '../../errors/index.js';
import { anyJsonObject, compileJsonSchema, compileToolCall, JsonAutomaton, UnsupportedSchemaError, type JsonGrammar, type ToolSchema } from '../../inference/index.js';
import type { ChatCompletionRequest } from './schemas.js';

/**
 * What an in-process model's chat answer must be, read from `response_format`, `tools` and `tool_choice`:
 * free text, a JSON text (JSON mode or a JSON Schema), or one call of a tool. JSON and tool calls are made by
 * constrained decoding (inference/constrained), so they always parse and match their schema unless
 * `max_tokens` cuts them (finish reason `length`).
 */
export type OutputPlan =
  | { readonly kind: 'text' }
  | { readonly kind: 'json'; readonly grammar: JsonGrammar }
  | { readonly kind: 'tool'; readonly grammar: JsonGrammar };

/** `response_format: {type: 'json_object'}`: one grammar for every request, so its token masks stay warm. */
const JSON_OBJECT: JsonGrammar = anyJsonObject();
/** A tool without `parameters` takes no arguments: `{}`. */
const NO_PARAMETERS = { type: 'object', properties: {}, additionalProperties: false };

type Body = Record<string, unknown>;

function isObject(v: unknown): v is Body {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function invalid(param: string, message: string): QudaoError {
  return new QudaoError('QD_INVALID_REQUEST', `${param}: ${message}`, { param });
}

/**
 * Compiles a schema, turning an unsupported keyword into QD_UNSUPPORTED_PARAMETER naming its path under
 * `param`. A schema no finite JSON text matches (a required property that recurses into itself) is an
 * invalid request: generation could never end.
 */
function compile(param: string, build: () => JsonGrammar): JsonGrammar {
  try {
    const grammar = build();
    const automaton = new JsonAutomaton(grammar);
    if (!Number.isFinite(automaton.minBytesToFinish(automaton.initial))) throw invalid(param, 'no finite JSON text matches this schema (a required property recurses without end)');
    return grammar;
  } catch (err) {
    if (!(err instanceof UnsupportedSchemaError)) throw err;
    const at = err.path ? `${param}.${err.path}` : param;
    throw new QudaoError('QD_UNSUPPORTED_PARAMETER', `${at}: ${err.message}; in-process models enforce the JSON Schema subset of strict structured outputs`, { param: at });
  }
}

/**
 * Reads the output fields of a chat request for an in-process model. `tool_choice` `required` or a named
 * function makes the answer a tool call; `auto` (also the default when `tools` are sent) is refused, since
 * these models have no tool-calling template to decide between text and a call; `none` ignores the tools.
 * `grammars` memoises compiled JSON Schemas by their text, so repeated requests share warm token masks.
 */
export function outputPlan(body: ChatCompletionRequest, grammars: Map<string, JsonGrammar>): OutputPlan {
  const raw = body as Body;
  if (raw.parallel_tool_calls !== undefined && raw.parallel_tool_calls !== null && typeof raw.parallel_tool_calls !== 'boolean') throw invalid('parallel_tool_calls', 'must be a boolean');
  const tool = toolPlan(raw, grammars);
  if (tool) return tool;
  const format = raw.response_format;
  if (format === undefined || format === null) return { kind: 'text' };
  if (!isObject(format)) throw invalid('response_format', 'must be an object such as {"type": "json_object"}');
  switch (format.type) {
    case 'text':
      return { kind: 'text' };
    case 'json_object':
      return { kind: 'json', grammar: JSON_OBJECT };
    case 'json_schema': {
      const spec = format.json_schema;
      if (!isObject(spec)) throw invalid('response_format.json_schema', 'must be an object with name and schema');
      if (typeof spec.name !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(spec.name)) throw invalid('response_format.json_schema.name', 'must be 1 to 64 letters, digits, _ or -');
      if (spec.strict !== undefined && spec.strict !== null && typeof spec.strict !== 'boolean') throw invalid('response_format.json_schema.strict', 'must be a boolean');
      if (spec.schema === undefined || spec.schema === null) return { kind: 'json', grammar: JSON_OBJECT };
      const schema = spec.schema;
      return { kind: 'json', grammar: memo(grammars, JSON.stringify(schema), () => compile('response_format.json_schema.schema', () => compileJsonSchema(schema))) };
    }
    default:
      throw invalid('response_format.type', `must be text, json_object or json_schema (got ${JSON.stringify(format.type)})`);
  }
}

function toolPlan(raw: Body, grammars: Map<string, JsonGrammar>): OutputPlan | undefined {
  const { tools, tool_choice: choice } = raw;
  const hasTools = tools !== undefined && tools !== null;
  if (!hasTools) {
    if (choice !== undefined && choice !== null && choice !== 'none') throw invalid('tool_choice', 'needs tools');
    return undefined;
  }
  if (!Array.isArray(tools) || tools.length === 0) throw invalid('tools', 'must be a non-empty array of {"type": "function", "function": {...}}');
  if (choice === 'none') return undefined;
  const declared = tools.map((t, i): ToolSchema => {
    if (!isObject(t) || t.type !== 'function' || !isObject(t.function)) {
      throw new QudaoError('QD_UNSUPPORTED_PARAMETER', `tools.${i}: in-process models call function tools only ({"type": "function", "function": {...}})`, { param: `tools.${i}.type` });
    }
    const fn = t.function;
    if (typeof fn.name !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(fn.name)) throw invalid(`tools.${i}.function.name`, 'must be 1 to 64 letters, digits, _ or -');
    return { name: fn.name, parameters: fn.parameters ?? NO_PARAMETERS };
  });
  if (choice === undefined || choice === null || choice === 'auto') {
    throw new QudaoError('QD_UNSUPPORTED_PARAMETER', 'tool_choice "auto" (the default with tools) is not supported by in-process models: they have no tool-calling template to choose between text and a call; send tool_choice "required" or {"type": "function", "function": {"name": ...}}, or "none"', { param: 'tool_choice' });
  }
  let chosen: ToolSchema[];
  if (choice === 'required') chosen = declared;
  else if (isObject(choice) && choice.type === 'function' && isObject(choice.function) && typeof choice.function.name === 'string') {
    const name = choice.function.name;
    const tool = declared.find((t) => t.name === name);
    if (!tool) throw invalid('tool_choice.function.name', `names no tool in tools (${JSON.stringify(name)})`);
    chosen = [tool];
  } else throw invalid('tool_choice', 'must be "none", "auto", "required" or {"type": "function", "function": {"name": ...}}');
  // Each tool's schema is checked alone first, so an unsupported keyword is named under its own tool.
  declared.forEach((t, i) => void memo(grammars, JSON.stringify(t.parameters), () => compile(`tools.${i}.function.parameters`, () => compileJsonSchema(t.parameters))));
  return { kind: 'tool', grammar: memo(grammars, JSON.stringify(['tool-call', chosen]), () => compileToolCall(chosen)) };
}

/** Most compiled grammars an upstream keeps (least recently compiled dropped first). */
const MAX_GRAMMARS = 64;

function memo(grammars: Map<string, JsonGrammar>, key: string, build: () => JsonGrammar): JsonGrammar {
  let g = grammars.get(key);
  if (!g) {
    g = build();
    if (grammars.size >= MAX_GRAMMARS) grammars.delete(grammars.keys().next().value!);
    grammars.set(key, g);
  }
  return g;
}
