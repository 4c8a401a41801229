// fast-check arbitraries from the JSON Schemas of an OpenAPI document: values the schema accepts
// (as far as JSON Schema can say; zod refinements are not in it) and hostile variants of them.
// zod-fast-check only knows zod 3, and Pinion's schemas are zod 4, so the served OpenAPI
// document is the source: it is what clients read too (docs/adr/0012-no-5xx-for-bad-input.md).
import fc from 'fast-check';

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
};

export type Resolve = (ref: string) => JsonSchema;

/**
 * Values that mean something to the server, by property name (`selector`, `version`, ...):
 * offered beside what the schema alone would give, so that requests get past validation into
 * the services often enough to exercise them.
 */
export type Hints = Record<string, fc.Arbitrary<unknown>>;

/** A hint's way to leave its property out (for "give either a or b" rules). */
export const omit = Symbol('omit');

/** Values the schema describes. Sizes are kept small: the point is shape, not volume. */
export function validValue(
  schema: JsonSchema,
  resolve: Resolve,
  hints: Hints = {},
  depth = 0,
): fc.Arbitrary<unknown> {
  if (schema.$ref) return validValue(resolve(schema.$ref), resolve, hints, depth);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return fc.oneof(...union.map((s) => validValue(s, resolve, hints, depth)));
  if (schema.allOf) return validValue(Object.assign({}, ...schema.allOf), resolve, hints, depth);
  if (Array.isArray(schema.type))
    return fc.oneof(
      ...schema.type.map((type) => validValue({ ...schema, type }, resolve, hints, depth)),
    );
  switch (schema.type) {
    case 'string':
      return validString(schema);
    case 'integer':
    case 'number':
      return validNumber(schema);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(
        schema.items ? validValue(schema.items, resolve, hints, depth + 1) : fc.jsonValue(),
        {
          minLength: schema.minItems ?? 0,
          maxLength: Math.min(schema.maxItems ?? 4, Math.max(schema.minItems ?? 0, 4)),
        },
      );
    case 'object':
      return validObject(schema, resolve, hints, depth);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'date-time')
    return fc
      .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString());
  if (schema.format === 'uuid') return fc.uuid();
  const maxLength = Math.min(schema.maxLength ?? 24, 64);
  if (schema.pattern) {
    try {
      return fc
        .stringMatching(new RegExp(schema.pattern))
        .filter((s) => s.length >= (schema.minLength ?? 0) && s.length <= maxLength);
    } catch {
      // a pattern fast-check cannot generate from: fall back to plain text
    }
  }
  return fc.string({ minLength: schema.minLength ?? 0, maxLength });
}

function validNumber(schema: JsonSchema): fc.Arbitrary<number> {
  const min = schema.minimum ?? schema.exclusiveMinimum ?? -1_000;
  const max = Math.max(min, schema.maximum ?? schema.exclusiveMaximum ?? 1_000);
  if (schema.type === 'integer') {
    const low = Math.floor(min) + (schema.exclusiveMinimum !== undefined ? 1 : 0);
    const high = Math.ceil(max) - (schema.exclusiveMaximum !== undefined ? 1 : 0);
    return fc.integer({ min: low, max: Math.max(low, high) });
  }
  return fc.double({
    min,
    max,
    minExcluded: schema.exclusiveMinimum !== undefined,
    maxExcluded: schema.exclusiveMaximum !== undefined,
    noNaN: true,
  });
}

function validObject(schema: JsonSchema, resolve: Resolve, hints: Hints, depth: number) {
  if (schema.properties && Object.keys(schema.properties).length > 0) {
    const model = Object.fromEntries(
      Object.entries(schema.properties).map(([k, s]) => {
        const generated = validValue(s, resolve, hints, depth + 1);
        const hint = hints[k];
        return [k, hint ? fc.oneof({ weight: 3, arbitrary: hint }, generated) : generated];
      }),
    );
    return fc
      .record(model, { requiredKeys: schema.required ?? [] })
      .map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== omit)));
  }
  if (typeof schema.additionalProperties === 'object' && depth < 4) {
    return fc.dictionary(
      schema.propertyNames
        ? validString(schema.propertyNames)
        : fc.string({ minLength: 1, maxLength: 12 }),
      validValue(schema.additionalProperties, resolve, hints, depth + 1),
      { maxKeys: 3 },
    );
  }
  return fc.constant({});
}

let deep: unknown = 'bottom';
for (let i = 0; i < 200; i++) deep = { d: deep };

/** What an attacker or a broken client puts where a value belongs. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udc00y',
    '',
    ' ',
    'x'.repeat(5_000),
    '%ff',
    '../../etc/passwd',
    "'; DROP TABLE sites; --",
    '\u202egnp.exe',
    '\ufeff',
    2 ** 31,
    2 ** 31 - 1,
    -(2 ** 31) - 1,
    2 ** 53,
    2 ** 63,
    1e308,
    -1,
    0,
    1.5,
    null,
    true,
    [],
    {},
    [null],
    { '\u0000': 1 },
    deep,
  ),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** A valid value with one place in it (the whole, a field, an element) replaced or removed. */
export function mutated(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(valid, fc.nat(), hostileValue, fc.constantFrom('replace', 'remove', 'extra'))
    .map(([value, pick, hostile, how]) => {
      const places = placesIn(value);
      const { parent, key } = places[pick % places.length]!;
      if (parent === undefined) return how === 'replace' ? hostile : value;
      const copy = structuredClone(value);
      const target = walk(copy, parent) as Record<string | number, unknown>;
      if (how === 'remove') delete target[key!];
      else if (how === 'extra' && !Array.isArray(target)) target['unexpected\u0000field'] = hostile;
      else target[key!] = hostile;
      return copy;
    });
}

type Place = { parent?: (string | number)[]; key?: string | number };

function placesIn(value: unknown, path: (string | number)[] = [], out: Place[] = [{}]): Place[] {
  if (typeof value !== 'object' || value === null || path.length > 6) return out;
  for (const [key, child] of Object.entries(value)) {
    const k = Array.isArray(value) ? Number(key) : key;
    out.push({ parent: path, key: k });
    placesIn(child, [...path, k], out);
  }
  return out;
}

function walk(value: unknown, path: (string | number)[]): unknown {
  return path.reduce((v, k) => (v as Record<string | number, unknown>)[k], value);
}
