/**
 * The package owns the LIQX webhook contract (LiqxWebhookEvent, liqx-payout-widget/webhooks): the demo's mock LIQX
 * sends exactly what it defines, a mock that drifts from it cannot send at all, and the package's own reader
 * accepts everything the contract allows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { WebhookDispatcher } from '../../../demo/server/liqx/dispatcher.js';
import { LiqxWebhookEvent, normalizePayoutWebhook } from '../../../src/webhooks/index.js';

const SECRET = `whsec_${Buffer.from('contract-test-secret-0123456789').toString('base64')}`;
const data = {
  intent_id: 'pi_contract_1',
  external_ref: 'ext_contract_1',
  external_user_id: 'user_1',
  phase: 'PAYOUT' as const,
  status: 'completed' as const,
  amount_krw: '100000',
  amount_usdt: '75.000000',
  transaction_id: 'trx_1',
};

test('the mock LIQX delivers a body that is exactly a LiqxWebhookEvent, signed, and the reader takes it', async () => {
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  const dispatcher = new WebhookDispatcher({ url: () => `http://127.0.0.1:${port}/`, secret: SECRET, retryBaseMs: 10, maxAttempts: 2 });
  try {
    const id = dispatcher.dispatch({ type: 'transaction.completed', data });
    await dispatcher.idle();
    assert.equal(received.length, 1);
    const [{ headers, body }] = received;
    assert.equal(headers['webhook-id'], id);
    const payload = new Webhook(SECRET).verify(body, headers as Record<string, string>);
    const event = LiqxWebhookEvent.parse(payload);
    assert.deepEqual(event.data, { ...data, attempt: 1 });
    const receipt = normalizePayoutWebhook('liqx', payload, { eventId: id });
    assert.equal(receipt.status, 'completed');
    assert.equal(receipt.intentId, data.intent_id);
  } finally {
    dispatcher.close();
    await new Promise((ok) => server.close(ok));
  }
});

test('a mock that drifts from the contract cannot send: dispatch throws and nothing goes out', () => {
  const dispatcher = new WebhookDispatcher({ url: () => 'http://127.0.0.1:9/', secret: SECRET, retryBaseMs: 10, maxAttempts: 1 });
  try {
    const drifts: Record<string, unknown>[] = [
      { ...data, amount_krw: '100,000' },
      { ...data, phase: 'PAYIN' },
      { ...data, status: 'done' },
      { ...data, surprise_field: true },
    ];
    for (const drift of drifts) {
      assert.throws(() => dispatcher.dispatch({ type: 'transaction.completed', data: drift as never }), { name: 'ZodError' }, JSON.stringify(drift));
    }
    assert.equal(dispatcher.deliveries.length, 0);
  } finally {
    dispatcher.close();
  }
});
