/**
 * The schema builders the wire shapes are written with: objects of strings, numbers, literals and optional fields,
 * each string or number with its own checks. That is all the protocol needs, and all the script-tag file should
 * carry: zod/mini's general machinery was half the file's cold evaluation. The names and the result follow zod's
 * (`object`, `optional`, `literal`, `.check(refine(...))`, `safeParse` answering `{ success, data | error.issues }`),
 * so a schema reads like one, and the server kit derives a zod schema from the same definition (its `def`).
 *
 * Parsing collects every issue with its path, copies only the declared keys (unknown keys are dropped, as zod's
 * object does), reads nothing but those keys, and throws for no value a message or JSON can carry (a getter that
 * throws, on an object handed over in-page, throws through, as with zod).
 */

/** One problem with the input: where (`['data', 'reason', 'code']`) and what. */
export interface Issue {
  readonly code: 'invalid_type' | 'invalid_value' | 'custom';
  readonly path: PropertyKey[];
  readonly message: string;
}

export type SafeParseResult<T> = { success: true; data: T } | { success: false; error: { issues: Issue[] } };

/** A check of a string or number: a predicate and the message when it fails. */
export interface Refinement<T> {
  readonly test: (value: T) => boolean;
  readonly message: string;
}

/** What a schema is, for whoever derives another schema language from it (the server kit's zod twin). */
export type SchemaDef =
  | { readonly type: 'string' | 'number'; readonly checks: readonly Refinement<never>[] }
  | { readonly type: 'literal'; readonly values: readonly Literal[] }
  | { readonly type: 'optional'; readonly inner: Schema<unknown, boolean> }
  | { readonly type: 'object'; readonly shape: Readonly<Record<string, Schema<unknown, boolean>>> };

type Literal = string | number | boolean | null;

/** Marks a parse that failed at this node (its issues are already recorded). */
const FAIL: unique symbol = Symbol('fail');
type Run = (input: unknown, path: PropertyKey[], issues: Issue[]) => unknown;

export class Schema<out T, out Optional extends boolean = false> {
  /** Only for type inference (`infer<S>`); never set. */
  declare readonly _output: T;
  declare readonly _optional: Optional;
  readonly def: SchemaDef;
  readonly #run: Run;

  constructor(def: SchemaDef, run: Run) {
    this.def = def;
    this.#run = run;
  }

  /** The data (declared keys only), or every issue with its path. */
  safeParse(input: unknown): SafeParseResult<T> {
    const issues: Issue[] = [];
    const data = this.#run(input, [], issues);
    return issues.length || data === FAIL ? { success: false, error: { issues } } : { success: true, data: data as T };
  }

  /** @internal Runs this node at `path`, recording issues; FAIL when it failed. */
  static run(schema: Schema<unknown, boolean>, input: unknown, path: PropertyKey[], issues: Issue[]): unknown {
    return schema.#run(input, path, issues);
  }
}

/** The data type a schema parses to (`v.infer<typeof Reason>`, as `z.infer`). */
export type Output<S extends Schema<unknown, boolean>> = S['_output'];
export type { Output as infer };

const received = (input: unknown): string => (input === null ? 'null' : Array.isArray(input) ? 'array' : typeof input);
const typeIssue = (expected: string, input: unknown, path: PropertyKey[]): Issue => ({
  code: 'invalid_type', path, message: `Invalid input: expected ${expected}, received ${received(input)}`,
});

/** A string or number schema; `.check()` returns a new one with more checks, run in order, the first failure reported. */
export class Primitive<T extends string | number> extends Schema<T> {
  readonly #type: 'string' | 'number';
  readonly #checks: readonly Refinement<T>[];

  constructor(type: 'string' | 'number', checks: readonly Refinement<T>[] = []) {
    super({ type, checks: checks as readonly Refinement<never>[] }, (input, path, issues) => {
      // Numbers as zod's: finite only (NaN and Infinity are not numbers a message can carry).
      if (typeof input !== type || (type === 'number' && !Number.isFinite(input))) return issues.push(typeIssue(type, input, path)), FAIL;
      for (const check of checks) if (!check.test(input as T)) return issues.push({ code: 'custom', path, message: check.message }), FAIL;
      return input;
    });
    this.#type = type;
    this.#checks = checks;
  }

  check(...checks: Refinement<T>[]): Primitive<T> {
    return new Primitive<T>(this.#type, [...this.#checks, ...checks]);
  }
}

export const string = (): Primitive<string> => new Primitive('string');
export const number = (): Primitive<number> => new Primitive('number');

/** A check for `.check()`: `refine((s) => s.length <= 200, 'Expected at most 200 characters')`. */
export const refine = <T>(test: (value: T) => boolean, message = 'Invalid input'): Refinement<T> => ({ test, message });

/** One value, or one of a list: `literal('PAYOUT_READY')`, `literal(['ko', 'en'])`. */
export function literal<const L extends Literal | readonly Literal[]>(value: L): Schema<L extends readonly (infer E)[] ? E : L> {
  const values: readonly Literal[] = Array.isArray(value) ? value : [value as Literal];
  return new Schema({ type: 'literal', values }, (input, path, issues) =>
    values.includes(input as Literal)
      ? input
      : (issues.push({ code: 'invalid_value', path, message: `Invalid input: expected ${values.map((v) => JSON.stringify(v)).join(' | ')}` }), FAIL));
}

/** The field may be absent (or undefined); when present it must pass `inner`. */
export const optional = <T>(inner: Schema<T, boolean>): Schema<T | undefined, true> =>
  new Schema({ type: 'optional', inner }, (input, path, issues) => (input === undefined ? undefined : Schema.run(inner, input, path, issues)));

type Shape = Record<string, Schema<unknown, boolean>>;
type Flat<T> = { [K in keyof T]: T[K] } & {};
type ObjectOutput<S extends Shape> = Flat<
  { -readonly [K in keyof S as S[K] extends Schema<unknown, true> ? never : K]: Output<S[K]> } &
  { -readonly [K in keyof S as S[K] extends Schema<unknown, true> ? K : never]?: Output<S[K]> }
>;

export interface ObjectSchema<S extends Shape> extends Schema<ObjectOutput<S>> {
  readonly shape: S;
}

/** A plain object (not null, not an array) with these fields; others are dropped from the data. */
export function object<const S extends Shape>(shape: S): ObjectSchema<S> {
  const keys = Object.keys(shape);
  const schema = new Schema<ObjectOutput<S>>({ type: 'object', shape }, (input, path, issues) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return issues.push(typeIssue('object', input, path)), FAIL;
    const data: Record<string, unknown> = {};
    let failed = false;
    for (const key of keys) {
      const value = Schema.run(shape[key]!, (input as Record<string, unknown>)[key], [...path, key], issues);
      if (value === FAIL) failed = true;
      // As zod: an optional key given as undefined stays in the data, one never given stays out.
      else if (value !== undefined || key in (input as object)) data[key] = value;
    }
    return failed ? FAIL : data;
  });
  return Object.assign(schema, { shape });
}
