/**
 * normalizePayoutWebhook against the documents' own examples (verbatim fixtures) and the quirks they show,
 * and against the LIQX contract of the demo's mock LIQX.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  normalizePayoutWebhook,
  parseWebhookBody,
  receiptKey,
  PayoutReceipt,
  WebhookPayloadError,
  type PayoutReceipt as Receipt,
} from '../../../src/webhooks/index.js';
import { docExamples, liqxPayload } from '../../fixtures/webhooks/samples.js';

const cashout = Object.fromEntries(docExamples('cashout-reference').map((e) => [e.name, e.text]));
const [ipayExample] = docExamples('ipay');

/** Asserts `fn` throws a WebhookPayloadError with `code` whose paths include every one of `paths`. */
function refuses(fn: () => unknown, code: string, paths: string[]) {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof WebhookPayloadError, `expected WebhookPayloadError, got ${String(err)}`);
    assert.equal(err.code, code);
    for (const p of paths) assert.ok(err.paths.includes(p), `paths ${JSON.stringify(err.paths)} lack ${p}`);
    return true;
  });
}

describe('cash-out reference document examples', () => {
  const common = {
    provider: 'cashout-reference',
    eventId: null,
    externalRef: 'trx_ewrehe77r6t8et8t6',
    occurredAt: '2024-07-15T12:34:56.000Z',
    attempts: 1,
  } as const;
  const expected: Record<string, Omit<Receipt, 'raw' | keyof typeof common>> = {
    CASHOUT_REFERENCE_CREATED: {
      eventType: 'CASHOUT_REFERENCE_CREATED',
      status: 'created',
      providerStatus: 'success',
      reference: '128944531190',
    },
    CASHOUT_REFERENCE_COMPLETED: {
      eventType: 'CASHOUT_REFERENCE_COMPLETED',
      status: 'completed',
      providerStatus: 'success',
      reference: '128944531190',
    },
    CASHOUT_REFERENCE_CANCELED: {
      eventType: 'CASHOUT_REFERENCE_CANCELED',
      status: 'canceled',
      providerStatus: 'success',
      reference: '128944531190',
    },
    CASHOUT_REFERENCE_FAILED: {
      eventType: 'CASHOUT_REFERENCE_FAILED',
      status: 'failed',
      providerStatus: 'failed',
      reference: null,
      failure: { code: 'REFERENCE_FAILED', message: 'Reference failed on being created' },
    },
    CASHOUT_REFERENCE_EXPIRED: {
      eventType: 'CASHOUT_REFERENCE_EXPIRED',
      status: 'expired',
      providerStatus: 'expired',
      reference: '128944531190',
      failure: { code: 'REFERENCE_EXPIRED', message: 'Reference is expired' },
    },
  };

  test('the document has the five examples the table lists', () => {
    assert.deepEqual(Object.keys(cashout).sort(), Object.keys(expected).sort());
  });

  for (const [name, want] of Object.entries(expected)) {
    test(`${name}: parses (comments, trailing comma) and normalizes`, () => {
      const text = cashout[name]!;
      assert.throws(() => JSON.parse(text), SyntaxError, 'the fixture should be the verbatim, non-JSON example');
      const payload = parseWebhookBody(text, 'cashout-reference');
      const receipt = normalizePayoutWebhook('cashout-reference', payload);
      assert.deepEqual(receipt, { ...common, ...want, raw: payload });
      assert.ok(PayoutReceipt.safeParse(receipt).success);
    });
  }

  test('FAILED has a null reference code; any other sub-type without a code is refused', () => {
    const failed = parseWebhookBody(cashout.CASHOUT_REFERENCE_FAILED!) as any;
    assert.equal(failed.details.code, null);
    assert.equal(normalizePayoutWebhook('cashout-reference', failed).reference, null);
    const completed = parseWebhookBody(cashout.CASHOUT_REFERENCE_COMPLETED!) as any;
    completed.details.code = null;
    refuses(() => normalizePayoutWebhook('cashout-reference', completed), 'INVALID_PAYLOAD', ['details.code']);
  });

  test('EXPIRED carries failed_reason and failed_message as the failure', () => {
    const r = normalizePayoutWebhook('cashout-reference', parseWebhookBody(cashout.CASHOUT_REFERENCE_EXPIRED!));
    assert.deepEqual(r.failure, { code: 'REFERENCE_EXPIRED', message: 'Reference is expired' });
  });

  test('created_at has no zone: UTC by default, the timeZone option otherwise', () => {
    const p = parseWebhookBody(cashout.CASHOUT_REFERENCE_COMPLETED!);
    assert.equal(normalizePayoutWebhook('cashout-reference', p).occurredAt, '2024-07-15T12:34:56.000Z');
    assert.equal(normalizePayoutWebhook('cashout-reference', p, { timeZone: 'UTC' }).occurredAt, '2024-07-15T12:34:56.000Z');
    assert.equal(normalizePayoutWebhook('cashout-reference', p, { timeZone: '+09:00' }).occurredAt, '2024-07-15T03:34:56.000Z');
    assert.equal(normalizePayoutWebhook('cashout-reference', p, { timeZone: '-0330' }).occurredAt, '2024-07-15T16:04:56.000Z');
    assert.equal(normalizePayoutWebhook('cashout-reference', p, { timeZone: 'Asia/Seoul' }).occurredAt, '2024-07-15T03:34:56.000Z');
    // New York is on daylight time (UTC-4) in July and on standard time (UTC-5) in January.
    assert.equal(normalizePayoutWebhook('cashout-reference', p, { timeZone: 'America/New_York' }).occurredAt, '2024-07-15T16:34:56.000Z');
    const winter = { ...(p as object), created_at: '2024-01-15 12:34:56' };
    assert.equal(normalizePayoutWebhook('cashout-reference', winter, { timeZone: 'America/New_York' }).occurredAt, '2024-01-15T17:34:56.000Z');
    assert.throws(() => normalizePayoutWebhook('cashout-reference', p, { timeZone: 'Mars/Olympus' }), RangeError);
  });

  test('impossible or zoned timestamps are refused with their path', () => {
    const p = parseWebhookBody(cashout.CASHOUT_REFERENCE_COMPLETED!) as any;
    for (const created_at of ['2024-02-30 10:00:00', '2024-07-15T12:34:56Z', '2024-07-15 24:00:00', '15/07/2024 12:34']) {
      refuses(() => normalizePayoutWebhook('cashout-reference', { ...p, created_at }), 'INVALID_PAYLOAD', ['created_at']);
    }
  });

  test('a notification code that contradicts the sub-type is refused', () => {
    const p = parseWebhookBody(cashout.CASHOUT_REFERENCE_COMPLETED!) as any;
    refuses(
      () => normalizePayoutWebhook('cashout-reference', { ...p, webhook_notification_code: 8003 }),
      'INVALID_PAYLOAD',
      ['webhook_notification_code'],
    );
  });

  test('a retry (attempts counted up) has the same receipt key; another event has another', async () => {
    const p = parseWebhookBody(cashout.CASHOUT_REFERENCE_COMPLETED!) as any;
    const first = await receiptKey(normalizePayoutWebhook('cashout-reference', p));
    const retry = await receiptKey(normalizePayoutWebhook('cashout-reference', { ...p, attempts: 3 }));
    assert.equal(retry, first);
    assert.match(first, /^cashout-reference:sha256:[0-9a-f]{64}$/);
    const created = await receiptKey(normalizePayoutWebhook('cashout-reference', parseWebhookBody(cashout.CASHOUT_REFERENCE_CREATED!)));
    assert.notEqual(created, first);
  });
});

