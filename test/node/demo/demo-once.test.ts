/**
 * Once, through the demo's partner API (the kit's session handler in front of the mock LIQX): the partner's order
 * reference is the intent's Idempotency-Key, so a double submit, a retry or two tabs make one intent and at most
 * one completed receipt; the same reference with other details is refused. And the mock LIQX's own side of the
 * contract: the first answer replayed, another body refused with a code, request bodies capped.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningDemo } from '../../../demo/server/main.js';
import { startDemo } from '../../../demo/server/main.js';
import { FAST, FORM, createPayout, events, liqx, request, tempDataDir, waitForRows, widget } from './demo-helpers.js';

let demo: RunningDemo;
const data = tempDataDir();
before(async () => {
  demo = await startDemo({ ...FAST, dataDir: data.dir });
});
after(async () => {
  await demo.close();
  data.remove();
});

/** Every receipt of one order, once the completed one is there (or the deadline passes, which fails). */
const completedReceipts = async (externalRef: string) => {
  await waitForRows(demo, { external_ref: externalRef }, (rows) => rows.some((r) => r.status === 'completed'));
  const rows = (await events(demo, { external_ref: externalRef, limit: '100' })).body.rows;
  return rows.filter((r: { status: string }) => r.status === 'completed');
};

describe('one order reference, one intent', () => {
  test('a double submit: one intent; only the newest session can confirm; one completed receipt', async () => {
    const first = await createPayout(demo, { scenario: 'VERIFIED', external_ref: 'order-double-1' });
    const second = await createPayout(demo, { scenario: 'VERIFIED', external_ref: 'order-double-1' });
    assert.deepEqual([first.status, second.status], [201, 201]);
    assert.equal(second.body.intent_id, first.body.intent_id);
    const stale = await widget(demo, first.body.widget_session.session_token, '/payout/confirm', {});
    assert.deepEqual([stale.status, stale.body.error.code], [401, 'SESSION_REVOKED']);
    const done = await widget(demo, second.body.widget_session.session_token, '/payout/confirm', {});
    assert.equal(done.status, 200);
    assert.equal((await completedReceipts('order-double-1')).length, 1);
    // Submitting the finished order again (a reload) opens a session of the same intent that cannot confirm it again.
    const after = await createPayout(demo, { scenario: 'VERIFIED', external_ref: 'order-double-1' });
    assert.deepEqual([after.status, after.body.intent_id], [201, first.body.intent_id]);
    const again = await widget(demo, after.body.widget_session.session_token, '/payout/confirm', {});
    assert.deepEqual([again.status, again.body.error.code], [409, 'INTENT_NOT_PENDING']);
    assert.equal((await completedReceipts('order-double-1')).length, 1);
  });

  test('five tabs at once: one intent, one confirm goes through, one completed receipt', async () => {
    const tabs = await Promise.all(Array.from({ length: 5 }, () => createPayout(demo, { scenario: 'VERIFIED', external_ref: 'order-tabs-1' })));
    assert.deepEqual(tabs.map((t) => t.status), [201, 201, 201, 201, 201]);
    assert.equal(new Set(tabs.map((t) => t.body.intent_id)).size, 1);
    const confirms = await Promise.all(tabs.map((t) => widget(demo, t.body.widget_session.session_token, '/payout/confirm', {})));
    assert.equal(confirms.filter((r) => r.status === 200).length, 1, JSON.stringify(confirms.map((r) => r.status)));
    assert.equal((await completedReceipts('order-tabs-1')).length, 1);
  });

  test('the same reference with other details is refused, typed, and creates nothing', async () => {
    const first = await createPayout(demo, { scenario: 'VERIFIED', external_ref: 'order-reuse-1' });
    assert.equal(first.status, 201);
    const other = await createPayout(demo, { scenario: 'VERIFIED', external_ref: 'order-reuse-1', amount_krw: '250000' });
    assert.deepEqual([other.status, other.body.error.code, other.body.widget_session], [422, 'IDEMPOTENCY_KEY_REUSED', undefined]);
    const still = await widget(demo, first.body.widget_session.session_token, '/payout');
    assert.deepEqual([still.status, still.body.amount_krw], [200, FORM.amount_krw], 'the first intent is untouched and its session still valid');
  });
});

describe('the mock LIQX honours Idempotency-Key', () => {
  const INTENT = { ...FORM, scenario: 'VERIFIED', external_ref: 'ext_idem_1', external_user_id: 'usr_seed_0001', owner: 'usr_seed_0001' };
  const create = (body: object, key?: string) =>
    request(`${demo.liqxUrl}/v1/payout-intents`, { body, headers: { authorization: `Bearer ${demo.partnerApiKey}`, ...(key === undefined ? {} : { 'idempotency-key': key }) } });

  test('same key, same body (keys in any order): the first answer; another body: 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const first = await create(INTENT, 'k-idem-1');
    const reordered = Object.fromEntries(Object.entries(INTENT).reverse());
    const again = await create(reordered, 'k-idem-1');
    assert.deepEqual([first.status, again.status], [201, 201]);
    assert.deepEqual(again.body, first.body);
    const other = await create({ ...INTENT, amount_krw: '1' }, 'k-idem-1');
    assert.deepEqual([other.status, other.body.error.code], [422, 'IDEMPOTENCY_KEY_REUSED']);
    // Without a key each request is its own intent (the kit always sends one).
    const a = await create({ ...INTENT, external_ref: 'ext_idem_nokey' });
    const b = await create({ ...INTENT, external_ref: 'ext_idem_nokey' });
    assert.notEqual(a.body.intent_id, b.body.intent_id);
    assert.equal((await create(INTENT, 'k'.repeat(256))).status, 400);
  });

  test('a refused (preflight) request replays its refusal: one intent, one transaction.failed webhook', async () => {
    const body = { ...INTENT, scenario: 'KYC_NOT_VERIFIED', external_ref: 'ext_idem_kyc' };
    const first = await create(body, 'k-idem-kyc');
    const again = await create(body, 'k-idem-kyc');
    assert.deepEqual([first.status, again.status, again.body.intent_id], [422, 422, first.body.intent_id]);
    const rows = await waitForRows(demo, { external_ref: 'ext_idem_kyc' }, (r) => r.length > 0);
    assert.equal(rows.length, 1);
  });

  test('request bodies are capped: 413, nothing read past the cap', async () => {
    const big = await create({ ...INTENT, legal_name: 'x'.repeat(200_000) }, 'k-idem-big');
    assert.deepEqual([big.status, big.body.error.code], [413, 'PAYLOAD_TOO_LARGE']);
    const payout = await createPayout(demo, { scenario: 'VERIFIED', external_ref: 'order-cap-1' });
    const decline = await widget(demo, payout.body.widget_session.session_token, '/payout/decline', { reason_code: 'USER_DECLINED', message: 'x'.repeat(200_000) });
    assert.deepEqual([decline.status, decline.body.error.code], [413, 'PAYLOAD_TOO_LARGE']);
    assert.equal((await liqx(demo, `/v1/payout-intents/${payout.body.intent_id}`)).body.status, 'reserved');
  });
});
