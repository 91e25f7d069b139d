/**
 * Constrained decoding: JSON Schema (OpenAI's strict subset) or any JSON object compiled into a grammar, a
 * byte-level pushdown automaton over it, and token masks over a byte-level BPE vocabulary, so that what a
 * model generates always parses and matches the schema.
 */
export { compileJsonSchema, compileToolCall, anyJsonObject, jsonBytes, UnsupportedSchemaError, type JsonGrammar, type ValueRule, type GrammarOptions, type ToolSchema } from './grammar.js';
export { JsonAutomaton, type AutomatonState } from './automaton.js';
export { GrammarMasks, MaskCache, tokenVocabulary, type TokenConstraint, type TokenVocabulary } from './token-mask.js';
