import fc from 'fast-check';

/** Random JSON Schemas of the subset constrained decoding supports (fast-check arbitraries). */
const leafSchema = fc.oneof(
  fc.constant({ type: 'string' }),
  fc.constant({ type: 'number' }),
  fc.constant({ type: 'integer' }),
  fc.constant({ type: 'boolean' }),
  fc.constant({ type: 'null' }),
  fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.integer({ min: -50, max: 50 })), { minLength: 1, maxLength: 4 }).map((values) => ({ enum: [...new Set(values)] })),
  fc.string({ maxLength: 5 }).map((v) => ({ const: v })),
  // Bounds: zod's safe-integer range, a narrow integer range (a literal of its values), a non-negative number.
  fc.constant({ type: 'integer', minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER }),
  fc.tuple(fc.integer({ min: -500, max: 500 }), fc.integer({ min: 0, max: 30 })).map(([lo, width]) => ({ type: 'integer', minimum: lo, maximum: lo + width })),
  fc.integer({ min: 10, max: 100_000 }).map((hi) => ({ type: 'number', minimum: 0, maximum: hi })),
  fc.integer({ min: 9, max: 100_000 }).map((lo) => ({ type: 'integer', minimum: -lo })),
);
/** A random schema of any supported form. */
export const { schema: randomSchema } = fc.letrec<{ schema: Record<string, unknown> }>((tie) => ({
  schema: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafSchema,
    fc.record({ type: fc.constant('array'), items: tie('schema'), maxItems: fc.integer({ min: 1, max: 3 }) }),
    fc.record({ anyOf: fc.array(tie('schema'), { minLength: 1, maxLength: 3 }) }),
    fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 6 }), tie('schema'), fc.boolean()), { maxLength: 4, selector: (p) => p[0] }).map((props) => ({
      type: 'object',
      properties: Object.fromEntries(props.map(([k, s]) => [k, s])),
      required: props.filter((p) => p[2]).map((p) => p[0]),
      additionalProperties: false,
    })),
  ),
}));
/** A random object schema (the root form response_format and tool parameters take). */
export const randomObjectSchema = fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 6 }), randomSchema, fc.boolean()), { minLength: 1, maxLength: 4, selector: (p) => p[0] }).map((props) => ({
  type: 'object',
  properties: Object.fromEntries(props.map(([k, s]) => [k, s])),
  required: props.filter((p) => p[2]).map((p) => p[0]),
  additionalProperties: false,
}));

