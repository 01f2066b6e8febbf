/**
 * Property-based tests (fast-check): normalize refuses only with WebhookPayloadError whatever JSON it gets,
 * every accepted payload keeps its raw form, generated valid payloads are all accepted, the tolerant reader
 * reads comment-and-trailing-comma renderings of any JSON, and receipt keys ignore key order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  CASHOUT_EVENTS,
  IPAY_EVENTS,
  IPAY_STATUS,
  LIQX_EVENT_STATUS,
  PayoutReceipt,
  WEBHOOK_PROVIDERS,
  WebhookPayloadError,
  normalizePayoutWebhook,
  parseLenientJson,
  parseWebhookBody,
  receiptKey,
  canonicalJson,
  exceedsDepth,
  MAX_PAYLOAD_DEPTH,
} from '../../../src/webhooks/internal.js';
import { docExamples, liqxPayload } from '../../fixtures/webhooks/samples.js';

type Json = unknown;
const NUM_RUNS = 300;

/**
 * Normalizes and checks the two invariants: a refusal is a WebhookPayloadError with at least one issue, and an
 * acceptance is a valid receipt whose `raw` deep-equals the payload, which itself is left untouched.
 */
function normalizeChecked(provider: string, payload: Json, eventId?: string): 'accepted' | 'refused' {
  const before = structuredClone(payload);
  try {
    const receipt = normalizePayoutWebhook(provider, payload, eventId ? { eventId } : {});
    assert.deepStrictEqual(receipt.raw, before);
    assert.notEqual(receipt.raw === payload && typeof payload === 'object' && payload !== null, true, 'raw must be a copy');
    assert.ok(PayoutReceipt.safeParse(receipt).success);
    return 'accepted';
  } catch (err) {
    if (!(err instanceof WebhookPayloadError)) throw err;
    assert.ok(err.issues.length > 0);
    return 'refused';
  } finally {
    assert.deepStrictEqual(payload, before, 'normalize must not mutate its input');
  }
}

const provider = fc.constantFrom(...WEBHOOK_PROVIDERS);
const eventId = fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: undefined });

test('normalize throws nothing but WebhookPayloadError on arbitrary JSON', () => {
  fc.assert(
    fc.property(provider, fc.jsonValue(), eventId, (p, v, id) => {
      normalizeChecked(p, v, id);
    }),
    { numRuns: NUM_RUNS },
  );
});

test('normalize throws nothing but WebhookPayloadError on arbitrary objects with the providers\' own keys', () => {
  const keys = ['type', 'timestamp', 'data', 'event', 'amount', 'currency', 'payout_id', 'status', 'event_type',
    'event_type_description', 'webhook_notification_code', 'created_at', 'attempts', 'details', 'code', 'phase', 'intent_id'];
  const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(...keys), fc.integer(), fc.constantFrom(8000, 8003, 1710091428000));
  const obj = fc.letrec((tie) => ({
    node: fc.dictionary(fc.constantFrom(...keys), fc.oneof({ depthSize: 'small' }, value, tie('node')), { maxKeys: 8, noNullPrototype: true }),
  })).node;
  fc.assert(fc.property(provider, obj, eventId, (p, v, id) => void normalizeChecked(p, v, id)), { numRuns: NUM_RUNS });
});

// ---- mutations of valid payloads ----------------------------------------------------------------------------

type Path = (string | number)[];
function paths(v: Json, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...prefix, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k]));
  return out;
}
function mutate(v: Json, path: Path, op: 'set' | 'delete', value: Json): Json {
  if (!path.length) return op === 'set' ? value : {};
  const copy = structuredClone(v) as Record<string | number, unknown>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (op === 'delete' && !Array.isArray(node)) delete node[last];
  else node[last] = value;
  return copy;
}

const valid: { provider: string; payload: Json; eventId?: string }[] = [
  ...docExamples('cashout-reference').map((e) => ({ provider: 'cashout-reference', payload: parseWebhookBody(e.text) })),
  ...docExamples('ipay').map((e) => ({ provider: 'ipay', payload: parseWebhookBody(e.text) })),
  ...(['transaction.completed', 'transaction.failed', 'transaction.expired'] as const).map((t) => ({
    provider: 'liqx',
    payload: liqxPayload(t) as Json,
    eventId: 'msg_1',
  })),
];

