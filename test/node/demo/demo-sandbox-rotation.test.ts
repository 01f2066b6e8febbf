/**
 * The sandbox's mock LIQX during a secret rotation (WEBHOOK_SECRET_PREVIOUS): each delivery carries a signature
 * with the current and with the previous secret, so a partner endpoint still holding only the previous secret and
 * one already holding only the current one both store it. Without the previous secret, the old-only endpoint
 * refuses (401) and stores nothing. Real servers: the sandbox and the kit's handler on SQLite, over loopback HTTP.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { startSandbox } from '../../../demo/server/sandbox.js';
import { createWebhookHandler, sqliteReceiptStore, type ReceiptStore } from '../../../src/server/index.js';

const whsec = () => `whsec_${randomBytes(24).toString('base64')}`;
const INTENT = {
  external_ref: 'ext_rotation',
  external_user_id: 'usr_rotation',
  legal_name: '홍길동',
  user_email: 'jane@example.com',
  return_url: 'https://partner.example/payouts/1',
  amount_krw: '100000',
  amount_usdt: '75.000000',
  // Refused at reservation: LIQX answers 422 and sends transaction.failed at once.
  scenario: 'KYC_NOT_VERIFIED',
};

/** A partner endpoint holding `secret` (the kit's handler on its own SQLite file), on a free loopback port. */
async function receiver(t: { after: (fn: () => unknown) => void }, secret: string) {
  const dir = mkdtempSync(join(tmpdir(), 'liqx-rotation-recv-'));
  const store: ReceiptStore = await sqliteReceiptStore(join(dir, 'receipts.sqlite'));
  const handler = createWebhookHandler({ providers: ['liqx'], secrets: { liqx: { secret } }, store });
  const server = createServer(getRequestListener(handler));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(async () => {
    await new Promise((r) => server.close(r));
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/webhooks/liqx`, store };
}

/** Creates the intent and waits (condition + timeout) until its first delivery attempt has an answer. */
async function firstAnswer(sandbox: { url: string; apiKey: string }): Promise<{ intentId: string; status: number }> {
  const res = await fetch(`${sandbox.url}/v1/payout-intents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sandbox.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...INTENT, external_ref: `ext_rotation_${randomBytes(4).toString('hex')}` }),
  });
  const body = (await res.json()) as { intent_id?: string };
  assert.equal(res.status, 422, JSON.stringify(body));
  const intentId = body.intent_id!;
  const deadline = Date.now() + 15_000;
  for (;;) {
    const log = (await (await fetch(`${sandbox.url}/v1/webhook-deliveries?intent_id=${intentId}`, { headers: { authorization: `Bearer ${sandbox.apiKey}` } })).json()) as {
      deliveries: { http_status: number | null }[];
    };
    const status = log.deliveries[0]?.http_status;
    if (typeof status === 'number') return { intentId, status };
    if (Date.now() > deadline) throw new Error(`no answered delivery for ${intentId} within 15 s: ${JSON.stringify(log)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('with WEBHOOK_SECRET_PREVIOUS the sandbox signs with both: old-only and new-only endpoints store the event', async (t) => {
  const [previous, current] = [whsec(), whsec()];
  for (const held of [previous, current]) {
    const partner = await receiver(t, held);
    const sandbox = await startSandbox({ port: 0, webhookSecret: current, previousWebhookSecret: previous, webhookUrl: partner.url, webhookRetryBaseMs: 10 });
    try {
      const { intentId, status } = await firstAnswer(sandbox);
      assert.equal(status, 200, held === previous ? 'the endpoint holding only the previous secret' : 'the endpoint holding only the current secret');
      const page = await partner.store.list({ limit: 10, intent_id: intentId });
      assert.deepEqual(page.rows.map((r) => r.event_type), ['transaction.failed']);
    } finally {
      await sandbox.close();
    }
  }
});

test('once the previous secret is dropped, an endpoint holding only it answers 401 and stores nothing', async (t) => {
  const [previous, current] = [whsec(), whsec()];
  const partner = await receiver(t, previous);
  const sandbox = await startSandbox({ port: 0, webhookSecret: current, webhookUrl: partner.url, webhookRetryBaseMs: 10, webhookMaxAttempts: 1 });
  try {
    const { intentId, status } = await firstAnswer(sandbox);
    assert.equal(status, 401);
    assert.equal((await partner.store.list({ limit: 10, intent_id: intentId })).rows.length, 0);
  } finally {
    await sandbox.close();
  }
});

test('WEBHOOK_SECRET_PREVIOUS is read from the environment and must be whsec_<base64>', async () => {
  const { sandboxEnv } = await import('../../../demo/server/sandbox.js');
  assert.equal(sandboxEnv({ WEBHOOK_SECRET_PREVIOUS: 'whsec_b2xk' }).previousWebhookSecret, 'whsec_b2xk');
  await assert.rejects(startSandbox({ port: 0, previousWebhookSecret: 'not-a-whsec' }), /WEBHOOK_SECRET_PREVIOUS must be whsec_/);
});
