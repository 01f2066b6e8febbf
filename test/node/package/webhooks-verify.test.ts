/**
 * Signature verification: the Web Crypto Standard Webhooks implementation against the `standardwebhooks`
 * package (both directions), and the shared-secret HMAC header of the cash-out reference and Ipay endpoints.
 * Good, forged, missing and stale signatures each.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import {
  signSharedSecret,
  signStandardWebhook,
  verifyPayoutWebhook,
  verifySharedSecretSignature,
  verifyStandardWebhook,
  WebhookVerificationError,
} from '../../../src/webhooks/internal.js';

const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const BODY = JSON.stringify({ type: 'transaction.completed', timestamp: '2026-11-22T03:10:00.000Z', data: { intent_id: 'pi_1' } });
const nowSec = () => Math.floor(Date.now() / 1000);

/** Headers exactly as the `standardwebhooks` package signs them (what the demo's mock LIQX sends). */
function packageSigned(id = 'msg_1', at = new Date(), body = BODY, secret = SECRET) {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, body),
  };
}

async function rejects(p: Promise<unknown>, code: string) {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof WebhookVerificationError, `expected WebhookVerificationError, got ${String(err)}`);
    assert.equal(err.code, code);
    return true;
  });
}

describe('Standard Webhooks (LIQX)', () => {
  test('accepts what the standardwebhooks package signs, from a string, bytes, Headers or a Node header record', async () => {
    const headers = packageSigned('msg_ok');
    assert.deepEqual(await verifyStandardWebhook(BODY, headers, { secret: SECRET }), {
      id: 'msg_ok',
      timestamp: Number(headers['webhook-timestamp']),
    });
    await verifyStandardWebhook(new TextEncoder().encode(BODY), headers, { secret: SECRET });
    await verifyStandardWebhook(BODY, new Headers(headers), { secret: SECRET });
    const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    await verifyStandardWebhook(BODY, upper, { secret: SECRET });
  });

  test('what we sign, the standardwebhooks package verifies; the signatures are identical', async () => {
    const at = new Date();
    const ours = await signStandardWebhook(SECRET, 'msg_2', at.getTime() / 1000, BODY);
    assert.equal(ours, new Webhook(SECRET).sign('msg_2', at, BODY));
    const parsed = new Webhook(SECRET).verify(BODY, {
      'webhook-id': 'msg_2',
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': ours,
    });
    assert.deepEqual(parsed, JSON.parse(BODY));
  });

  test('accepts when one of several space-separated signatures matches (key rotation)', async () => {
    const headers = packageSigned('msg_rot');
    const other = new Webhook(`whsec_${randomBytes(24).toString('base64')}`).sign('msg_rot', new Date(), BODY);
    headers['webhook-signature'] = `v1a,xyz ${other} ${headers['webhook-signature']}`;
    await verifyStandardWebhook(BODY, headers, { secret: SECRET });
  });

  test('forged: another secret, a changed body, a changed id, a re-dated timestamp', async () => {
    const forgedSecret = packageSigned('msg_f', new Date(), BODY, `whsec_${randomBytes(24).toString('base64')}`);
    await rejects(verifyStandardWebhook(BODY, forgedSecret, { secret: SECRET }), 'BAD_SIGNATURE');
    const headers = packageSigned('msg_f');
    await rejects(verifyStandardWebhook(BODY.replace('pi_1', 'pi_2'), headers, { secret: SECRET }), 'BAD_SIGNATURE');
    await rejects(verifyStandardWebhook(BODY, { ...headers, 'webhook-id': 'msg_g' }, { secret: SECRET }), 'BAD_SIGNATURE');
    const redated = { ...headers, 'webhook-timestamp': String(Number(headers['webhook-timestamp']) + 1) };
    await rejects(verifyStandardWebhook(BODY, redated, { secret: SECRET }), 'BAD_SIGNATURE');
    await rejects(verifyStandardWebhook(BODY, { ...headers, 'webhook-signature': 'v1,!!!notbase64' }, { secret: SECRET }), 'BAD_SIGNATURE');
    await rejects(verifyStandardWebhook(BODY, { ...headers, 'webhook-signature': `v2,${headers['webhook-signature'].slice(3)}` }, { secret: SECRET }), 'BAD_SIGNATURE');
  });

  test('missing: each of the three headers', async () => {
    const headers = packageSigned('msg_m');
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const) {
      const { [name]: _, ...rest } = headers;
      await rejects(verifyStandardWebhook(BODY, rest, { secret: SECRET }), 'MISSING_HEADERS');
    }
  });

  test('stale: older or newer than the tolerance; a non-numeric timestamp', async () => {
    const old = packageSigned('msg_s', new Date(Date.now() - 301_000));
    await rejects(verifyStandardWebhook(BODY, old, { secret: SECRET }), 'STALE_TIMESTAMP');
    const future = packageSigned('msg_s', new Date(Date.now() + 301_000));
    await rejects(verifyStandardWebhook(BODY, future, { secret: SECRET }), 'STALE_TIMESTAMP');
    // Within a wider window the same message is fine; a tighter one refuses a 60 s old message.
    await verifyStandardWebhook(BODY, old, { secret: SECRET, toleranceSeconds: 600 });
    const minute = packageSigned('msg_s', new Date(Date.now() - 60_000));
    await rejects(verifyStandardWebhook(BODY, minute, { secret: SECRET, toleranceSeconds: 30 }), 'STALE_TIMESTAMP');
    await rejects(verifyStandardWebhook(BODY, { ...minute, 'webhook-timestamp': '17e8' }, { secret: SECRET }), 'INVALID_TIMESTAMP');
  });

  test('an empty or malformed secret is a configuration error', async () => {
    await rejects(verifyStandardWebhook(BODY, packageSigned(), { secret: 'whsec_' }), 'INVALID_SECRET');
    await rejects(verifyStandardWebhook(BODY, packageSigned(), { secret: 'whsec_***' }), 'INVALID_SECRET');
  });
});