test('mutations of valid payloads: refused with WebhookPayloadError or accepted whole', () => {
  for (const v of valid) assert.equal(normalizeChecked(v.provider, v.payload, v.eventId), 'accepted');
  // Values a mutation writes: arbitrary JSON plus near-misses that probe the documented edge cases.
  const nearMiss = fc.constantFrom<Json>(null, '', 0, -1, 1.5, 1e16, 99_999_999_999, 'payoutUpdated', 'PAYOUT', 'PAYIN',
    '2024-02-30 10:00:00', '2024-07-15 12:34:56', '9999-12-31 23:59:59', 8001, 'AUD', '100000.5', [], {});
  const mutation = fc.record({ pick: fc.nat(), op: fc.constantFrom('set' as const, 'delete' as const), value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), nearMiss) });
  let accepted = 0;
  let refused = 0;
  fc.assert(
    fc.property(fc.constantFrom(...valid), fc.array(mutation, { minLength: 1, maxLength: 3 }), (v, muts) => {
      let payload = v.payload;
      for (const m of muts) {
        const all = paths(payload);
        payload = mutate(payload, all[m.pick % all.length]!, m.op, m.value);
      }
      if (normalizeChecked(v.provider, payload, v.eventId) === 'accepted') accepted++;
      else refused++;
    }),
    { numRuns: NUM_RUNS * 3 },
  );
  // Both outcomes must actually be exercised, or the property says little.
  assert.ok(accepted > 0 && refused > 0, `accepted ${accepted}, refused ${refused}`);
});

// ---- generated valid payloads are accepted and kept raw ----------------------------------------------------

