/**
 * Widget sessions keep a real issuer's rules (demo/server/liqx/payouts.ts), over HTTP against the sandbox:
 * expiry at read and at confirm, revocation by a newer session and by the intent's end, and refusals that
 * carry no payout data. The sandbox's clock is moved forward by the test, so no rule depends on real time.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type RunningSandbox } from '../../../demo/server/sandbox.js';

const MINUTE = 60_000;
const INTENT = {
  scenario: 'VERIFIED',
  external_ref: 'ext_session_rules',
  external_user_id: 'usr_session_rules',
  legal_name: '홍길동',
  user_email: 'jane@example.com',
  return_url: 'https://partner.example/payouts/1',
  amount_krw: '123457',
  amount_usdt: '91.234567',
};

let sandbox: RunningSandbox;
let skew = 0;
before(async () => {
  // Sessions live 2 minutes, intents 15: a session can expire while its intent is still reserved.
  sandbox = await startSandbox({ port: 0, sessionTtlMs: 2 * MINUTE, intentTtlMs: 15 * MINUTE, confirmDelayMs: 0, webhookRetryBaseMs: 10, now: () => Date.now() + skew });
});
after(async () => {
  await sandbox.close();
});

async function call(path: string, token: string, body?: unknown): Promise<{ status: number; body: any; text: string }> {
  const res = await fetch(`${sandbox.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text), text };
}

async function newIntent(overrides: Partial<typeof INTENT> = {}): Promise<string> {
  const res = await call('/v1/payout-intents', sandbox.apiKey, { ...INTENT, ...overrides });
  assert.equal(res.status, 201, res.text);
  return res.body.intent_id;
}

async function newSession(intentId: string): Promise<{ session_token: string; session_id: string; expires_at: string }> {
  const res = await call(`/v1/payout-intents/${intentId}/widget-sessions`, sandbox.apiKey, {});
  assert.equal(res.status, 201, res.text);
  return res.body;
}

const read = (token: string) => call('/v1/widget/payout', token);
const confirm = (token: string) => call('/v1/widget/payout/confirm', token, {});
const decline = (token: string) => call('/v1/widget/payout/decline', token, { reason_code: 'USER_DECLINED' });
const intentStatus = async (id: string) => (await call(`/v1/payout-intents/${id}`, sandbox.apiKey)).body.status;

/** A refusal is 401 with the code, and nothing about the payout: no amount, name, account, status or intent. */
function assertRefused(res: { status: number; body: any; text: string }, code: string, intentId: string): void {
  assert.equal(res.status, 401, res.text);
  assert.deepEqual(Object.keys(res.body), ['error']);
  assert.deepEqual(Object.keys(res.body.error).sort(), ['code', 'message']);
  assert.equal(res.body.error.code, code);
  for (const secret of [INTENT.legal_name, INTENT.amount_krw, INTENT.amount_usdt, '1234', intentId, 'reserved', 'completed']) {
    assert.ok(!res.text.includes(secret), `the refusal leaks "${secret}": ${res.text}`);
  }
}