describe('Ipay document example', () => {
  const want = {
    provider: 'ipay',
    eventId: null,
    eventType: 'payoutUpdate',
    status: 'completed',
    providerStatus: 'successful',
    reference: '3971f24a-b901-4bdb-b3a5-7690ca350cd3',
    externalRef: 'ref-a00020',
    amount: { minor: 2000, currency: 'AUD' },
    occurredAt: '2024-03-10T17:23:48.000Z',
  } as const;

  test('parses and normalizes: "payoutUpdate" kept as sent, amount in cents, timestamp in milliseconds', () => {
    const payload = parseWebhookBody(ipayExample!.text, 'ipay');
    assert.deepEqual(normalizePayoutWebhook('ipay', payload), { ...want, raw: payload });
  });

  test('"payoutUpdated" (the table\'s spelling) is accepted too; an unknown event is refused', () => {
    const p = parseWebhookBody(ipayExample!.text) as any;
    assert.equal(normalizePayoutWebhook('ipay', { ...p, event: 'payoutUpdated' }).eventType, 'payoutUpdated');
    refuses(() => normalizePayoutWebhook('ipay', { ...p, event: 'payoutDeleted' }), 'INVALID_PAYLOAD', ['event']);
  });

  test('timestamps in seconds and in milliseconds give the same instant', () => {
    const p = parseWebhookBody(ipayExample!.text) as any;
    assert.equal(normalizePayoutWebhook('ipay', { ...p, timestamp: 1710091428 }).occurredAt, want.occurredAt);
    assert.equal(normalizePayoutWebhook('ipay', { ...p, timestamp: 1710091428000 }).occurredAt, want.occurredAt);
    // Either side of the 1e11 threshold: 99999999999 s is the year 5138; 1e11 ms is 1973-03-03.
    assert.equal(normalizePayoutWebhook('ipay', { ...p, timestamp: 99_999_999_999 }).occurredAt, '5138-11-16T09:46:39.000Z');
    assert.equal(normalizePayoutWebhook('ipay', { ...p, timestamp: 100_000_000_000 }).occurredAt, '1973-03-03T09:46:40.000Z');
    for (const timestamp of [-1, 1.5, 1e16, '1710091428']) {
      refuses(() => normalizePayoutWebhook('ipay', { ...p, timestamp }), 'INVALID_PAYLOAD', ['timestamp']);
    }
  });

  test('amounts are integer cents', () => {
    const p = parseWebhookBody(ipayExample!.text) as any;
    assert.deepEqual(normalizePayoutWebhook('ipay', { ...p, amount: 12345, currency: 'usd' }).amount, { minor: 12345, currency: 'USD' });
    refuses(() => normalizePayoutWebhook('ipay', { ...p, amount: 20.5 }), 'INVALID_PAYLOAD', ['amount']);
    refuses(() => normalizePayoutWebhook('ipay', { ...p, amount: '2000' }), 'INVALID_PAYLOAD', ['amount']);
  });

  test('each documented status maps to the receipt status', () => {
    const p = parseWebhookBody(ipayExample!.text) as any;
    const map = { awaiting: 'awaiting', pending: 'pending', in_progress: 'in_progress', successful: 'completed', cancelled: 'canceled', failed: 'failed' };
    for (const [status, receiptStatus] of Object.entries(map)) {
      assert.equal(normalizePayoutWebhook('ipay', { ...p, status }).status, receiptStatus);
    }
    refuses(() => normalizePayoutWebhook('ipay', { ...p, status: 'done' }), 'INVALID_PAYLOAD', ['status']);
  });

  test('no event id: the receipt key is the payload hash, independent of key order and formatting', async () => {
    const p = parseWebhookBody(ipayExample!.text) as Record<string, unknown>;
    const reordered = Object.fromEntries(Object.entries(p).reverse());
    const a = await receiptKey(normalizePayoutWebhook('ipay', p));
    const b = await receiptKey(normalizePayoutWebhook('ipay', parseWebhookBody(JSON.stringify(reordered))));
    assert.equal(a, b);
    assert.match(a, /^ipay:sha256:[0-9a-f]{64}$/);
    const c = await receiptKey(normalizePayoutWebhook('ipay', { ...p, status: 'failed' }));
    assert.notEqual(c, a);
  });
});

