/** The mock LIQX server over HTTP: contract validation, preflight failures, sessions, widget API, flows to a receipt. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningDemo } from '../../../demo/server/main.js';
import { startDemo } from '../../../demo/server/main.js';
import { FAST, FORM, createPayout, liqx, request, tempDataDir, waitForRows, widget } from './demo-helpers.js';

// owner: the demo's signed-in user, as the kit's session handler sets it (its receipts read is scoped by it).
const INTENT = { ...FORM, scenario: 'VERIFIED', external_ref: 'ext_liqx_contract', external_user_id: 'usr_seed_0001', owner: 'usr_seed_0001' };

let demo: RunningDemo;
const data = tempDataDir();
before(async () => {
  demo = await startDemo({ ...FAST, dataDir: data.dir });
});
after(async () => {
  await demo.close();
  data.remove();
});

describe('POST /v1/payout-intents', () => {
  test('a wrong or missing partner API key is refused with 401', async () => {
    assert.equal((await liqx(demo, '/v1/payout-intents', INTENT, 'lqx_wrong')).status, 401);
    const none = await request(`${demo.liqxUrl}/v1/payout-intents`, { body: INTENT });
    assert.equal(none.status, 401);
    assert.equal(none.body.error.code, 'UNAUTHORIZED');
  });

  test('a request outside the contract answers 400 with every issue path', async () => {
    const res = await liqx(demo, '/v1/payout-intents', { ...INTENT, scenario: 'NOPE', amount_krw: '100,000', amount_usdt: '75.1234567', user_email: 'x', external_ref: undefined });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'INVALID_REQUEST');
    const paths = res.body.error.issues.map((i: { path: string }) => i.path).sort();
    assert.deepEqual(paths, ['amount_krw', 'amount_usdt', 'external_ref', 'scenario', 'user_email']);
  });

  test('a body that is not JSON answers 400', async () => {
    const res = await request(`${demo.liqxUrl}/v1/payout-intents`, { body: '{not json', headers: { authorization: `Bearer ${demo.partnerApiKey}` } });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.issues[0].path, '(root)');
  });

  test('a claim-ready scenario is reserved with an expiry', async () => {
    const res = await liqx(demo, '/v1/payout-intents', INTENT);
    assert.equal(res.status, 201);
    assert.match(res.body.intent_id, /^pi_/);
    assert.equal(res.body.status, 'reserved');
    assert.equal(res.body.external_ref, 'ext_liqx_contract');
    assert.ok(Date.parse(res.body.expires_at) > Date.now());
  });

  for (const [code, status] of [
    ['KYC_NOT_VERIFIED', 422],
    ['BANK_ACCOUNT_MISSING', 422],
    ['BROKER_POLICY_BLOCKED', 422],
    ['MERCHANT_CAPACITY_EXCEEDED', 409],
  ] as const) {
    test(`preflight ${code}: ${status} with the upstream code, then one transaction.failed receipt`, async () => {
      const ref = `ext_${code.toLowerCase()}`;
      const res = await liqx(demo, '/v1/payout-intents', { ...INTENT, scenario: code, external_ref: ref });
      assert.equal(res.status, status);
      assert.equal(res.body.error.code, code);
      assert.ok(res.body.error.message.length > 0);
      assert.match(res.body.intent_id, /^pi_/);
      const rows = await waitForRows(demo, { intent_id: res.body.intent_id }, (r) => r.length > 0);
      assert.equal(rows.length, 1);
      assert.equal(rows[0].event_type, 'transaction.failed');
      assert.equal(rows[0].status, 'failed');
      assert.equal(rows[0].phase, 'PAYOUT');
      assert.equal(rows[0].failure_code, code);
      assert.equal(rows[0].external_ref, ref);
    });
  }
});

describe('POST /v1/payout-intents/:id/widget-sessions', () => {
  test('exchanges a reserved intent for a session on the LIQX origin', async () => {
    const intent = await liqx(demo, '/v1/payout-intents', INTENT);
    const res = await liqx(demo, `/v1/payout-intents/${intent.body.intent_id}/widget-sessions`, {});
    assert.equal(res.status, 201);
    assert.equal(res.body.intent_id, intent.body.intent_id);
    assert.equal(res.body.widget_url, `${demo.liqxUrl}/widget/${res.body.session_id}`);
    assert.ok(res.body.session_token.length >= 32);
    assert.ok(!res.body.widget_url.includes(res.body.session_token), 'the token is never in the URL');
    assert.ok(Date.parse(res.body.expires_at) <= Date.parse(intent.body.expires_at));
  });

  test('refuses an unknown intent (404) and an expired one (409); a failed one opens a read-only session', async () => {
    const unknown = await liqx(demo, '/v1/payout-intents/pi_unknown/widget-sessions', {});
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'INTENT_NOT_FOUND');

    const failed = await liqx(demo, '/v1/payout-intents', { ...INTENT, scenario: 'KYC_NOT_VERIFIED' });
    const readOnly = await liqx(demo, `/v1/payout-intents/${failed.body.intent_id}/widget-sessions`, {});
    assert.equal(readOnly.status, 201);

    const expiring = await liqx(demo, '/v1/payout-intents', { ...INTENT, scenario: 'EXPIRES' });
    await waitForRows(demo, { intent_id: expiring.body.intent_id, type: 'transaction.expired' }, (r) => r.length === 1);
    const late = await liqx(demo, `/v1/payout-intents/${expiring.body.intent_id}/widget-sessions`, {});
    assert.equal(late.status, 409);
    assert.equal(late.body.error.code, 'INTENT_EXPIRED');
  });

  test('requires the partner API key', async () => {
    const intent = await liqx(demo, '/v1/payout-intents', INTENT);
    assert.equal((await liqx(demo, `/v1/payout-intents/${intent.body.intent_id}/widget-sessions`, {}, 'lqx_wrong')).status, 401);
  });
});

describe('widget API', () => {
  test('a token LIQX did not issue, or none, is refused with 401', async () => {
    const forged = await widget(demo, 'lqxwst_forged', '/payout');
    assert.equal(forged.status, 401);
    assert.equal(forged.body.error.code, 'INVALID_SESSION_TOKEN');
    assert.equal((await request(`${demo.liqxUrl}/v1/widget/payout`)).status, 401);
    // The partner API key is not a session token either.
    assert.equal((await widget(demo, demo.partnerApiKey, '/payout/confirm', {})).status, 401);
  });

  test('the issued token reads the payout: amounts, legal name, masked account', async () => {
    const payout = await createPayout(demo, { scenario: 'VERIFIED' });
    const res = await widget(demo, payout.body.widget_session.session_token, '/payout');
    assert.equal(res.status, 200);
    assert.equal(res.body.intent_id, payout.body.intent_id);
    assert.equal(res.body.status, 'reserved');
    assert.equal(res.body.amount_krw, '100000');
    assert.equal(res.body.amount_usdt, '75.000000');
    assert.equal(res.body.legal_name, '홍길동');
    assert.equal(res.body.bank.name_ko, '신한은행');
    assert.match(res.body.bank.masked_account, /^••••-••-\d{4}$/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });

  test('confirm completes once, and ends in one transaction.completed receipt (phase PAYOUT)', async () => {
    const payout = await createPayout(demo, { scenario: 'VERIFIED' });
    const token = payout.body.widget_session.session_token;
    const confirmed = await widget(demo, token, '/payout/confirm', {});
    assert.equal(confirmed.status, 200);
    assert.equal(confirmed.body.status, 'completed');
    assert.match(confirmed.body.transaction_id, /^tx_/);
    // Completion revoked the session (test/node/demo/liqx-sessions.test.ts has every session rule).
    const again = await widget(demo, token, '/payout/confirm', {});
    assert.equal(again.status, 401);
    assert.equal(again.body.error.code, 'SESSION_REVOKED');
    const declineAfter = await widget(demo, token, '/payout/decline', { reason_code: 'USER_DECLINED' });
    assert.equal(declineAfter.status, 401);

    const rows = await waitForRows(demo, { intent_id: payout.body.intent_id }, (r) => r.length > 0);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].event_type, 'transaction.completed');
    assert.equal(rows[0].status, 'completed');
    assert.equal(rows[0].phase, 'PAYOUT');
    assert.equal(rows[0].attempts, 1);
    assert.equal(rows[0].payload.data.transaction_id, confirmed.body.transaction_id);
  });

  test('decline needs a known reason code and ends in one transaction.failed receipt', async () => {
    const payout = await createPayout(demo, { scenario: 'USER_DECLINES' });
    const token = payout.body.widget_session.session_token;
    const bad = await widget(demo, token, '/payout/decline', { reason_code: 'BECAUSE' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.issues[0].path, 'reason_code');

    const declined = await widget(demo, token, '/payout/decline', { reason_code: 'USER_DECLINED' });
    assert.equal(declined.status, 200);
    assert.equal(declined.body.status, 'failed');
    assert.equal(declined.body.failure.code, 'USER_DECLINED');

    const rows = await waitForRows(demo, { intent_id: payout.body.intent_id }, (r) => r.length > 0);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].event_type, 'transaction.failed');
    assert.equal(rows[0].failure_code, 'USER_DECLINED');
    assert.equal(rows[0].failure_message, 'The recipient declined the payout.');
  });

  test('the server expires a reservation by itself: transaction.expired receipt, and confirm is then refused', async () => {
    const payout = await createPayout(demo, { scenario: 'EXPIRES' });
    assert.equal(payout.status, 201);
    const rows = await waitForRows(demo, { intent_id: payout.body.intent_id }, (r) => r.length > 0);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].event_type, 'transaction.expired');
    assert.equal(rows[0].status, 'expired');
    const token = payout.body.widget_session.session_token;
    // The session never outlives its intent: it expired with it, and is refused without payout data.
    const view = await widget(demo, token, '/payout');
    assert.equal(view.status, 401);
    assert.deepEqual(Object.keys(view.body), ['error']);
    assert.equal(view.body.error.code, 'SESSION_EXPIRED');
    const late = await widget(demo, token, '/payout/confirm', {});
    assert.equal(late.status, 401);
    assert.equal(late.body.error.code, 'SESSION_EXPIRED');
    // Still exactly one receipt: the refused confirm sent nothing.
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await waitForRows(demo, { intent_id: payout.body.intent_id }, () => true)).length, 1);
  });
});
