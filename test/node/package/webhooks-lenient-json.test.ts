/** The tolerant reader for the documents' examples: comments and trailing commas, nothing more. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLenientJson, parseWebhookBody, WebhookPayloadError } from '../../../src/webhooks/internal.js';
import { docExamples } from '../../fixtures/webhooks/samples.js';

const invalid = (text: string) =>
  assert.throws(() => parseLenientJson(text), (e: unknown) => e instanceof WebhookPayloadError && e.code === 'INVALID_JSON', text);

test('strict JSON is read as JSON.parse reads it', () => {
  for (const text of ['{"a":1}', '[1,2]', '"x"', '3', 'null', ' {"a": {"b": [true, false]}} ']) {
    assert.deepEqual(parseLenientJson(text), JSON.parse(text));
  }
});

test('block and line comments and trailing commas outside strings are dropped', () => {
  assert.deepEqual(parseLenientJson('{ "a": 1, /* one */ "b": [1, 2, ], /* end */ }'), { a: 1, b: [1, 2] });
  assert.deepEqual(parseLenientJson('{\n "a": 1, // one\n "b": 2 // two\n}'), { a: 1, b: 2 });
  assert.deepEqual(parseLenientJson('{ "a": 1, /* c */\n\t }'), { a: 1 });
  assert.deepEqual(parseLenientJson('[ /* only a comment */ ]'), []);
  assert.deepEqual(parseLenientJson('\uFEFF{"a":1,}'), { a: 1 });
});

test('comment markers and commas inside strings are kept, escapes honoured', () => {
  const text = '{ "url": "http://x/*y*/", "s": "a,}", "q": "say \\"/* hi */\\"", /* c */ }';
  assert.deepEqual(parseLenientJson(text), { url: 'http://x/*y*/', s: 'a,}', q: 'say "/* hi */"' });
});

test('everything else JSON refuses is still refused', () => {
  for (const text of [
    '',
    '{',
    "{ 'a': 1 }",
    '{ a: 1 }',
    '{ "a": NaN }',
    '[1,,2]',
    '[,]',
    '{ "a": 1 /* unterminated }',
    '{ "a": "unterminated }',
    '{ "a": 1 } trailing',
    '{ "a": 1 }, ',
  ]) {
    invalid(text);
  }
});

test('every document example is read, and equals the same example written as strict JSON', () => {
  for (const provider of ['cashout-reference', 'ipay'] as const) {
    for (const { name, text } of docExamples(provider)) {
      const value = parseWebhookBody(text, provider);
      assert.ok(value && typeof value === 'object', `${provider}/${name}`);
      // Round trip: the strict form of what we read reads back to the same value.
      assert.deepEqual(parseLenientJson(JSON.stringify(value)), value, `${provider}/${name}`);
    }
  }
  const failed = parseWebhookBody(docExamples('cashout-reference').find((e) => e.name === 'CASHOUT_REFERENCE_FAILED')!.text);
  assert.deepEqual(failed, {
    event_type: 'PAYMENT_REQUEST_CASHOUT',
    event_type_description: 'CASHOUT_REFERENCE_FAILED',
    webhook_notification_code: 8003,
    created_at: '2024-07-15 12:34:56',
    first_sent_at: '2024-07-15 12:36:00',
    attempts: 1,
    account_id: 321,
    customer_id: 345,
    request_id: 12343,
    transaction_id: 'trx_ewrehe77r6t8et8t6',
    details: {
      id: null,
      code: null,
      name: 'FAILED',
      status: 'failed',
      failed_reason: 'REFERENCE_FAILED',
      failed_message: 'Reference failed on being created',
    },
  });
});

test('bytes: UTF-8 is decoded, invalid UTF-8 is refused', () => {
  assert.deepEqual(parseWebhookBody(new TextEncoder().encode('{"name":"김민수",}')), { name: '김민수' });
  assert.throws(
    () => parseWebhookBody(new Uint8Array([0x7b, 0xff, 0x7d])),
    (e: unknown) => e instanceof WebhookPayloadError && e.code === 'INVALID_JSON',
  );
});
