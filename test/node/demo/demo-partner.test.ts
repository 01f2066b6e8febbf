/** The partner proxy over HTTP: /api/payouts, the verified webhook endpoint, the receipt events API. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import type { RunningDemo } from '../../../demo/server/main.js';
import { startDemo } from '../../../demo/server/main.js';
import { FAST, FORM, createPayout, events, postWebhook, request, tempDataDir, waitForRows, webhookBody } from './demo-helpers.js';

let demo: RunningDemo;
const data = tempDataDir();
before(async () => {
  demo = await startDemo({ ...FAST, dataDir: data.dir });
});
after(async () => {
  await demo.close();
  data.remove();
});

describe('GET /api/config', () => {
  test('names the LIQX origin and every scenario with its expected webhook', async () => {
    const { status, body } = await request(`${demo.partnerUrl}/api/config`);
    assert.equal(status, 200);
    assert.equal(body.liqx_origin, demo.liqxUrl);
    assert.notEqual(new URL(body.liqx_origin).origin, new URL(demo.partnerUrl).origin);
    const ids = body.scenarios.map((s: { id: string }) => s.id);
    assert.deepEqual(ids.sort(), [
      'BANK_ACCOUNT_MISSING', 'BROKER_POLICY_BLOCKED', 'EXPIRES', 'KYC_NOT_VERIFIED',
      'MERCHANT_CAPACITY_EXCEEDED', 'PARTNER_ENDPOINT_FLAKY', 'USER_DECLINES', 'VERIFIED',
    ]);
    const verified = body.scenarios.find((s: { id: string }) => s.id === 'VERIFIED');
    assert.equal(verified.expected_webhook, 'transaction.completed');
    assert.ok(verified.label && verified.description);
  });
});

describe('POST /api/payouts', () => {
  test('validates the contract: 400 with the issue paths, nothing sent upstream', async () => {
    const res = await createPayout(demo, { scenario: 'VERIFIED', amount_krw: '-5', amount_usdt: 'abc', legal_name: '', return_url: 'javascript:alert(1)' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'INVALID_REQUEST');
    assert.deepEqual(
      res.body.error.issues.map((i: { path: string }) => i.path).sort(),
      ['amount_krw', 'amount_usdt', 'legal_name', 'return_url'],
    );
    const missing = await request(`${demo.partnerUrl}/api/payouts`, { body: {} });
    assert.equal(missing.status, 400);
    for (const path of ['scenario', 'legal_name', 'user_email', 'return_url', 'amount_krw', 'amount_usdt']) {
      assert.ok(missing.body.error.issues.some((i: { path: string }) => i.path === path), `issue for ${path}`);
    }
    const zero = await createPayout(demo, { scenario: 'VERIFIED', amount_usdt: '0.000000' });
    assert.equal(zero.status, 400);
    assert.equal(zero.body.error.issues[0].path, 'amount_usdt');
  });

  test('creates the intent and the widget session; blank refs are filled in', async () => {
    const res = await createPayout(demo, { scenario: 'VERIFIED', external_ref: '', external_user_id: '  ' });
    assert.equal(res.status, 201);
    const b = res.body;
    assert.match(b.intent_id, /^pi_/);
    assert.equal(b.status, 'reserved');
    assert.match(b.external_ref, /^ext_[0-9a-f]+$/);
    assert.equal(b.external_user_id, 'usr_seed_0001');
    assert.equal(b.scenario, 'VERIFIED');
    assert.equal(b.expected_webhook, 'transaction.completed');
    assert.deepEqual(Object.keys(b.widget_session).sort(), ['expires_at', 'intent_id', 'session_id', 'session_token', 'widget_url']);
    assert.equal(b.widget_session.intent_id, b.intent_id);
    assert.equal(new URL(b.widget_session.widget_url).origin, demo.liqxUrl);
    // The raw upstream bodies are the proof.
    assert.equal(b.upstream.intent.intent_id, b.intent_id);
    assert.equal(b.upstream.intent.amount_krw, FORM.amount_krw);
    assert.equal(b.upstream.session.session_token, b.widget_session.session_token);
  });

  test('keeps the caller’s external_ref and external_user_id', async () => {
    const res = await createPayout(demo, { scenario: 'VERIFIED', external_ref: 'crm-order-42', external_user_id: 'usr_crm_7' });
    assert.equal(res.status, 201);
    assert.equal(res.body.external_ref, 'crm-order-42');
    assert.equal(res.body.external_user_id, 'usr_crm_7');
    assert.equal(res.body.upstream.intent.external_user_id, 'usr_crm_7');
  });

  test('the intent belongs to the signed-in demo user: LIQX carries the owner to the receipt, and the user\'s read shows only its own', async () => {
    const res = await createPayout(demo, { scenario: 'VERIFIED', external_user_id: 'usr_crm_8' });
    assert.equal(res.status, 201);
    assert.equal(res.body.upstream.intent.owner, 'usr_seed_0001');
    const confirmed = await request(`${demo.liqxUrl}/v1/widget/payout/confirm`, { body: {}, headers: { authorization: `Bearer ${res.body.widget_session.session_token}` } });
    assert.equal(confirmed.status, 200);
    const rows = await waitForRows(demo, { intent_id: res.body.intent_id }, (r) => r.length > 0);
    assert.deepEqual([rows[0].owner, rows[0].status], ['usr_seed_0001', 'completed']);
    // Another owner's receipt (as another partner user's intent would bring) is stored, and only an operator sees it.
    const bobs = webhookBody({ owner: 'usr_bob' });
    assert.equal((await postWebhook(demo, bobs)).status, 200);
    assert.equal((await events(demo, { intent_id: bobs.data.intent_id })).body.count, 0);
    assert.equal((await events(demo, { owner: 'usr_bob', limit: '100' })).body.count, 0);
    const operator = await request(`${demo.partnerUrl}/api/webhooks/events?intent_id=${bobs.data.intent_id}`);
    assert.equal(operator.body.rows[0].owner, 'usr_bob');
  });

  for (const [code, status] of [
    ['KYC_NOT_VERIFIED', 422],
    ['BANK_ACCOUNT_MISSING', 422],
    ['BROKER_POLICY_BLOCKED', 422],
    ['MERCHANT_CAPACITY_EXCEEDED', 409],
  ] as const) {
    test(`passes the upstream ${code} on with its status, the intent and a transaction.failed receipt`, async () => {
      const res = await createPayout(demo, { scenario: code });
      assert.equal(res.status, status);
      assert.equal(res.body.error.code, code);
      assert.equal(res.body.error.upstream_status, status);
      assert.equal(res.body.upstream.error.code, code);
      assert.match(res.body.intent_id, /^pi_/);
      assert.match(res.body.external_ref, /^ext_/);
      assert.equal(res.body.widget_session, undefined);
      const rows = await waitForRows(demo, { external_ref: res.body.external_ref }, (r) => r.length > 0);
      assert.equal(rows.length, 1);
      assert.equal(rows[0].event_type, 'transaction.failed');
      assert.equal(rows[0].failure_code, code);
      assert.equal(rows[0].intent_id, res.body.intent_id);
    });
  }
});

describe('POST /api/webhooks/liqx', () => {
  test('a correctly signed event is stored once and acknowledged', async () => {
    const body = webhookBody();
    const res = await postWebhook(demo, body);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { received: true, duplicate: false, provider: 'liqx', webhook_id: res.id, status: 'completed' });
    const rows = (await events(demo, { intent_id: body.data.intent_id })).body.rows;
    assert.equal(rows.length, 1);
    assert.equal(rows[0].webhook_id, res.id);
    assert.equal(rows[0].provider, 'liqx');
    assert.deepEqual(rows[0].payload, body);
  });

  const refusals: [string, (body: object) => ReturnType<typeof postWebhook>, string][] = [
    ['a forged signature (another secret)', (b) => postWebhook(demo, b, { secret: `whsec_${Buffer.from('someone else').toString('base64')}` }), 'BAD_SIGNATURE'],
    ['a signature over another body', (b) => postWebhook(demo, b, { signature: new Webhook(demo.webhookSecret).sign('msg_x', new Date(), '{}') }), 'BAD_SIGNATURE'],
    ['a missing signature header', (b) => postWebhook(demo, b, { omit: 'webhook-signature' }), 'MISSING_HEADERS'],
    ['a missing id header', (b) => postWebhook(demo, b, { omit: 'webhook-id' }), 'MISSING_HEADERS'],
    ['a missing timestamp header', (b) => postWebhook(demo, b, { omit: 'webhook-timestamp' }), 'MISSING_HEADERS'],
    ['a replay: validly signed 10 minutes ago', (b) => postWebhook(demo, b, { date: new Date(Date.now() - 10 * 60_000) }), 'STALE_TIMESTAMP'],
    ['a timestamp from the future', (b) => postWebhook(demo, b, { date: new Date(Date.now() + 10 * 60_000) }), 'STALE_TIMESTAMP'],
  ];
  for (const [name, send, code] of refusals) {
    test(`${name} is refused with 401 ${code} and nothing is stored`, async () => {
      const body = webhookBody();
      const res = await send(body);
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, code);
      assert.equal((await events(demo, { intent_id: body.data.intent_id })).body.count, 0);
    });
  }

  test('a tampered body under a valid signature is refused with 401', async () => {
    const body = webhookBody();
    const raw = JSON.stringify(body);
    const id = 'msg_tampered_1';
    const now = new Date();
    const signature = new Webhook(demo.webhookSecret).sign(id, now, raw);
    const res = await request(`${demo.partnerUrl}/api/webhooks/liqx`, {
      body: raw.replace('"100000"', '"900000"'),
      headers: { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signature },
    });
    assert.equal(res.status, 401);
    assert.equal((await events(demo, { intent_id: body.data.intent_id })).body.count, 0);
  });

  test('a signed but malformed body is quarantined (202 with the zod issue paths), no receipt', async () => {
    const body = webhookBody({ phase: 'PAYIN', amount_krw: 'lots', attempt: 0 });
    const res = await postWebhook(demo, body);
    // Verified bytes are kept for a replay by a fixed parser, and 2xx stops the sender's retries (they would fail alike).
    assert.equal(res.status, 202);
    assert.equal(res.body.quarantined, true);
    assert.equal(res.body.error.code, 'INVALID_PAYLOAD');
    assert.deepEqual(res.body.error.issues.map((i: { path: string }) => i.path).sort(), ['data.amount_krw', 'data.attempt', 'data.phase']);
    assert.equal((await events(demo, { intent_id: body.data.intent_id })).body.count, 0);
    const notJson = await postWebhook(demo, '{"type":');
    assert.equal(notJson.status, 202);
    assert.equal(notJson.body.error.code, 'INVALID_JSON');
  });

  test('idempotent by webhook id: the same delivery twice is one row', async () => {
    const body = webhookBody();
    const first = await postWebhook(demo, body, { id: 'msg_idempotent_1' });
    const second = await postWebhook(demo, { ...body, data: { ...body.data, attempt: 2 } }, { id: 'msg_idempotent_1' });
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    assert.deepEqual(second.body, { received: true, duplicate: true, provider: 'liqx', webhook_id: 'msg_idempotent_1', status: 'completed' });
    const rows = (await events(demo, { intent_id: body.data.intent_id })).body.rows;
    assert.equal(rows.length, 1);
    assert.equal(rows[0].attempts, 1, 'the first stored delivery wins');
  });
});

describe('GET /api/webhooks/liqx/events', () => {
  // Receipts of this suite share one external_user_id-free marker: their own intent ids.
  const ids: string[] = [];
  let midpoint = '';
  before(async () => {
    for (let i = 0; i < 25; i++) {
      const type = i % 3 === 0 ? 'transaction.failed' : i % 3 === 1 ? 'transaction.expired' : 'transaction.completed';
      const status = type.split('.')[1];
      const body = webhookBody({ intent_id: `pi_list_${String(i).padStart(2, '0')}`, external_ref: `ext_list_${i % 2 ? 'odd' : 'even'}`, status }, type);
      const res = await postWebhook(demo, body, { id: `msg_list_${i}` });
      assert.equal(res.status, 200);
      ids.push(body.data.intent_id);
      if (i === 19) {
        await new Promise((r) => setTimeout(r, 15));
        midpoint = new Date().toISOString();
        await new Promise((r) => setTimeout(r, 15));
      }
    }
  });

  test('limit defaults to 20, rows newest first', async () => {
    const { status, body } = await events(demo);
    assert.equal(status, 200);
    assert.equal(body.limit, 20);
    assert.equal(body.count, 20);
    assert.equal(body.rows.length, 20);
    assert.equal(body.rows[0].intent_id, 'pi_list_24');
    const received = body.rows.map((r: { received_at: string }) => r.received_at);
    assert.deepEqual(received, [...received].sort().reverse());
    for (const key of ['webhook_id', 'provider', 'event_type', 'intent_id', 'external_ref', 'status', 'phase', 'attempts', 'failure_code', 'failure_message', 'occurred_at', 'received_at', 'payload']) {
      assert.ok(key in body.rows[0], `row has ${key}`);
    }
  });

  test('limit 1..100 is honoured; 0, 101, a fraction and a word answer 400', async () => {
    assert.equal((await events(demo, { limit: '5' })).body.rows.length, 5);
    const max = await events(demo, { limit: '100' });
    assert.equal(max.status, 200);
    assert.equal(max.body.limit, 100);
    assert.ok(max.body.count >= 25);
    for (const limit of ['0', '101', '2.5', 'ten', '-1']) {
      const res = await events(demo, { limit });
      assert.equal(res.status, 400, `limit=${limit}`);
      assert.equal(res.body.error.issues[0].path, 'limit');
    }
  });

  test('filters by intent_id, external_ref, type, status and since; blank filters are ignored', async () => {
    const one = await events(demo, { intent_id: 'pi_list_07' });
    assert.deepEqual(one.body.rows.map((r: { webhook_id: string }) => r.webhook_id), ['msg_list_7']);

    const odd = await events(demo, { external_ref: 'ext_list_odd', limit: '100' });
    assert.equal(odd.body.count, 12);
    assert.ok(odd.body.rows.every((r: { external_ref: string }) => r.external_ref === 'ext_list_odd'));

    const expired = await events(demo, { type: 'transaction.expired', external_ref: 'ext_list_even', limit: '100' });
    assert.ok(expired.body.rows.every((r: { event_type: string; external_ref: string }) => r.event_type === 'transaction.expired' && r.external_ref === 'ext_list_even'));
    assert.equal(expired.body.count, ids.filter((_, i) => i % 3 === 1 && i % 2 === 0).length);

    const failed = await events(demo, { status: 'failed', intent_id: 'pi_list_09' });
    assert.equal(failed.body.count, 1);
    assert.equal((await events(demo, { status: 'failed', intent_id: 'pi_list_10' })).body.count, 0);

    const since = await events(demo, { since: midpoint, limit: '100' });
    assert.deepEqual(since.body.rows.map((r: { intent_id: string }) => r.intent_id), ['pi_list_24', 'pi_list_23', 'pi_list_22', 'pi_list_21', 'pi_list_20']);

    const blank = await events(demo, { intent_id: '', external_ref: '', type: '', status: '', since: '', limit: '' });
    assert.equal(blank.status, 200);
    assert.equal(blank.body.limit, 20);
  });

  test('an unknown status, an unknown provider and a malformed since answer 400 with their paths', async () => {
    for (const [key, value] of [['status', 'nonsense'], ['provider', 'paypal'], ['since', 'yesterday']]) {
      const res = await events(demo, { [key]: value });
      assert.equal(res.status, 400, `${key}=${value}`);
      assert.equal(res.body.error.issues[0].path, key);
    }
    // type is free-form (each provider has its own event names): an unknown one simply matches nothing.
    const none = await events(demo, { type: 'transaction.refunded' });
    assert.equal(none.status, 200);
    assert.equal(none.body.count, 0);
  });
});
