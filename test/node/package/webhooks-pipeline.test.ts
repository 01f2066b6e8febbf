/**
 * PayoutWebhook, one provider's ingest as one pipeline built once from its secret(s): what it returns (receipt, key,
 * phase, the JSON text to keep), that the body is parsed once, that it signs what it verifies, and that every code
 * the webhooks module throws has its HTTP status in the server kit's map.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  parseWebhookBody,
  receiptKey,
  WebhookPayloadError,
  WebhookPayloadErrorCode,
  WebhookVerificationError,
  WebhookVerificationErrorCode,
} from '../../../src/webhooks/index.js';
import { PayoutWebhook } from '../../../src/webhooks/payout-webhook.js';
import { SERVER_ERRORS } from '../../../src/server/errors.js';
import { docExamples, liqxPayload } from '../../fixtures/webhooks/samples.js';

const whsec = `whsec_${randomBytes(24).toString('base64')}`;
const liqx = new PayoutWebhook('liqx', { secret: whsec });
const ipay = new PayoutWebhook('ipay', { secret: 'ipay-pipeline-secret' });
const cashout = new PayoutWebhook('cashout-reference', { secret: 'cashout-pipeline-secret', timeZone: 'Asia/Seoul' });

test('LIQX: the receipt, its key from the webhook-id, its phase, and the body text as sent', async () => {
  const body = JSON.stringify(liqxPayload('transaction.completed', { intent_id: 'pi_pipe' }));
  const v = await liqx.verify(body, await liqx.sign(body, { id: 'msg_pipe' }));
  assert.equal(v.key, 'liqx:msg_pipe');
  assert.equal(v.key, await receiptKey(v.receipt));
  assert.equal(v.phase, 'PAYOUT');
  assert.equal(v.json, body);
  assert.deepEqual([v.receipt.eventId, v.receipt.intentId, v.receipt.status], ['msg_pipe', 'pi_pipe', 'completed']);
  assert.deepEqual(v.receipt.raw, JSON.parse(body));
});

test('a BOM is signed but not kept; a body with comments keeps the JSON it means', async () => {
  const body = JSON.stringify(liqxPayload('transaction.failed', { intent_id: 'pi_bom' }));
  const bytes = new TextEncoder().encode(`\uFEFF${body}`);
  assert.equal((await liqx.verify(bytes, await liqx.sign(bytes, { id: 'msg_bom' }))).json, body);

  const example = docExamples('cashout-reference').find((e) => e.name === 'CASHOUT_REFERENCE_COMPLETED')!;
  assert.match(example.text, /\/\*|,\s*[}\]]/, 'the documented example has comments or trailing commas');
  const v = await cashout.verify(example.text, await cashout.sign(example.text));
  assert.deepEqual(JSON.parse(v.json), parseWebhookBody(example.text));
  assert.equal(v.phase, null);
  // The zone-less created_at is read in the pipeline's configured zone (Asia/Seoul, UTC+9).
  const createdAt = (parseWebhookBody(example.text) as { created_at: string }).created_at;
  assert.equal(Date.parse(v.receipt.occurredAt), Date.parse(`${createdAt.replace(' ', 'T')}+09:00`));
});

test('providers without event ids are keyed by the payload hash, the same as receiptKey', async () => {
  const text = docExamples('ipay')[0]!.text;
  const v = await ipay.verify(text, await ipay.sign(text));
  assert.match(v.key, /^ipay:sha256:[0-9a-f]{64}$/);
  assert.equal(v.key, await receiptKey(v.receipt));
  assert.equal(v.receipt.eventId, null);
});

test('the body is parsed once (one JSON.parse for a strict body), after the signature', async (t) => {
  const body = JSON.stringify(liqxPayload('transaction.expired', { intent_id: 'pi_once' }));
  const headers = await liqx.sign(body, { id: 'msg_once' });
  const parse = t.mock.method(JSON, 'parse');
  await liqx.verify(new TextEncoder().encode(body), liqx.checkHeaders(headers));
  assert.equal(parse.mock.callCount(), 1);

  parse.mock.resetCalls();
  await assert.rejects(liqx.verify(body, { ...headers, 'webhook-signature': `v1,${randomBytes(32).toString('base64')}` }), WebhookVerificationError);
  assert.equal(parse.mock.callCount(), 0, 'nothing of an unverified body is parsed');
});

test('typed refusals: a verified body that is not JSON, or not the payload, or with an oversized event id', async () => {
  const refused = async (p: PayoutWebhook, body: string, id: string | undefined, code: string) =>
    assert.rejects(p.verify(body, await p.sign(body, id ? { id } : {})), (e: unknown) => e instanceof WebhookPayloadError && e.code === code);
  await refused(liqx, '{"type":', 'msg_a', 'INVALID_JSON');
  await refused(liqx, '{"type":"transaction.completed"}', 'msg_b', 'INVALID_PAYLOAD');
  await refused(liqx, JSON.stringify(liqxPayload()), `msg_${'x'.repeat(600)}`, 'INVALID_PAYLOAD');
  await refused(ipay, '['.repeat(100_000) + ']'.repeat(100_000), undefined, 'INVALID_PAYLOAD');
});

test('a bad secret or time zone is refused when the pipeline is built, not per request', () => {
  assert.throws(() => new PayoutWebhook('liqx', { secret: 'whsec_***' }), (e: unknown) => e instanceof WebhookVerificationError && e.code === 'INVALID_SECRET');
  assert.throws(() => new PayoutWebhook('ipay', { secret: [] }), (e: unknown) => e instanceof WebhookVerificationError && e.code === 'INVALID_SECRET');
  assert.throws(() => new PayoutWebhook('cashout-reference', { secret: 's', timeZone: 'Mars/Olympus' }), RangeError);
});

test('every code the webhooks module throws has its status in SERVER_ERRORS (401 verification, 4xx payload)', () => {
  for (const code of Object.values(WebhookVerificationErrorCode)) {
    assert.equal(SERVER_ERRORS[code], code === 'INVALID_SECRET' ? 500 : 401, code);
  }
  for (const code of Object.values(WebhookPayloadErrorCode)) {
    assert.ok(SERVER_ERRORS[code] >= 400 && SERVER_ERRORS[code] < 500, code);
  }
});
