/**
 * Webhook delivery end to end over HTTP: retries on the schedule (with jitter), giving up, exactly one
 * durable receipt per scenario, and receipts surviving a restart on the same data directory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { RunningDemo } from '../../../demo/server/main.js';
import { retryDelayRange, type DeliveryAttempt } from '../../../demo/server/liqx/dispatcher.js';
import { startDemo } from '../../../demo/server/main.js';
import { FAST, createPayout, events, liqx, postWebhook, request, tempDataDir, waitForRows, webhookBody, widget, withDemo } from './demo-helpers.js';

/** One delivery attempt as GET /v1/webhook-deliveries reports it. */
type Delivery = DeliveryAttempt;

async function deliveries(demo: RunningDemo, intentId: string, until: (d: Delivery[]) => boolean, timeoutMs = 20_000): Promise<Delivery[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await liqx(demo, `/v1/webhook-deliveries?intent_id=${intentId}`);
    if (until(body.deliveries)) return body.deliveries;
    if (Date.now() > deadline) throw new Error(`deliveries of ${intentId}: ${JSON.stringify(body.deliveries)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('PARTNER_ENDPOINT_FLAKY: two 503s, retried on the schedule, one receipt with attempts 3', async () => {
  const base = 25;
  await withDemo({ webhookRetryBaseMs: base }, async (demo) => {
    const payout = await createPayout(demo, { scenario: 'PARTNER_ENDPOINT_FLAKY' });
    assert.equal(payout.status, 201);
    assert.equal(payout.body.expected_webhook, 'transaction.completed');
    const confirmed = await widget(demo, payout.body.widget_session.session_token, '/payout/confirm', {});
    assert.equal(confirmed.body.status, 'completed');

    const rows = await waitForRows(demo, { intent_id: payout.body.intent_id }, (r) => r.length > 0);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].event_type, 'transaction.completed');
    assert.equal(rows[0].attempts, 3);
    assert.equal(rows[0].payload.data.attempt, 3);

    const log = await deliveries(demo, payout.body.intent_id, (d) => d.some((x) => x.ok));
    assert.deepEqual(log.map((d) => [d.attempt, d.http_status, d.ok]), [[1, 503, false], [2, 503, false], [3, 200, true]]);
    assert.equal(new Set(log.map((d) => d.webhook_id)).size, 1, 'one webhook id across retries');
    assert.equal(log[0].webhook_id, rows[0].webhook_id);
    // The retry schedule (with jitter), and no attempt starts before its wait is over.
    assert.equal(log[2].next_delay_ms, null);
    log.slice(0, 2).forEach((d, i) => {
      const [min, max] = retryDelayRange(i + 1, base);
      assert.ok(d.next_delay_ms! >= min && d.next_delay_ms! <= max, `wait after attempt ${i + 1}: ${d.next_delay_ms} ms, not in [${min}, ${max}]`);
    });
    for (let i = 1; i < log.length; i++) {
      const gap = Date.parse(log[i].started_at) - Date.parse(log[i - 1].started_at);
      assert.ok(gap >= log[i - 1].next_delay_ms! - 1, `attempt ${i + 1} started ${gap} ms after attempt ${i}, wait was ${log[i - 1].next_delay_ms} ms`);
    }

    // The retries were the flaky intent's alone: an ordinary payout right after is accepted at once.
    const normal = await createPayout(demo, { scenario: 'VERIFIED' });
    await widget(demo, normal.body.widget_session.session_token, '/payout/confirm', {});
    const normalRows = await waitForRows(demo, { intent_id: normal.body.intent_id }, (r) => r.length > 0);
    assert.equal(normalRows[0].attempts, 1);
  });
});

test('an unreachable endpoint is retried up to the attempt limit, then given up; nothing is stored', async (t) => {
  // Resets every connection before any HTTP answer. Kept listening for the whole test: a closed port could be
  // taken by another test's server running in parallel, which would then answer.
  const refusing = createServer();
  refusing.on('connection', (socket) => socket.destroy());
  await new Promise<void>((r) => refusing.listen(0, '127.0.0.1', r));
  t.after(() => new Promise((r) => refusing.close(r)));
  const port = (refusing.address() as { port: number }).port;

  await withDemo({ webhookRetryBaseMs: 5, webhookMaxAttempts: 4, webhookUrl: `http://127.0.0.1:${port}/api/webhooks/liqx` }, async (demo) => {
    const res = await createPayout(demo, { scenario: 'KYC_NOT_VERIFIED' });
    assert.equal(res.status, 422);
    // An attempt is logged when it starts; wait for the fourth to have finished too.
    const log = await deliveries(demo, res.body.intent_id, (d) => d.length === 4 && d[3].next_delay_ms === null && (d[3].error !== null || d[3].http_status !== null));
    assert.deepEqual(log.map((d) => d.attempt), [1, 2, 3, 4]);
    assert.ok(log.every((d) => !d.ok && d.http_status === null && d.error), JSON.stringify(log));
    assert.equal(log[3].next_delay_ms, null);
    log.slice(0, 3).forEach((d, i) => {
      const [min, max] = retryDelayRange(i + 1, 5);
      assert.ok(d.next_delay_ms! >= min && d.next_delay_ms! <= max, `wait after attempt ${i + 1}: ${d.next_delay_ms} ms, not in [${min}, ${max}]`);
    });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await liqx(demo, `/v1/webhook-deliveries?intent_id=${res.body.intent_id}`)).body.deliveries.length, 4, 'no fifth attempt');
    assert.equal((await events(demo, { intent_id: res.body.intent_id })).body.count, 0);
  });
});

