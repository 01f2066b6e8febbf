/**
 * The partner proxy's recovery routes over HTTP against a real demo (both servers, a real SQLite file): reconcile
 * after the endpoint missed every delivery stores each receipt once (two runs at once included), redeliver is
 * acknowledged as a duplicate, the delivery log and redeliver answer only for the signed-in user's intents, and bad
 * input is a 400 with the zod issue paths. A verified event of a type the kit does not know is quarantined (202),
 * listed, and replayed into one receipt.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createLiqxClient, sqliteReceiptStore, type LiqxDeliveryAttempt, type LiqxDeliveryLog, type ReconcileResult } from '../../../src/server/internal.js';
import type { DemoOptions, RunningDemo } from '../../../demo/server/main.js';
import { createPartnerApp } from '../../../demo/server/partner/app.js';
import { startPostgres, type PostgresServer } from '../../../scripts/lib/postgres-server.js';
import { FORM, createPayout, events, liqx, postWebhook, request, tempDataDir, waitForRows, webhookBody, widget, withDemo } from './demo-helpers.js';

let pgServer: PostgresServer;
before(async () => {
  pgServer = await startPostgres();
});
after(async () => {
  await pgServer?.stop();
});

const proxy = <T = any>(demo: RunningDemo, path: string, body?: unknown) => request<T>(`${demo.partnerUrl}/api/webhooks/liqx${path}`, { body });

/** Polls the proxy's delivery log of an intent until `until(log)`; fails naming what it waited for. */
async function deliveriesUntil(demo: RunningDemo, intentId: string, until: (d: LiqxDeliveryAttempt[]) => boolean, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await proxy<LiqxDeliveryLog>(demo, `/deliveries?intent_id=${encodeURIComponent(intentId)}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    if (until(res.body.deliveries)) return res.body.deliveries;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms: ${JSON.stringify(res.body.deliveries)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const paths = (body: { error: { issues?: { path: string }[] } }) => (body.error.issues ?? []).map((i) => i.path).sort();

const ENGINES: { name: string; options: () => Promise<DemoOptions> }[] = [
  { name: 'SQLite', options: async () => ({}) },
  { name: 'PostgreSQL', options: async () => ({ databaseUrl: await pgServer.createDatabase(`demo_recovery_${randomBytes(4).toString('hex')}`) }) },
];

for (const engine of ENGINES) test(`${engine.name}: endpoint down past every retry: reconcile stores each receipt once, then redeliver is a duplicate`, async () => {
  // The flaky endpoint refuses more deliveries than LIQX makes: the event ends `failed`, never stored.
  await withDemo({ ...(await engine.options()), flakyFailures: 100, webhookMaxAttempts: 2 }, async (demo) => {
    const since = new Date(Date.now() - 1000).toISOString();
    const delivered = await createPayout(demo, { scenario: 'VERIFIED' });
    assert.equal((await widget(demo, delivered.body.widget_session.session_token, '/payout/confirm', {})).status, 200);
    const missed = await createPayout(demo, { scenario: 'PARTNER_ENDPOINT_FLAKY' });
    assert.equal((await widget(demo, missed.body.widget_session.session_token, '/payout/confirm', {})).status, 200);

    await waitForRows(demo, { intent_id: delivered.body.intent_id }, (r) => r.length === 1);
    // A row is logged when its attempt starts; it is finished once it has a status or an error.
    const finished = (d: LiqxDeliveryAttempt) => d.http_status !== null || d.error !== null;
    const log = await deliveriesUntil(demo, missed.body.intent_id, (d) => d.length === 2 && d.every(finished), 'two finished attempts');
    assert.deepEqual(log.map((d) => [d.attempt, d.http_status, d.ok, d.trigger]), [[1, 503, false, 'schedule'], [2, 503, false, 'schedule']]);
    const eventId = log[0].webhook_id;
    assert.equal(log[1].next_delay_ms, null, 'no attempt scheduled after the last');
    const deadline = Date.now() + 20_000;
    while ((await liqx(demo, `/v1/events/${eventId}`)).body.delivery.state !== 'failed') {
      if (Date.now() > deadline) throw new Error('the missed event in state failed within 20 s');
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal((await events(demo, { intent_id: missed.body.intent_id })).body.count, 0, 'nothing stored for the missed event');

    // Two runs at once: the store's insert-once decides, so the missed receipt is inserted by exactly one of them.
    const runs = await Promise.all([proxy<ReconcileResult>(demo, '/reconcile', { since }), proxy<ReconcileResult>(demo, '/reconcile', { since })]);
    for (const run of runs) {
      assert.equal(run.status, 200, JSON.stringify(run.body));
      assert.equal(run.body.events, 2);
      assert.deepEqual(run.body.failed, []);
      assert.equal(run.body.inserted + run.body.duplicates, 2);
    }
    assert.deepEqual(runs.flatMap((r) => r.body.insertedIds), [eventId]);
    const rows = (await events(demo, { intent_id: missed.body.intent_id })).body.rows;
    assert.deepEqual(rows.map((r: { webhook_id: string; event_type: string }) => [r.webhook_id, r.event_type]), [[eventId, 'transaction.completed']]);

    // A later run finds both stored.
    const again = await proxy<ReconcileResult>(demo, '/reconcile', { since });
    assert.deepEqual(again.body, { events: 2, inserted: 0, duplicates: 2, insertedIds: [], failed: [] });

    // Redeliver: one more attempt with the same webhook-id, acknowledged by the endpoint as already stored.
    const redelivered = await proxy<LiqxDeliveryAttempt>(demo, '/redeliver', { event_id: eventId });
    assert.equal(redelivered.status, 200, JSON.stringify(redelivered.body));
    assert.equal(redelivered.body.webhook_id, eventId);
    assert.equal(redelivered.body.trigger, 'redeliver');
    assert.equal(redelivered.body.attempt, 3);
    assert.equal(redelivered.body.http_status, 200);
    assert.equal(redelivered.body.ok, true);
    assert.equal(redelivered.body.next_delay_ms, null);
    const after = await deliveriesUntil(demo, missed.body.intent_id, (d) => d.length === 3, 'the redelivery in the log');
    assert.deepEqual(after.at(-1), redelivered.body);
    assert.equal((await events(demo, { intent_id: missed.body.intent_id })).body.count, 1, 'still one receipt after the redelivery');
    assert.equal((await events(demo, { limit: '100' })).body.count, 2);
  });
});

for (const engine of ENGINES) test(`${engine.name}: a verified event of a type the kit does not know is quarantined (202), listed, and replayed into one receipt`, async () => {
  await withDemo(await engine.options(), async (demo) => {
    const intentId = `pi_quarantine_${randomBytes(4).toString('hex')}`;
    const { transaction_id: _completedOnly, ...data } = webhookBody({ intent_id: intentId, status: 'canceled' }).data as Record<string, unknown>;
    const body = JSON.stringify({ ...webhookBody({}, 'transaction.canceled'), data });
    const sent = await postWebhook(demo, body, { id: `msg_${intentId}` });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    assert.deepEqual([sent.body.quarantined, sent.body.duplicate, sent.body.webhook_id, sent.body.error.code], [true, false, sent.id, 'INVALID_PAYLOAD']);
    assert.ok(sent.body.error.issues.some((i: { path: string }) => i.path === 'type'));
    // LIQX retries (it did not see the answer, say): kept once. A forged copy is 401 and kept nowhere.
    assert.equal((await postWebhook(demo, body, { id: sent.id })).body.duplicate, true);
    assert.equal((await postWebhook(demo, body, { id: `${sent.id}_forged`, secret: `whsec_${Buffer.from('not-the-secret').toString('base64')}` })).status, 401);

    const listed = await request(`${demo.partnerUrl}/api/webhooks/quarantine?pending=true`);
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    assert.deepEqual(listed.body.rows.map((r: { webhook_id: string }) => r.webhook_id), [sent.id]);
    assert.equal(listed.body.rows[0].body, body, 'the bytes as signed');
    assert.equal(listed.body.rows[0].event_type, 'transaction.canceled');
    assert.equal(listed.body.rows[0].headers['webhook-id'], sent.id);

    const replay = (kit: 'installed' | 'next') => request(`${demo.partnerUrl}/api/webhooks/quarantine/replay`, { body: { provider: 'liqx', webhook_id: sent.id, kit } });
    const still = await replay('installed');
    assert.deepEqual([still.status, still.body.outcome], [200, 'invalid'], 'the installed kit still cannot read it');
    assert.equal((await events(demo, { intent_id: intentId })).body.count, 0);

    const replays = await Promise.all([replay('next'), replay('next'), replay('next')]);
    assert.deepEqual(replays.map((r) => r.body.outcome).sort(), ['duplicate', 'duplicate', 'inserted']);
    const rows = (await events(demo, { intent_id: intentId })).body.rows;
    assert.deepEqual(rows.map((r: { webhook_id: string; status: string; event_type: string }) => [r.webhook_id, r.status, r.event_type]), [[sent.id, 'canceled', 'transaction.canceled']]);
    assert.deepEqual((await request(`${demo.partnerUrl}/api/webhooks/quarantine?pending=true`)).body.rows, []);
    assert.ok((await request(`${demo.partnerUrl}/api/webhooks/quarantine`)).body.rows[0].replayed_at);

    // The panel's sender: the LIQX sample of the unknown type, signed by the demo, is quarantined the same way.
    const sample = await request(`${demo.partnerUrl}/api/demo/sample-webhook`, { body: { provider: 'liqx', unknown_type: true } });
    assert.deepEqual([sample.body.http_status, sample.body.response.quarantined], [202, true], JSON.stringify(sample.body));
    assert.equal((await request(`${demo.partnerUrl}/api/webhooks/quarantine?pending=true`)).body.rows.length, 1);

    // Bad input: typed 400s and a 404 for an unknown delivery.
    assert.deepEqual(paths((await request(`${demo.partnerUrl}/api/webhooks/quarantine/replay`, { body: { provider: 'paypal', webhook_id: '' } })).body), ['provider', 'webhook_id']);
    assert.equal((await request(`${demo.partnerUrl}/api/webhooks/quarantine/replay`, { body: { provider: 'liqx', webhook_id: 'msg_none' } })).status, 404);
    assert.deepEqual(paths((await request(`${demo.partnerUrl}/api/webhooks/quarantine?limit=0&cursor=x`)).body), ['limit']);
    assert.equal((await request(`${demo.partnerUrl}/api/webhooks/quarantine?cursor=x`)).status, 400);
  });
});

test('the delivery log and redeliver answer only for the signed-in user\'s intents; unknown ids are 404', async () => {
  await withDemo({}, async (demo) => {
    // Another owner's intent, created straight at LIQX: a preflight failure, so it has an event at once.
    const other = await liqx(demo, '/v1/payout-intents', { ...FORM, scenario: 'KYC_NOT_VERIFIED', external_ref: 'ext_other_owner', external_user_id: 'usr_other', owner: 'usr_other' });
    assert.equal(other.status, 422);
    const otherIntent = other.body.intent_id as string;
    const deadline = Date.now() + 20_000;
    let otherEvent: string | undefined;
    while (!otherEvent) {
      const page = await liqx(demo, '/v1/events');
      otherEvent = page.body.data.find((e: { intent_id: string }) => e.intent_id === otherIntent)?.id;
      if (!otherEvent && Date.now() > deadline) throw new Error('the other owner\'s transaction.failed event within 20 s');
      if (!otherEvent) await new Promise((r) => setTimeout(r, 20));
    }

    const log = await proxy(demo, `/deliveries?intent_id=${otherIntent}`);
    assert.equal(log.status, 404);
    assert.equal(log.body.error.code, 'INTENT_NOT_FOUND');
    const redeliver = await proxy(demo, '/redeliver', { event_id: otherEvent });
    assert.equal(redeliver.status, 404);
    assert.equal(redeliver.body.error.code, 'EVENT_NOT_FOUND');
    // Refused before LIQX was asked: no redelivery in LIQX's own log.
    const liqxLog = await liqx(demo, `/v1/webhook-deliveries?event_id=${otherEvent}`);
    assert.equal(liqxLog.body.deliveries.filter((d: LiqxDeliveryAttempt) => d.trigger === 'redeliver').length, 0);

    assert.equal((await proxy(demo, '/deliveries?intent_id=pi_nope')).body.error.code, 'INTENT_NOT_FOUND');
    const unknown = await proxy(demo, '/redeliver', { event_id: 'msg_nope' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'EVENT_NOT_FOUND');

    // The user's own intent: its log is there.
    const own = await createPayout(demo, { scenario: 'KYC_NOT_VERIFIED' });
    const ownLog = await deliveriesUntil(demo, own.body.intent_id, (d) => d.some((x) => x.ok), 'the own intent\'s delivered failure event');
    assert.equal(ownLog[0].event_type, 'transaction.failed');
  });
});

test('bad input: 400 INVALID_REQUEST with the zod issue paths; not JSON 400 (root); other media 415', async () => {
  await withDemo({}, async (demo) => {
    const cases: [string, unknown, string[]][] = [
      ['/reconcile', {}, ['since']],
      ['/reconcile', { since: 'yesterday' }, ['since']],
      ['/reconcile', { since: '2026-12-03T08:00:00' }, ['since']], // no zone
      ['/redeliver', {}, ['event_id']],
      ['/redeliver', { event_id: '' }, ['event_id']],
      ['/redeliver', { event_id: 42 }, ['event_id']],
      ['/redeliver', [], ['(root)']],
    ];
    for (const [path, body, expected] of cases) {
      const res = await proxy(demo, path, body);
      assert.equal(res.status, 400, `${path} ${JSON.stringify(body)}`);
      assert.equal(res.body.error.code, 'INVALID_REQUEST');
      assert.deepEqual(paths(res.body), expected, `${path} ${JSON.stringify(body)}`);
    }
    const noIntent = await proxy(demo, '/deliveries');
    assert.equal(noIntent.status, 400);
    assert.deepEqual(paths(noIntent.body), ['intent_id']);

    const notJson = await proxy(demo, '/reconcile', '{since');
    assert.equal(notJson.status, 400);
    assert.deepEqual(paths(notJson.body), ['(root)']);
    const form = await request(`${demo.partnerUrl}/api/webhooks/liqx/reconcile`, { body: 'since=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(form.status, 415);
  });
});

test('LIQX refusing or unreachable: reconcile answers 502 with the code and what it stored before', async () => {
  await withDemo({}, async (demo) => {
    const data = tempDataDir();
    const store = await sqliteReceiptStore(join(data.dir, 'receipts.sqlite'));
    const partner = (baseUrl: string, apiKey: string, withApi = true) =>
      createPartnerApp({
        liqx: createLiqxClient({ baseUrl, apiKey, timeoutMs: 5000 }),
        liqxOrigin: () => baseUrl,
        webhookSecret: demo.webhookSecret,
        webhookToleranceSec: 300,
        store,
        distDir: data.dir,
        flakyFailures: 0,
        ...(withApi ? { liqxApi: { baseUrl: () => baseUrl, apiKey } } : {}),
      });
    const post = (app: ReturnType<typeof partner>, path: string, body: unknown) =>
      app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    try {
      const since = new Date(Date.now() - 60_000).toISOString();
      const wrongKey = await post(partner(demo.liqxUrl, 'lqx_wrong_key'), '/api/webhooks/liqx/reconcile', { since });
      assert.equal(wrongKey.status, 502);
      const refused = await wrongKey.json();
      assert.equal(refused.error.code, 'UPSTREAM_AUTH_REFUSED');
      assert.equal(refused.error.upstream_status, 401);
      assert.deepEqual(refused.partial, { events: 0, inserted: 0, duplicates: 0, insertedIds: [], failed: [] });

      // A port nothing listens on: the client's connection is refused at once.
      const closed = await post(partner('http://127.0.0.1:9', demo.partnerApiKey), '/api/webhooks/liqx/reconcile', { since });
      assert.equal(closed.status, 502);
      assert.equal((await closed.json()).error.code, 'UPSTREAM_UNAVAILABLE');

      // Without the API base URL the routes that need it say so instead of guessing.
      const unconfigured = await post(partner(demo.liqxUrl, demo.partnerApiKey, false), '/api/webhooks/liqx/redeliver', { event_id: 'msg_x' });
      assert.equal(unconfigured.status, 503);
      assert.equal((await unconfigured.json()).error.code, 'NOT_CONFIGURED');
    } finally {
      await store.close();
      data.remove();
    }
  });
});