const extras = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }).map((k) => `x_${k}`), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3, noNullPrototype: true });
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const wallClock = fc
  .date({ min: new Date('1971-01-01T00:00:00Z'), max: new Date('9998-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`);
const text = fc.string({ minLength: 1, maxLength: 24 });
const nullish = <T>(a: fc.Arbitrary<T>) => fc.oneof(a, fc.constant(null));

const ipayPayload = fc
  .record({
    event: fc.constantFrom(...IPAY_EVENTS),
    amount: fc.maxSafeNat(),
    currency: fc.constantFrom('AUD', 'USD', 'nzd', 'EUR', 'CAD'),
    payout_id: fc.uuid(),
    batch_id: nullish(fc.uuid()),
    batch_run_time: nullish(fc.integer({ min: 0, max: 253_402_300_799_999 })),
    receiver_account_id: fc.uuid(),
    receiver_id: fc.uuid(),
    reference: fc.string({ maxLength: 20 }),
    status: fc.constantFrom(...(Object.keys(IPAY_STATUS) as (keyof typeof IPAY_STATUS)[])),
    subccount_id: fc.uuid(),
    // Seconds below 1e11, milliseconds from 1e11 up to the end of year 9999.
    timestamp: fc.oneof(fc.integer({ min: 0, max: 99_999_999_999 }), fc.integer({ min: 1e11, max: 253_402_300_799_999 })),
  }, { requiredKeys: ['event', 'amount', 'currency', 'payout_id', 'receiver_account_id', 'receiver_id', 'reference', 'status', 'timestamp'] });

const cashoutPayload = fc
  .record({
    name: fc.constantFrom(...(Object.keys(CASHOUT_EVENTS) as (keyof typeof CASHOUT_EVENTS)[])),
    created_at: wallClock,
    first_sent_at: wallClock,
    attempts: fc.integer({ min: 1, max: 50 }),
    account_id: fc.oneof(fc.nat(), text),
    customer_id: nullish(fc.nat()),
    transaction_id: nullish(text),
    code: text,
    status: text,
    failed_reason: fc.option(text, { nil: undefined }),
  })
  .map(({ name, code, status, failed_reason, ...rest }) => ({
    event_type: 'PAYMENT_REQUEST_CASHOUT',
    event_type_description: name,
    webhook_notification_code: CASHOUT_EVENTS[name].code,
    ...rest,
    details: {
      id: null,
      code: name === 'CASHOUT_REFERENCE_FAILED' ? null : code,
      name: name.replace('CASHOUT_REFERENCE_', ''),
      status,
      ...(failed_reason ? { failed_reason, failed_message: 'why' } : {}),
    },
  }));

const liqxGen = fc.record({
  type: fc.constantFrom(...(Object.keys(LIQX_EVENT_STATUS) as (keyof typeof LIQX_EVENT_STATUS)[])),
  timestamp: fc.date({ min: new Date('1971-01-01T00:00:00Z'), max: new Date('9999-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  intent_id: text,
  amount_krw: fc.oneof(fc.integer({ min: 0, max: 1e12 }).map(String), fc.integer({ min: 0, max: 1e12 })),
  attempt: fc.integer({ min: 1, max: 10 }),
});

test('generated valid payloads of each provider are accepted, with extra fields, and keep their raw form', async () => {
  const withExtras = <T extends object>(a: fc.Arbitrary<T>) => fc.tuple(extras, a).map(([x, p]) => ({ ...x, ...p }));
  fc.assert(fc.property(withExtras(ipayPayload), (p) => assert.equal(normalizeChecked('ipay', p), 'accepted')), { numRuns: NUM_RUNS });
  fc.assert(fc.property(withExtras(cashoutPayload), (p) => assert.equal(normalizeChecked('cashout-reference', p), 'accepted')), { numRuns: NUM_RUNS });
  fc.assert(
    fc.property(liqxGen, extras, (g, x) => {
      const { type, timestamp, ...data } = g;
      const p = { ...x, ...liqxPayload(type, data), timestamp };
      assert.equal(normalizeChecked('liqx', p, 'msg_gen'), 'accepted');
    }),
    { numRuns: NUM_RUNS },
  );
});

test('receipt keys ignore key order and formatting; the cash-out retry counter is not part of the key', async () => {
  const shuffle = (v: Json, seed: number): Json => {
    if (Array.isArray(v)) return v.map((x, i) => shuffle(x, seed + i));
    if (v && typeof v === 'object') {
      const entries = Object.entries(v);
      const rotated = entries.map((_, i) => entries[(i + seed) % entries.length]!);
      return Object.fromEntries(rotated.map(([k, x]) => [k, shuffle(x, seed + 1)]));
    }
    return v;
  };
  await fc.assert(
    fc.asyncProperty(ipayPayload, fc.nat(10), async (p, seed) => {
      const a = await receiptKey(normalizePayoutWebhook('ipay', p));
      const b = await receiptKey(normalizePayoutWebhook('ipay', parseWebhookBody(JSON.stringify(shuffle(p, seed), null, 2))));
      assert.equal(a, b);
    }),
    { numRuns: 100 },
  );
  await fc.assert(
    fc.asyncProperty(cashoutPayload, fc.integer({ min: 1, max: 50 }), async (p, attempts) => {
      const a = await receiptKey(normalizePayoutWebhook('cashout-reference', p));
      assert.equal(await receiptKey(normalizePayoutWebhook('cashout-reference', { ...p, attempts })), a);
    }),
    { numRuns: 100 },
  );
});

// ---- the tolerant reader ------------------------------------------------------------------------------------

/** Writes JSON the way the documents do: a comment after every value and a trailing comma in every container. */
function sloppy(v: Json, comment: string): string {
  const c = `/* ${comment.replaceAll('*/', '')} */`;
  if (Array.isArray(v)) return `[ ${v.map((x) => `${sloppy(x, comment)}, ${c}`).join('\n')} ]`;
  if (v && typeof v === 'object') {
    return `{\n\t${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${sloppy(x, comment)}, ${c}`).join('\n\t')}\n}`;
  }
  return JSON.stringify(v);
}

test('the tolerant reader reads any JSON written with comments and trailing commas', () => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.string(), (v, comment) => {
      assert.deepStrictEqual(parseLenientJson(sloppy(v, comment)), JSON.parse(JSON.stringify(v)));
    }),
    { numRuns: NUM_RUNS },
  );
});

test('the tolerant reader throws nothing but WebhookPayloadError on arbitrary text, and agrees with JSON.parse on JSON', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.json().map((j) => j.slice(0, Math.max(1, j.length - 1)))), (t) => {
      let strict: { ok: true; value: Json } | { ok: false };
      try {
        strict = { ok: true, value: JSON.parse(t) };
      } catch {
        strict = { ok: false };
      }
      try {
        const value = parseLenientJson(t);
        if (strict.ok) assert.deepStrictEqual(value, strict.value);
      } catch (err) {
        assert.ok(err instanceof WebhookPayloadError && err.code === 'INVALID_JSON', String(err));
        assert.equal(strict.ok, false);
      }
    }),
    { numRuns: NUM_RUNS * 3 },
  );
});

// ---- hostile nesting ------------------------------------------------------------------------------------------

/** A JSON value nested `depth` levels deep, alternating arrays and objects, with `leaf` at the bottom. */
const nest = (depth: number, leaf: unknown, keys: string[]) => {
  let v: unknown = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { [keys[i % keys.length]!]: v };
  return v;
};
const deepNest = fc
  .record({
    depth: fc.oneof(fc.integer({ min: MAX_PAYLOAD_DEPTH - 3, max: MAX_PAYLOAD_DEPTH + 3 }), fc.integer({ min: 1_000, max: 20_000 }), fc.constant(100_000)),
    leaf: fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.constant(null), fc.boolean()),
    keys: fc.array(fc.constantFrom('data', 'raw', 'details', 'x'), { minLength: 1, maxLength: 3 }),
    at: fc.constantFrom('root', 'data', 'extra'),
  })
  .map(({ depth, leaf, keys, at }) => {
    const inner = nest(depth, leaf, keys);
    if (at === 'root') return { value: inner, depth };
    const base = liqxPayload() as Record<string, unknown> & { data: Record<string, unknown> };
    // Nested under a valid payload: as `data` itself (depth + 1) or as an extra field of data (depth + 2).
    return at === 'data' ? { value: { ...base, data: inner }, depth: depth + 1 } : { value: { ...base, data: { ...base.data, x_extra: inner } }, depth: depth + 2 };
  });

test(`deep nests: normalize, receiptKey and canonicalJson refuse past depth ${MAX_PAYLOAD_DEPTH} with INVALID_PAYLOAD, never a RangeError`, async () => {
  await fc.assert(
    fc.asyncProperty(provider, deepNest, async (p, { value, depth }) => {
      const refusedDeep = (fn: () => unknown) => {
        try {
          fn();
          return false;
        } catch (err) {
          assert.ok(err instanceof WebhookPayloadError, `not a WebhookPayloadError: ${err}`);
          return err.code === 'INVALID_PAYLOAD' && err.issues.some((i) => i.code === 'too_deep');
        }
      };
      assert.equal(refusedDeep(() => normalizePayoutWebhook(p, value, { eventId: 'msg_deep' })), depth > MAX_PAYLOAD_DEPTH, `normalize at depth ${depth}`);
      assert.equal(refusedDeep(() => canonicalJson(value)), depth > MAX_PAYLOAD_DEPTH, `canonicalJson at depth ${depth}`);
      let keyError: unknown;
      await receiptKey({ provider: p, eventId: null, raw: value }).catch((e) => (keyError = e));
      assert.equal(keyError instanceof WebhookPayloadError, depth > MAX_PAYLOAD_DEPTH, `receiptKey at depth ${depth}: ${keyError}`);
      assert.equal(exceedsDepth(value), depth > MAX_PAYLOAD_DEPTH);
    }),
    { numRuns: 60 },
  );
});

test('parseWebhookBody refuses a 100,000-deep body with INVALID_PAYLOAD', () => {
  const text = '['.repeat(100_000) + ']'.repeat(100_000);
  assert.throws(() => parseWebhookBody(text, 'liqx'), (e: unknown) => e instanceof WebhookPayloadError && e.code === 'INVALID_PAYLOAD');
});