describe('shared-secret HMAC (cash-out reference, Ipay)', () => {
  const secret = 'cashout-shared-secret';

  test('accepts sha256=<hex> over "<timestamp>.<body>", as an independent HMAC computes it', async () => {
    const ts = nowSec();
    const hex = createHmac('sha256', secret).update(`${ts}.${BODY}`).digest('hex');
    const headers = { 'x-webhook-timestamp': String(ts), 'x-webhook-signature': `sha256=${hex}` };
    assert.deepEqual(await verifySharedSecretSignature(BODY, headers, { secret }), { timestamp: ts });
    assert.deepEqual(await signSharedSecret(secret, BODY, ts), headers);
  });

  test('custom header names; several candidate signatures; raw key bytes', async () => {
    const key = randomBytes(32);
    const names = { signatureHeader: 'x-ipay-signature', timestampHeader: 'x-ipay-timestamp' };
    const headers = await signSharedSecret(key, BODY, nowSec(), names);
    assert.ok(headers['x-ipay-signature']?.startsWith('sha256='));
    const wrong = `sha256=${'00'.repeat(32)}`;
    headers['x-ipay-signature'] = `${wrong}, ${headers['x-ipay-signature']}`;
    await verifySharedSecretSignature(BODY, headers, { secret: key, ...names });
  });

  test('body-only signatures only when the timestamp is not required', async () => {
    const headers = await signSharedSecret(secret, BODY, null);
    assert.deepEqual(Object.keys(headers), ['x-webhook-signature']);
    await rejects(verifySharedSecretSignature(BODY, headers, { secret }), 'MISSING_HEADERS');
    assert.deepEqual(await verifySharedSecretSignature(BODY, headers, { secret, requireTimestamp: false }), {});
  });

  test('forged: wrong secret, changed body, swapped timestamp, bad hex, no sha256= prefix', async () => {
    const ts = nowSec();
    const good = await signSharedSecret(secret, BODY, ts);
    await rejects(verifySharedSecretSignature(BODY, await signSharedSecret('other', BODY, ts), { secret }), 'BAD_SIGNATURE');
    await rejects(verifySharedSecretSignature(`${BODY} `, good, { secret }), 'BAD_SIGNATURE');
    await rejects(verifySharedSecretSignature(BODY, { ...good, 'x-webhook-timestamp': String(ts - 1) }, { secret }), 'BAD_SIGNATURE');
    await rejects(verifySharedSecretSignature(BODY, { ...good, 'x-webhook-signature': 'sha256=zz' }, { secret }), 'BAD_SIGNATURE');
    const bare = good['x-webhook-signature']!.slice('sha256='.length);
    await rejects(verifySharedSecretSignature(BODY, { ...good, 'x-webhook-signature': bare }, { secret }), 'BAD_SIGNATURE');
    // A body-only signature does not pass as a timestamped one.
    const bodyOnly = await signSharedSecret(secret, BODY, null);
    await rejects(verifySharedSecretSignature(BODY, { ...bodyOnly, 'x-webhook-timestamp': String(ts) }, { secret }), 'BAD_SIGNATURE');
  });

  test('missing signature; stale and future timestamps', async () => {
    await rejects(verifySharedSecretSignature(BODY, { 'x-webhook-timestamp': String(nowSec()) }, { secret }), 'MISSING_HEADERS');
    await rejects(verifySharedSecretSignature(BODY, await signSharedSecret(secret, BODY, nowSec() - 400), { secret }), 'STALE_TIMESTAMP');
    await rejects(verifySharedSecretSignature(BODY, await signSharedSecret(secret, BODY, nowSec() + 400), { secret }), 'STALE_TIMESTAMP');
    const clock = () => Date.parse('2024-07-15T12:40:00Z');
    const signed = await signSharedSecret(secret, BODY, Date.parse('2024-07-15T12:36:00Z') / 1000);
    await verifySharedSecretSignature(BODY, signed, { secret, now: clock });
  });

  test('an empty secret is a configuration error', async () => {
    await rejects(verifySharedSecretSignature(BODY, await signSharedSecret(secret, BODY), { secret: '' }), 'INVALID_SECRET');
  });
});

describe('verifyPayoutWebhook', () => {
  test('dispatches by provider and refuses providers without configured secrets', async () => {
    const headers = packageSigned('msg_d');
    assert.equal((await verifyPayoutWebhook('liqx', BODY, headers, { liqx: { secret: SECRET } })).id, 'msg_d');
    const shared = await signSharedSecret('s3', BODY);
    await verifyPayoutWebhook('ipay', BODY, shared, { ipay: { secret: 's3' } });
    await verifyPayoutWebhook('cashout-reference', BODY, shared, { 'cashout-reference': { secret: 's3' } });
    await rejects(verifyPayoutWebhook('ipay', BODY, shared, { 'cashout-reference': { secret: 's3' } }), 'INVALID_SECRET');
    await rejects(verifyPayoutWebhook('liqx', BODY, shared, { liqx: { secret: SECRET } }), 'MISSING_HEADERS');
  });
});