test('every scenario ends with exactly one durable receipt of its expected type', async () => {
  await withDemo({ expiresTtlMs: 300 }, async (demo) => {
    const config = await request(`${demo.partnerUrl}/api/config`);
    const scenarios: { id: string; expected_webhook: string }[] = config.body.scenarios;
    const runs = await Promise.all(
      scenarios.map(async (s) => {
        const res = await createPayout(demo, { scenario: s.id });
        const token = res.body.widget_session?.session_token;
        if (s.id === 'VERIFIED' || s.id === 'PARTNER_ENDPOINT_FLAKY') assert.equal((await widget(demo, token, '/payout/confirm', {})).status, 200);
        if (s.id === 'USER_DECLINES') assert.equal((await widget(demo, token, '/payout/decline', { reason_code: 'USER_DECLINED' })).status, 200);
        return { scenario: s, external_ref: res.body.external_ref as string, status: res.status };
      }),
    );
    for (const run of runs) {
      const rows = await waitForRows(demo, { external_ref: run.external_ref }, (r) => r.length > 0);
      assert.equal(rows[0].event_type, run.scenario.expected_webhook, run.scenario.id);
      assert.equal(rows[0].phase, 'PAYOUT');
      assert.equal(rows[0].attempts, run.scenario.id === 'PARTNER_ENDPOINT_FLAKY' ? 3 : 1, run.scenario.id);
    }
    // Let any stray delivery land before counting.
    await new Promise((r) => setTimeout(r, 300));
    for (const run of runs) assert.equal((await events(demo, { external_ref: run.external_ref })).body.count, 1, run.scenario.id);
    assert.equal((await events(demo, { limit: '100' })).body.count, scenarios.length);
  });
});

test('receipts survive closing and restarting both servers on the same data directory', async () => {
  const data = tempDataDir();
  const dataDir = join(data.dir, 'nested', 'receipts'); // created on first run
  try {
    const first = await startDemo({ ...FAST, dataDir });
    assert.ok(existsSync(join(dataDir, 'receipts.sqlite')));
    const payout = await createPayout(first, { scenario: 'VERIFIED' });
    await widget(first, payout.body.widget_session.session_token, '/payout/confirm', {});
    const [completed] = await waitForRows(first, { intent_id: payout.body.intent_id }, (r) => r.length > 0);
    const signed = webhookBody();
    assert.equal((await postWebhook(first, signed, { id: 'msg_restart_1' })).status, 200);
    const before = (await events(first, { limit: '100' })).body.rows;
    await first.close();

    const second = await startDemo({ ...FAST, dataDir });
    try {
      assert.notEqual(second.partnerUrl, first.partnerUrl, 'a fresh server on a new port');
      const afterRestart = (await events(second, { limit: '100' })).body.rows;
      assert.deepEqual(afterRestart, before);
      assert.equal(afterRestart.find((r: { webhook_id: string }) => r.webhook_id === completed.webhook_id)?.event_type, 'transaction.completed');
      // Idempotency is durable too: the same delivery after the restart is a duplicate.
      const again = await postWebhook(second, signed, { id: 'msg_restart_1' });
      assert.deepEqual(again.body, { received: true, duplicate: true, provider: 'liqx', webhook_id: 'msg_restart_1', status: 'completed' });
      assert.equal((await events(second, { limit: '100' })).body.count, before.length);
    } finally {
      await second.close();
    }
  } finally {
    data.remove();
  }
});
