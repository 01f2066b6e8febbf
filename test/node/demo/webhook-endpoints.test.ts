/**
 * The demo partner's cash-out reference and Ipay webhook endpoints, the all-provider events read, the sample
 * sender, and the receipt store's migration from its first (LIQX-only) shape.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { Webhook } from 'standardwebhooks';
import { signSharedSecret } from '../../../src/webhooks/internal.js';
import { sqliteReceiptStore } from '../../../src/server/index.js';
import { DEMO_PROVIDER_SECRETS } from '../../../demo/server/partner/demo-only-sample-sender.js';
import { docExamples, liqxPayload } from '../../fixtures/webhooks/samples.js';
import { request, tempDataDir, withDemo } from './demo-helpers.js';

const cashout = Object.fromEntries(docExamples('cashout-reference').map((e) => [e.name, e.text]));
const ipayExample = docExamples('ipay')[0]!.text;
const PATH = { 'cashout-reference': '/api/webhooks/cashout', ipay: '/api/webhooks/ipay' } as const;
const SECRET = { 'cashout-reference': DEMO_PROVIDER_SECRETS.cashout, ipay: DEMO_PROVIDER_SECRETS.ipay } as const;

async function send(base: string, provider: 'cashout-reference' | 'ipay', body: string, headers?: Record<string, string>) {
  return request(`${base}${PATH[provider]}`, {
    body,
    headers: headers ?? { 'content-type': 'application/json', ...(await signSharedSecret(SECRET[provider], body)) },
  });
}
const events = async (base: string, query = '') => (await request(`${base}/api/webhooks/events${query}`)).body;

describe('cash-out reference and Ipay endpoints', () => {
  test('the documents\' examples, verbatim and signed, are stored as normalized receipts', async () => {
    await withDemo({}, async (demo) => {
      for (const text of Object.values(cashout)) assert.equal((await send(demo.partnerUrl, 'cashout-reference', text)).status, 200);
      const ipay = await send(demo.partnerUrl, 'ipay', ipayExample);
      assert.equal(ipay.status, 200);
      assert.equal(ipay.body.duplicate, false);
      assert.match(ipay.body.webhook_id, /^sha256:[0-9a-f]{64}$/);

      const { rows } = await events(demo.partnerUrl, '?provider=ipay');
      assert.equal(rows.length, 1);
      assert.deepEqual(
        { ...rows[0], received_at: undefined },
        {
          webhook_id: ipay.body.webhook_id,
          provider: 'ipay',
          event_type: 'payoutUpdate',
          intent_id: null,
          external_ref: 'ref-a00020',
          status: 'completed',
          // Ipay's payload names no owner on the partner's side: only the operator's read (this path) shows it.
          owner: null,
          phase: null,
          attempts: null,
          reference: '3971f24a-b901-4bdb-b3a5-7690ca350cd3',
          amount_minor: 2000,
          currency: 'AUD',
          failure_code: null,
          failure_message: null,
          occurred_at: '2024-03-10T17:23:48.000Z',
          received_at: undefined,
          payload: JSON.parse(ipayExample),
        },
      );
      const cash = (await events(demo.partnerUrl, '?provider=cashout-reference')).rows;
      assert.deepEqual(cash.map((r: any) => r.status).sort(), ['canceled', 'completed', 'created', 'expired', 'failed']);
      const failed = cash.find((r: any) => r.status === 'failed');
      assert.equal(failed.reference, null);
      assert.equal(failed.failure_code, 'REFERENCE_FAILED');
      // The commented example is stored as the JSON it means.
      assert.equal(failed.payload.details.failed_message, 'Reference failed on being created');
      const expired = (await events(demo.partnerUrl, '?type=CASHOUT_REFERENCE_EXPIRED')).rows;
      assert.equal(expired.length, 1);
      assert.equal(expired[0].failure_code, 'REFERENCE_EXPIRED');
    });
  });

  test('forged, missing and stale signatures: 401, nothing stored', async () => {
    await withDemo({}, async (demo) => {
      for (const provider of ['cashout-reference', 'ipay'] as const) {
        const body = provider === 'ipay' ? ipayExample : cashout.CASHOUT_REFERENCE_COMPLETED!;
        const forged = await send(demo.partnerUrl, provider, body, await signSharedSecret('not-the-secret', body));
        assert.equal(forged.status, 401);
        assert.equal(forged.body.error.code, 'BAD_SIGNATURE');
        // Signed for the other provider's endpoint: its secret is not this one's.
        const crossed = await send(demo.partnerUrl, provider, body, await signSharedSecret(SECRET[provider === 'ipay' ? 'cashout-reference' : 'ipay'], body));
        assert.equal(crossed.body.error.code, 'BAD_SIGNATURE');
        const missing = await send(demo.partnerUrl, provider, body, { 'content-type': 'application/json' });
        assert.equal(missing.body.error.code, 'MISSING_HEADERS');
        const stale = await send(demo.partnerUrl, provider, body, await signSharedSecret(SECRET[provider], body, Math.floor(Date.now() / 1000) - 301));
        assert.equal(stale.status, 401);
        assert.equal(stale.body.error.code, 'STALE_TIMESTAMP');
        const tampered = await send(demo.partnerUrl, provider, body, await signSharedSecret(SECRET[provider], `${body} `));
        assert.equal(tampered.body.error.code, 'BAD_SIGNATURE');
      }
      assert.equal((await events(demo.partnerUrl)).count, 0);
    });
  });

  test('signed but malformed or not JSON: 202 quarantined with the issue paths, no receipt stored', async () => {
    await withDemo({}, async (demo) => {
      const bad = JSON.stringify({ ...JSON.parse(ipayExample), amount: '20.00', status: 'done' });
      const r = await send(demo.partnerUrl, 'ipay', bad);
      assert.equal(r.status, 202);
      assert.equal(r.body.error.code, 'INVALID_PAYLOAD');
      assert.deepEqual(r.body.error.issues.map((i: any) => i.path).sort(), ['amount', 'status']);
      const notJson = await send(demo.partnerUrl, 'cashout-reference', '{ "event_type": ');
      assert.equal(notJson.status, 202);
      assert.equal(notJson.body.error.code, 'INVALID_JSON');
      const wrongProvider = await send(demo.partnerUrl, 'cashout-reference', ipayExample);
      assert.equal(wrongProvider.status, 202);
      assert.ok(wrongProvider.body.error.issues.some((i: any) => i.path === 'event_type'));
      assert.equal((await events(demo.partnerUrl)).count, 0);
    });
  });

  test('idempotent: the same Ipay payload (any formatting) and a cash-out retry are stored once', async () => {
    await withDemo({}, async (demo) => {
      assert.equal((await send(demo.partnerUrl, 'ipay', ipayExample)).body.duplicate, false);
      const reformatted = JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(ipayExample)).reverse()));
      const again = await send(demo.partnerUrl, 'ipay', reformatted);
      assert.equal(again.status, 200);
      assert.equal(again.body.duplicate, true);
      const text = cashout.CASHOUT_REFERENCE_COMPLETED!;
      assert.equal((await send(demo.partnerUrl, 'cashout-reference', text)).body.duplicate, false);
      const retry = await send(demo.partnerUrl, 'cashout-reference', text.replace('"attempts": 1,', '"attempts": 2,'));
      assert.equal(retry.body.duplicate, true);
      assert.equal((await events(demo.partnerUrl)).count, 2);
    });
  });
});

describe('events read across providers', () => {
  test('all providers together, newest first; provider filter on both paths; bad filters are 400', async () => {
    await withDemo({}, async (demo) => {
      const body = JSON.stringify(liqxPayload('transaction.failed', { intent_id: 'pi_multi', external_ref: 'ext_multi' }));
      const at = new Date();
      const liqx = await request(`${demo.partnerUrl}/api/webhooks/liqx`, {
        body,
        headers: {
          'content-type': 'application/json',
          'webhook-id': 'msg_multi',
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': new Webhook(demo.webhookSecret).sign('msg_multi', at, body),
        },
      });
      assert.equal(liqx.status, 200);
      await send(demo.partnerUrl, 'cashout-reference', cashout.CASHOUT_REFERENCE_CANCELED!);
      await send(demo.partnerUrl, 'ipay', ipayExample);

      const all = await events(demo.partnerUrl);
      assert.deepEqual(all.rows.map((r: any) => r.provider), ['ipay', 'cashout-reference', 'liqx']);
      const liqxRow = all.rows[2];
      assert.equal(liqxRow.webhook_id, 'msg_multi');
      assert.equal(liqxRow.reference, 'pi_multi');
      assert.equal(liqxRow.amount_minor, 100000);
      assert.equal(liqxRow.currency, 'KRW');
      assert.equal(liqxRow.failure_code, 'USER_DECLINED');
      // /api/webhooks/liqx/events is the signed-in demo user's own read: none of these rows names it as owner.
      assert.deepEqual((await request(`${demo.partnerUrl}/api/webhooks/liqx/events?limit=20`)).body.rows, []);
      for (const provider of ['liqx', 'cashout-reference', 'ipay']) {
        const rows = (await events(demo.partnerUrl, `?provider=${provider}`)).rows;
        assert.deepEqual(rows.map((r: any) => r.provider), [provider]);
      }
      assert.equal((await events(demo.partnerUrl, '?status=canceled')).rows[0].provider, 'cashout-reference');
      assert.equal((await events(demo.partnerUrl, '?provider=')).count, 3);
      assert.equal((await request(`${demo.partnerUrl}/api/webhooks/events?provider=paypal`)).status, 400);
      assert.equal((await request(`${demo.partnerUrl}/api/webhooks/events?status=done`)).status, 400);
    });
  });
});

describe('sample sender', () => {
  test('each provider\'s sample goes through its real endpoint, signed as that provider signs', async () => {
    await withDemo({}, async (demo) => {
      for (const provider of ['liqx', 'cashout-reference', 'ipay']) {
        const r = await request(`${demo.partnerUrl}/api/demo/sample-webhook`, { body: { provider } });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.http_status, 200);
        assert.equal(r.body.response.received, true);
        assert.equal(r.body.response.duplicate, false);
        if (provider === 'liqx') assert.match(r.body.sent.headers['webhook-signature'], /^v1,/);
        else assert.match(r.body.sent.headers['x-webhook-signature'], /^sha256=[0-9a-f]{64}$/);
        if (provider === 'cashout-reference') assert.match(r.body.sent.body, /\/\* API Event Type \*\//);
      }
      const { rows } = await events(demo.partnerUrl);
      assert.deepEqual(rows.map((r: any) => r.provider).sort(), ['cashout-reference', 'ipay', 'liqx']);
      assert.ok(rows.every((r: any) => r.status === 'completed'));
      // A second click is a new event, not a duplicate.
      const again = await request(`${demo.partnerUrl}/api/demo/sample-webhook`, { body: { provider: 'ipay' } });
      assert.equal(again.body.response.duplicate, false);
      assert.equal((await request(`${demo.partnerUrl}/api/demo/sample-webhook`, { body: { provider: 'paypal' } })).status, 400);
    });
  });
});

test('receipt store: a table of the first (LIQX-only) shape is migrated, rows kept', async () => {
  const data = tempDataDir();
  try {
    const db = new Database(`${data.dir}/receipts.sqlite`);
    db.exec(`CREATE TABLE webhook_receipts (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, provider TEXT NOT NULL, event_id TEXT NOT NULL, event_type TEXT NOT NULL,
      intent_id TEXT, external_ref TEXT, status TEXT NOT NULL, phase TEXT, attempts INTEGER NOT NULL,
      failure_code TEXT, failure_message TEXT, occurred_at TEXT NOT NULL, received_at TEXT NOT NULL, payload TEXT NOT NULL,
      UNIQUE (provider, event_id));
      CREATE INDEX webhook_receipts_intent ON webhook_receipts (intent_id);`);
    db.prepare(`INSERT INTO webhook_receipts (provider, event_id, event_type, intent_id, external_ref, status, phase, attempts,
      failure_code, failure_message, occurred_at, received_at, payload) VALUES ('liqx', 'msg_old', 'transaction.completed', 'pi_old',
      'ext_old', 'completed', 'PAYOUT', 3, NULL, NULL, '2026-11-22T00:00:00.000Z', '2026-11-22T00:00:01.000Z', '{"old":true}')`).run();
    db.close();

    const store = await sqliteReceiptStore(`${data.dir}/receipts.sqlite`);
    try {
      const [old] = (await store.list({ limit: 10 })).rows;
      assert.equal(old!.webhook_id, 'msg_old');
      assert.equal(old!.attempts, 3);
      assert.equal(old!.reference, null);
      const { inserted } = await store.insert({
        provider: 'ipay', event_id: 'sha256:00', event_type: 'payoutCreated', intent_id: null, external_ref: 'r', status: 'pending',
        phase: null, attempts: null, failure_code: null, failure_message: null, occurred_at: '2026-11-22T00:00:02.000Z', payload: '{}',
      });
      assert.ok(inserted);
      assert.equal((await store.list({ limit: 10 })).rows.length, 2);
      assert.equal((await store.list({ limit: 10, intent_id: 'pi_old' })).rows.length, 1);
    } finally {
      await store.close();
    }
    // Opening again is a no-op: the table is already current.
    const again = await sqliteReceiptStore(`${data.dir}/receipts.sqlite`);
    assert.equal((await again.list({ limit: 10 })).rows.length, 2);
    await again.close();
  } finally {
    data.remove();
  }
});