describe('LIQX contract', () => {
  test('transaction.completed with the webhook-id as eventId', async () => {
    const payload = liqxPayload('transaction.completed');
    const receipt = normalizePayoutWebhook('liqx', payload, { eventId: 'msg_2abc' });
    assert.deepEqual(receipt, {
      provider: 'liqx',
      eventId: 'msg_2abc',
      eventType: 'transaction.completed',
      status: 'completed',
      providerStatus: 'completed',
      reference: 'pi_0001',
      intentId: 'pi_0001',
      externalRef: 'crm-ref-0001',
      amount: { minor: 100000, currency: 'KRW' },
      occurredAt: '2026-11-22T03:10:00.000Z',
      attempts: 1,
      raw: payload,
    });
    assert.equal(await receiptKey(receipt), 'liqx:msg_2abc');
  });

  test('transaction.failed carries the failure; transaction.expired maps to expired', () => {
    const failed = normalizePayoutWebhook('liqx', liqxPayload('transaction.failed'), { eventId: 'msg_f' });
    assert.equal(failed.status, 'failed');
    assert.deepEqual(failed.failure, { code: 'USER_DECLINED', message: 'The user declined the payout' });
    assert.equal(normalizePayoutWebhook('liqx', liqxPayload('transaction.expired'), { eventId: 'msg_e' }).status, 'expired');
  });

  test('the event id comes from options, else from the body, else the payload is refused', () => {
    assert.equal(normalizePayoutWebhook('liqx', { ...liqxPayload(), id: 'msg_body' }).eventId, 'msg_body');
    assert.equal(normalizePayoutWebhook('liqx', { ...liqxPayload(), id: 'msg_body' }, { eventId: 'msg_hdr' }).eventId, 'msg_hdr');
    refuses(() => normalizePayoutWebhook('liqx', liqxPayload()), 'MISSING_EVENT_ID', ['id']);
  });

  test('timestamps with an offset are converted to UTC; Unix timestamps are read too', () => {
    const at = (timestamp: unknown) => normalizePayoutWebhook('liqx', { ...liqxPayload(), timestamp }, { eventId: 'm' }).occurredAt;
    assert.equal(at('2026-11-22T12:10:00+09:00'), '2026-11-22T03:10:00.000Z');
    assert.equal(at(1795317000), '2026-11-22T03:10:00.000Z');
    refuses(() => at('2026-11-22 03:10:00'), 'INVALID_PAYLOAD', ['timestamp']);
  });

  test('a PAYIN event, a missing intent, a fractional won amount and an unknown type are refused with every path', () => {
    const bad = liqxPayload('transaction.completed', { phase: 'PAYIN', intent_id: undefined, amount_krw: '100.5' }) as any;
    bad.type = 'transaction.refunded';
    refuses(() => normalizePayoutWebhook('liqx', bad, { eventId: 'm' }), 'INVALID_PAYLOAD', [
      'type',
      'data.phase',
      'data.intent_id',
      'data.amount_krw',
    ]);
  });
});

describe('refusals', () => {
  test('unknown provider', () => {
    refuses(() => normalizePayoutWebhook('paypal', {}), 'UNKNOWN_PROVIDER', ['(root)']);
  });

  test('non-object payloads and the wrong provider\'s payload', () => {
    for (const v of [null, 42, 'x', [], true]) refuses(() => normalizePayoutWebhook('ipay', v), 'INVALID_PAYLOAD', ['(root)']);
    const ipay = parseWebhookBody(ipayExample!.text);
    refuses(() => normalizePayoutWebhook('cashout-reference', ipay), 'INVALID_PAYLOAD', ['event_type', 'details']);
  });

  test('the error message names the provider, the code and the paths', () => {
    try {
      normalizePayoutWebhook('ipay', { event: 'payoutCreated' });
      assert.fail('should throw');
    } catch (err) {
      assert.ok(err instanceof WebhookPayloadError);
      assert.match(err.message, /^ipay payload refused \(INVALID_PAYLOAD\): amount: /);
      assert.equal(err.provider, 'ipay');
    }
  });
});
