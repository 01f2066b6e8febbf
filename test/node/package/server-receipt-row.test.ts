/**
 * The store's row check without zod (validRow, src/server/receipt-row.ts) is NewReceipt.parse: for any input, the
 * same row when the schema accepts it, the same refusal (a ZodError) when it does not. And the duplicate-key check
 * behind the stored payload text agrees with a reading by JSON.parse of every object.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ZodError } from 'zod';
import { NewReceipt } from '../../../src/server/store.js';
import { validRow } from '../../../src/server/receipt-row.js';
import { hasDuplicateKeys } from '../../../src/server/json-keys.js';

const text = fc.oneof(fc.string({ maxLength: 8 }), fc.constant(''), fc.string({ minLength: 510, maxLength: 514 }));
const value = fc.oneof(text, fc.constant(null), fc.constant(undefined), fc.integer({ min: -3, max: 3 }), fc.constant(2 ** 53), fc.constant(1.5), fc.constant(Number.NaN), fc.boolean());
const good = fc.record({
  provider: fc.constantFrom('liqx', 'cashout-reference', 'ipay'),
  event_id: fc.string({ minLength: 1, maxLength: 40 }),
  event_type: fc.string({ minLength: 1, maxLength: 20 }),
  intent_id: fc.option(fc.string({ maxLength: 20 })),
  external_ref: fc.option(fc.string({ maxLength: 20 })),
  status: fc.constantFrom('created', 'pending', 'completed', 'failed'),
  owner: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }),
  phase: fc.option(fc.constant('PAYOUT')),
  attempts: fc.option(fc.integer({ min: 1, max: 9 })),
  reference: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }),
  amount_minor: fc.option(fc.integer(), { nil: undefined }),
  currency: fc.option(fc.constant('KRW'), { nil: undefined }),
  failure_code: fc.option(fc.string({ maxLength: 8 })),
  failure_message: fc.option(fc.string({ maxLength: 8 })),
  occurred_at: fc.string({ maxLength: 30 }),
  payload: fc.constantFrom('{}', '{"a":1,"a":2}', '{"a":{"b":1},"b":[{"c":1},{"c":2}]}', '{"\\u0061":1,"a":2}'),
});
// A good row with one field replaced by an arbitrary value (or removed), or an extra key.
const mutated = fc.tuple(good, fc.constantFrom(...Object.keys(NewReceipt.shape), 'extra'), value).map(([row, key, v]) => ({ ...row, [key]: v }));

const outcome = (run: () => unknown) => {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    return { ok: false, zod: error instanceof ZodError, issues: error instanceof ZodError ? error.issues.map((i) => i.path.join('.')) : String(error) };
  }
};

test('validRow accepts, builds and refuses exactly as NewReceipt.parse', () => {
  fc.assert(
    fc.property(fc.oneof(good, mutated, fc.constantFrom(null, [], 'row', 1)), (input) => {
      assert.deepEqual(outcome(() => validRow(input)), outcome(() => NewReceipt.parse(input)));
    }),
    { numRuns: 3000 },
  );
});

/** Every object of the text read by hand: a key seen twice in one object. */
function reference(text: string): boolean {
  let dup = false;
  JSON.parse(text); // the generator writes JSON only
  const seen: Set<string>[] = [];
  const re = /"(?:[^"\\]|\\.)*"|[{}[\]:,]|[^"{}[\]:,\s]+/g;
  const tokens = text.match(re) ?? [];
  const kinds: ('o' | 'a')[] = [];
  let expectKey = false;
  for (const t of tokens) {
    if (t === '{') (kinds.push('o'), seen.push(new Set()), (expectKey = true));
    else if (t === '[') (kinds.push('a'), (expectKey = false));
    else if (t === '}' || t === ']') (kinds.pop() === 'o' && seen.pop(), (expectKey = false));
    else if (t === ',') expectKey = kinds[kinds.length - 1] === 'o';
    else if (expectKey && t.startsWith('"')) {
      const key = JSON.parse(t) as string;
      const own = seen[seen.length - 1]!;
      if (own.has(key)) dup = true;
      own.add(key);
      expectKey = false;
    } else expectKey = false;
  }
  return dup;
}

test('hasDuplicateKeys finds a key named twice in any object, however spelled, also past the scan size', () => {
  const key = fc.constantFrom('a', 'b', 'k1', '\\u0061', 'x"y', '{', ',');
  const json: fc.Arbitrary<string> = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constantFrom('1', '"s,{}"', 'null'), tie('array'), tie('object')),
    array: fc.array(tie('node'), { maxLength: 4 }).map((xs) => `[${xs.join(',')}]`),
    object: fc.array(fc.tuple(key, tie('node')), { maxLength: 30 }).map((kv) => `{${kv.map(([k, v]) => `${JSON.stringify(k).replace('\\\\u0061', '\\u0061')}:${v}`).join(',')}}`),
  })).node as fc.Arbitrary<string>;
  fc.assert(
    fc.property(json, (text) => {
      assert.equal(hasDuplicateKeys(text), reference(text), text);
    }),
    { numRuns: 2000 },
  );
  const many = `{${Array.from({ length: 40 }, (_, i) => `"k${i}":{"k${i}":1}`).join(',')},"k39":0}`;
  assert.equal(hasDuplicateKeys(many), true);
  assert.equal(hasDuplicateKeys(many.replace(',"k39":0', '')), false);
});