describe('an expired session', () => {
  test('is refused at read, confirm and decline with 401 SESSION_EXPIRED, and the intent stays reserved', async () => {
    const intentId = await newIntent({ external_ref: 'ext_expired_session' });
    const session = await newSession(intentId);
    assert.equal((await read(session.session_token)).status, 200);
    assert.ok(Date.parse(session.expires_at) < Date.now() + skew + 15 * MINUTE, 'the session ends before its intent');

    skew += 2 * MINUTE + 1_000; // past the session's expires_at, well before the intent's
    assertRefused(await read(session.session_token), 'SESSION_EXPIRED', intentId);
    assertRefused(await confirm(session.session_token), 'SESSION_EXPIRED', intentId);
    assertRefused(await decline(session.session_token), 'SESSION_EXPIRED', intentId);
    assert.equal(await intentStatus(intentId), 'reserved');

    // The intent can still be paid out through a new session.
    const fresh = await newSession(intentId);
    const done = await confirm(fresh.session_token);
    assert.equal(done.status, 200, done.text);
    assert.equal(done.body.status, 'completed');
  });

  test('whose intent expired with it is refused with SESSION_EXPIRED; the intent is expired and its webhook queued', async () => {
    const intentId = await newIntent({ scenario: 'EXPIRES', external_ref: 'ext_expires_with_session' });
    const session = await newSession(intentId);
    const view = await read(session.session_token);
    assert.equal(view.status, 200);
    assert.equal(view.body.session_expires_at, session.expires_at);
    assert.ok(Date.parse(view.body.session_expires_at) <= Date.parse(view.body.expires_at));

    skew += 60_000; // the EXPIRES scenario's reservation lasts 8 s
    assertRefused(await confirm(session.session_token), 'SESSION_EXPIRED', intentId);
    assert.equal(await intentStatus(intentId), 'expired');
    const log = await call(`/v1/webhook-deliveries?intent_id=${intentId}`, sandbox.apiKey);
    assert.deepEqual([...new Set(log.body.deliveries.map((d: { event_type: string }) => d.event_type))], ['transaction.expired']);
  });
});

describe('revocation', () => {
  test('a newer session for the same intent revokes the older one (SESSION_REVOKED); the newer one works', async () => {
    const intentId = await newIntent({ external_ref: 'ext_superseded' });
    const older = await newSession(intentId);
    assert.equal((await read(older.session_token)).status, 200);
    const newer = await newSession(intentId);
    assertRefused(await read(older.session_token), 'SESSION_REVOKED', intentId);
    assertRefused(await confirm(older.session_token), 'SESSION_REVOKED', intentId);
    assertRefused(await decline(older.session_token), 'SESSION_REVOKED', intentId);
    assert.equal(await intentStatus(intentId), 'reserved', 'the refused confirm changed nothing');
    const view = await read(newer.session_token);
    assert.equal(view.status, 200);
    assert.equal(view.body.legal_name, INTENT.legal_name);
  });

  test('completion revokes the session that confirmed; the 200 answer to confirm is the last payout data it gets', async () => {
    const intentId = await newIntent({ external_ref: 'ext_completed' });
    const session = await newSession(intentId);
    const done = await confirm(session.session_token);
    assert.equal(done.status, 200, done.text);
    assert.equal(done.body.status, 'completed');
    assertRefused(await read(session.session_token), 'SESSION_REVOKED', intentId);
    assertRefused(await confirm(session.session_token), 'SESSION_REVOKED', intentId);
    assertRefused(await decline(session.session_token), 'SESSION_REVOKED', intentId);
    // A session opened after it (a reload) reads the outcome, and cannot confirm it again.
    const late = await call(`/v1/payout-intents/${intentId}/widget-sessions`, sandbox.apiKey, {});
    assert.equal(late.status, 201, late.text);
    const view = await read(late.body.session_token);
    assert.deepEqual([view.status, view.body.status, view.body.transaction_id], [200, 'completed', done.body.transaction_id]);
    const again = await confirm(late.body.session_token);
    assert.deepEqual([again.status, again.body.error.code], [409, 'INTENT_NOT_PENDING']);
  });

  test('a decline revokes every session of the intent, including ones already superseded', async () => {
    const intentId = await newIntent({ scenario: 'USER_DECLINES', external_ref: 'ext_declined' });
    const first = await newSession(intentId);
    const second = await newSession(intentId);
    const declined = await decline(second.session_token);
    assert.equal(declined.status, 200, declined.text);
    assert.equal(declined.body.status, 'failed');
    assertRefused(await read(second.session_token), 'SESSION_REVOKED', intentId);
    assertRefused(await read(first.session_token), 'SESSION_REVOKED', intentId);
  });

  test('a token LIQX never issued is INVALID_SESSION_TOKEN, with no data either', async () => {
    const intentId = await newIntent({ external_ref: 'ext_forged' });
    await newSession(intentId);
    assertRefused(await read('lqxwst_forged'), 'INVALID_SESSION_TOKEN', intentId);
    assertRefused(await confirm(sandbox.apiKey), 'INVALID_SESSION_TOKEN', intentId);
  });
});
