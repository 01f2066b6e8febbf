/**
 * The LIQX payload's fast path (liqxPayloadFastPath, src/webhooks/providers/liqx.ts) against its definition, the
 * `LiqxWebhookPayload` schema: whatever it takes, the schema accepts, and the receipt and phase read from it are
 * the ones read from the schema's output. What it does not take goes to the schema, so refusals and their issue
 * paths are the schema's by construction. Values are JSON round-trips, as the webhook pipeline parses them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LiqxWebhookPayload, liqxPayloadFastPath, liqxToReceipt } from '../../../src/webhooks/providers/liqx.js';
import { WebhookPayloadError } from '../../../src/webhooks/errors.js';
import { liqxPayload } from '../../fixtures/webhooks/samples.js';

const ctx = { eventId: 'msg_fast_path', timeZone: 'UTC' };

/** The receipt fields, or the refusal's issues, that a mapping gives for a payload. */
function mapped(payload: LiqxWebhookPayload): unknown {
  try {
    return { receipt: liqxToReceipt(payload, ctx), phase: payload.data.phase };
  } catch (error) {
    if (!(error instanceof WebhookPayloadError)) throw error;
    return { refused: error.issues };
  }
}

const missing = fc.constant(undefined);
const text = fc.oneof(fc.constantFrom('', 'x', 'pi_0001', ' ', '\u00e9'), fc.string({ maxLength: 6 }));
const wrongType = fc.constantFrom(0, 1, -1, 1.5, true, null, [], {}, '1');
const some = <T>(...arbs: fc.Arbitrary<T>[]) => fc.oneof(...arbs);
const isoDates = fc.date({ min: new Date(-62_000_000_000_000), max: new Date(253_402_300_799_000), noInvalidDate: true }).map((d) => d.toISOString());
const timestamp = some<unknown>(
  isoDates,
  fc.constantFrom(
    '2026-11-22T03:10:00Z',
    '2026-11-22T03:10:00.123456+09:00',
    '2026-11-22T03:10:00-00:30',
    '2026-11-22T03:10:00',
    '2026-11-22',
    '2026-02-29T00:00:00Z',
    '2024-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-11-22T24:00:00Z',
    '2026-11-22 03:10:00Z',
    '+2026-11-22T03:10:00Z',
  ),
  fc.integer({ min: -5, max: 2 ** 53 + 5 }),
  fc.constantFrom(-0, 1.5, 2 ** 53, 1_700_000_000, 1_700_000_000_000),
  text,
  wrongType,
  missing,
);
const amountKrw = some<unknown>(
  fc.constantFrom('100000', '0', '01', '100000.00', '100000.', '1e5', '-1', '', '123456789012345', '1234567890123456', ' 1'),
  fc.integer({ min: -2, max: 2 ** 53 + 2 }),
  fc.constantFrom(1.5, -0, 2 ** 53, 100000),
  fc.stringMatching(/^[0-9.]{1,17}$/),
  wrongType,
  missing,
);
const amountUsdt = some<unknown>(
  fc.constantFrom('75.000000', '75', '0', '0.0', '-1', '75.', '.5', '75.1234567890123456789', '1e2', ''),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.stringMatching(/^[0-9.]{1,22}$/),
  wrongType,
  missing,
);
const failure = some<unknown>(missing, fc.constant(null), fc.constantFrom({ code: 'USER_DECLINED', message: 'no' }, { code: '' }, 'x', {}));
const attempt = some<unknown>(fc.integer({ min: -1, max: 3 }), fc.constantFrom(1.5, 2 ** 53, 2 ** 53 + 2, -0, '1'), wrongType, missing);
const optionalText = some<unknown>(missing, text, wrongType);

/** Mostly what LIQX sends, now and then anything: so that payloads with every field valid, or one off, are common. */
const usually = (valid: fc.Arbitrary<unknown>, any: fc.Arbitrary<unknown>) => fc.oneof({ weight: 8, arbitrary: valid }, { weight: 1, arbitrary: any });
const nonEmpty = fc.string({ minLength: 1, maxLength: 8 });

const data = fc.record({
  intent_id: usually(nonEmpty, some<unknown>(text, wrongType, missing)),
  external_ref: usually(text, some<unknown>(wrongType, missing)),
  external_user_id: usually(text, some<unknown>(wrongType, missing)),
  phase: usually(fc.constant('PAYOUT'), some<unknown>(fc.constantFrom('PAYIN', 'payout'), wrongType, missing)),
  status: usually(nonEmpty, some<unknown>(text, wrongType, missing)),
  amount_krw: usually(fc.constantFrom('100000', 100000, '5'), amountKrw),
  amount_usdt: usually(fc.constantFrom('75.000000', '0.5', 75), amountUsdt),
  transaction_id: usually(fc.option(nonEmpty, { nil: undefined }), optionalText),
  failure: usually(fc.constantFrom(undefined, null), failure),
  attempt: usually(fc.integer({ min: 1, max: 3 }), attempt),
  owner: usually(fc.option(nonEmpty, { nil: undefined }), optionalText),
  extra: optionalText,
});
const payload = usually(
  fc.record({
    id: usually(fc.option(nonEmpty, { nil: undefined }), optionalText),
    type: usually(
      fc.constantFrom('transaction.completed', 'transaction.failed', 'transaction.expired'),
      some<unknown>(fc.constantFrom('transaction.created', 'toString', '__proto__'), wrongType, missing),
    ),
    timestamp: usually(some<unknown>(isoDates, fc.integer({ min: 0, max: 2 ** 40 })), timestamp),
    data: usually(data, some<unknown>(wrongType, missing)),
    extra: optionalText,
  }),
  wrongType,
);

test('whatever the fast path takes, the schema accepts, and both give the same receipt and phase', () => {
  let taken = 0;
  fc.assert(
    fc.property(payload, (value) => {
      const raw: unknown = JSON.parse(JSON.stringify(value) ?? 'null');
      const fast = liqxPayloadFastPath(raw);
      const parsed = LiqxWebhookPayload.safeParse(raw);
      if (!fast) return;
      taken++;
      assert.ok(parsed.success, `the schema refuses what the fast path took: ${JSON.stringify(raw)}`);
      assert.deepEqual(mapped(fast), mapped(parsed.data));
    }),
    { numRuns: 20_000, seed: 42 },
  );
  assert.ok(taken > 0, 'the generated payloads include some the fast path takes');
});

test('LIQX\'s own payloads take the fast path, except a failed one, which the schema reads', () => {
  for (const type of ['transaction.completed', 'transaction.expired'] as const) {
    const raw = JSON.parse(JSON.stringify(liqxPayload(type)));
    assert.equal(liqxPayloadFastPath(raw), raw, type);
  }
  const failed = JSON.parse(JSON.stringify(liqxPayload('transaction.failed')));
  if (failed.data.failure) assert.equal(liqxPayloadFastPath(failed), undefined);
  assert.ok(LiqxWebhookPayload.safeParse(failed).success);
});

test('numbers JSON spells unusually (-0, exponents) get the schema\'s answer', () => {
  const body = (n: string) =>
    `{"type":"transaction.completed","timestamp":${n},"data":{"intent_id":"pi","external_ref":"","external_user_id":"","phase":"PAYOUT","status":"s","amount_krw":${n},"amount_usdt":${n},"attempt":1}}`;
  for (const n of ['-0', '0', '1e3', '1E5', '1.0e2', '1e-7', '-1e-7', '1e400', '9007199254740993']) {
    const raw = JSON.parse(body(n));
    if (liqxPayloadFastPath(raw)) assert.ok(LiqxWebhookPayload.safeParse(raw).success, n);
  }
  assert.ok(liqxPayloadFastPath(JSON.parse(body('-0'))), '-0 is a whole, non-negative number to the schema too');
});
