/**
 * createWebhookHandler on the SQLite store, driven with Fetch API Requests: the order of its checks (nothing is
 * read before the headers pass; reading stops at the cap), raw-byte verification (BOM, a non-UTF-8 byte), hostile
 * nesting, verified bodies it cannot read kept in the quarantine (202), one onReceipt per receipt inside the
 * insert's transaction, and 5xx when the commit cannot happen.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWebhookHandler, sqliteReceiptStore, type ReceiptStore, type SqliteTx } from '../../../src/server/internal.js';
import { MAX_PAYLOAD_DEPTH, signSharedSecret, signStandardWebhook } from '../../../src/webhooks/internal.js';
import { liqxPayload } from '../../fixtures/webhooks/samples.js';

const LIQX_SECRET = `whsec_${Buffer.from('handler-test-secret').toString('base64')}`;
const IPAY_SECRET = 'ipay-handler-test-secret';
const CAP = 4096;
const dir = mkdtempSync(join(tmpdir(), 'liqx-handler-'));
let store: ReceiptStore<SqliteTx>;
const received: string[] = [];
let failNext = false;
let handler: (r: Request) => Promise<Response>;

before(async () => {
  store = await sqliteReceiptStore(join(dir, 'receipts.sqlite'));
  handler = createWebhookHandler({
    providers: { liqx: 'liqx', ipay: 'ipay' },
    secrets: { liqx: { secret: LIQX_SECRET }, ipay: { secret: IPAY_SECRET } },
    store,
    maxBodyBytes: CAP,
    toleranceSec: 300,
    onReceipt(receipt, tx) {
      if (failNext) {
        failNext = false;
        throw new Error('downstream failed');
      }
      assert.ok(tx.db.inTransaction, 'onReceipt runs inside the insert transaction');
      received.push(`${receipt.provider}:${receipt.eventId ?? receipt.reference}`);
    },
  });
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
async function liqxRequest(body: string | Uint8Array, opts: { id?: string; ts?: number; secret?: string; headers?: Record<string, string> } = {}) {
  const id = opts.id ?? `msg_handler_${++n}`;
  const ts = opts.ts ?? Math.floor(Date.now() / 1000);
  return new Request('http://partner.test/webhooks/liqx', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(ts),
      'webhook-signature': await signStandardWebhook(opts.secret ?? LIQX_SECRET, id, ts, body),
      ...opts.headers,
    },
    body: body as BodyInit,
  });
}
const readJson = async (res: Response) => ({ status: res.status, body: (await res.json()) as { error?: { code: string; issues?: { path: string }[] }; received?: boolean; quarantined?: boolean; duplicate?: boolean; webhook_id?: string } });

/** A request body that counts what the handler pulled out of it. */
function countingBody(chunk: number, total: number) {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= total) return controller.close();
      pulled += chunk;
      controller.enqueue(new Uint8Array(chunk).fill(0x20));
    },
  }, { highWaterMark: 0 });
  return { stream, pulled: () => pulled };
}

test('a signed delivery is stored once; the redelivery is a duplicate and onReceipt ran once', async () => {
  const body = JSON.stringify(liqxPayload('transaction.completed', { intent_id: 'pi_once' }));
  const first = await readJson(await handler(await liqxRequest(body, { id: 'msg_once' })));
  assert.equal(first.status, 200);
  assert.deepEqual([first.body.received, first.body.duplicate, first.body.webhook_id], [true, false, 'msg_once']);
  const again = await readJson(await handler(await liqxRequest(body, { id: 'msg_once' })));
  assert.deepEqual([again.status, again.body.duplicate], [200, true]);
  assert.equal(received.filter((r) => r === 'liqx:msg_once').length, 1);
  assert.equal((await store.get('liqx', 'msg_once'))?.intent_id, 'pi_once');
});

test('a body starting with a UTF-8 BOM, signed as sent, verifies and is stored (200)', async () => {
  const json = new TextEncoder().encode(JSON.stringify(liqxPayload('transaction.completed', { intent_id: 'pi_bom' })));
  const body = new Uint8Array([0xef, 0xbb, 0xbf, ...json]);
  const res = await readJson(await handler(await liqxRequest(body, { id: 'msg_bom' })));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal((await store.get('liqx', 'msg_bom'))?.intent_id, 'pi_bom');
});

test('a body with a non-UTF-8 byte in a string, signed as sent, verifies and is stored (200)', async () => {
  const text = JSON.stringify(liqxPayload('transaction.completed', { intent_id: 'pi_latin1', note: 'caf#' }));
  const body = new TextEncoder().encode(text);
  body[text.indexOf('#')] = 0xe9; // Latin-1 é: not valid UTF-8
  const res = await readJson(await handler(await liqxRequest(body, { id: 'msg_latin1' })));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(((await store.get('liqx', 'msg_latin1'))?.payload as { data: { note: string } }).data.note, 'caf\uFFFD');
});

test('forged, replayed and unsigned deliveries get 401 and store nothing', async () => {
  const body = JSON.stringify(liqxPayload('transaction.completed', { intent_id: 'pi_forged' }));
  const other = `whsec_${Buffer.from('not the secret').toString('base64')}`;
  const cases: [string, Request, string][] = [
    ['forged', await liqxRequest(body, { secret: other }), 'BAD_SIGNATURE'],
    ['replayed', await liqxRequest(body, { ts: Math.floor(Date.now() / 1000) - 600 }), 'STALE_TIMESTAMP'],
    ['bad timestamp', await liqxRequest(body, { headers: { 'webhook-timestamp': 'yesterday' } }), 'INVALID_TIMESTAMP'],
    ['unsigned', new Request('http://partner.test/webhooks/liqx', { method: 'POST', headers: { 'content-type': 'application/json' }, body }), 'MISSING_HEADERS'],
  ];
  for (const [name, req, code] of cases) {
    const res = await readJson(await handler(req));
    assert.deepEqual([res.status, res.body.error?.code], [401, code], name);
  }
  assert.deepEqual((await store.list({ limit: 10, intent_id: 'pi_forged' })).rows, []);
});

test('headers and timestamp are checked before the body is read: a replay pulls no byte', async () => {
  const body = countingBody(1024, 10 * 1024 * 1024);
  const ts = Math.floor(Date.now() / 1000) - 3600;
  const req = new Request('http://partner.test/webhooks/liqx', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': 'msg_x', 'webhook-timestamp': String(ts), 'webhook-signature': 'v1,AAAA' },
    body: body.stream,
    duplex: 'half',
  } as RequestInit);
  const res = await readJson(await handler(req));
  assert.deepEqual([res.status, res.body.error?.code], [401, 'STALE_TIMESTAMP']);
  assert.equal(body.pulled(), 0);
});

test('413: a declared Content-Length over the cap is refused unread; a streamed body stops at the cap', async () => {
  const declared = countingBody(1024, 100 * 1024 * 1024);
  const req1 = await liqxRequest('{}');
  const big = new Request(req1.url, { method: 'POST', headers: { ...Object.fromEntries(req1.headers), 'content-length': String(100 * 1024 * 1024) }, body: declared.stream, duplex: 'half' } as RequestInit);
  const res1 = await readJson(await handler(big));
  assert.deepEqual([res1.status, res1.body.error?.code], [413, 'PAYLOAD_TOO_LARGE']);
  assert.equal(declared.pulled(), 0, 'nothing read');

  const streamed = countingBody(1024, 100 * 1024 * 1024);
  const req2 = await liqxRequest('{}');
  const chunked = new Request(req2.url, { method: 'POST', headers: req2.headers, body: streamed.stream, duplex: 'half' } as RequestInit);
  const res2 = await handler(chunked);
  assert.equal(res2.status, 413);
  assert.ok(streamed.pulled() <= CAP + 2 * 1024, `read ${streamed.pulled()} bytes, cap ${CAP}`);
});

test('415 for a body that is not declared JSON; 404 for an unconfigured provider; 405 for GET', async () => {
  const req = await liqxRequest(JSON.stringify(liqxPayload()), { headers: { 'content-type': 'text/plain' } });
  assert.deepEqual((await readJson(await handler(req))).body.error?.code, 'UNSUPPORTED_MEDIA_TYPE');
  assert.equal((await handler(await liqxRequest('{}', { headers: { 'content-type': 'text/plain;charset=utf-8' } }))).status, 415);
  const cashout = new Request('http://partner.test/webhooks/cashout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.deepEqual((await readJson(await handler(cashout))).body.error?.code, 'UNKNOWN_PROVIDER');
  assert.equal((await handler(new Request('http://partner.test/webhooks/liqx'))).status, 405);
});

test(`a signed payload nested 100,000 deep is quarantined (202 INVALID_PAYLOAD, limit ${MAX_PAYLOAD_DEPTH}), never a 500`, async () => {
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  const body = `{"type":"transaction.completed","timestamp":"2026-11-22T03:10:00.000Z","data":${deep}}`;
  const handler2 = createWebhookHandler({ providers: ['liqx'], secrets: { liqx: { secret: LIQX_SECRET } }, store, maxBodyBytes: 1024 * 1024, onError: () => {} });
  const res = await readJson(await handler2(await liqxRequest(body, { id: 'msg_deep' })));
  assert.deepEqual([res.status, res.body.quarantined, res.body.error?.code], [202, true, 'INVALID_PAYLOAD']);
  assert.equal(new TextDecoder().decode((await store.getQuarantined('liqx', 'msg_deep'))!.body), body, 'the bytes are kept exactly');
  const ipay = '{"a":' .repeat(100_000) + '1' + '}'.repeat(100_000);
  const headers = { 'content-type': 'application/json', ...(await signSharedSecret(IPAY_SECRET, ipay)) };
  const res2 = await readJson(await createWebhookHandler({ providers: ['ipay'], secrets: { ipay: { secret: IPAY_SECRET } }, store, maxBodyBytes: 1024 * 1024, onError: () => {} })(new Request('http://p.test/ipay', { method: 'POST', headers, body: ipay })));
  assert.deepEqual([res2.status, res2.body.error?.code], [202, 'INVALID_PAYLOAD']);
  // Too deep to read, so it is kept under the hash of its bytes; the signature headers are kept beside them.
  const kept = await store.getQuarantined('ipay', res2.body.webhook_id!);
  assert.match(kept!.webhook_id, /^body-sha256:[0-9a-f]{64}$/);
  assert.equal(kept!.headers['x-webhook-signature'], (headers as Record<string, string>)['x-webhook-signature']);
});

test('a signed but malformed payload is quarantined: 202 with issue paths, no receipt; unsigned malformed bytes stay 401', async () => {
  const res = await readJson(await handler(await liqxRequest(JSON.stringify(liqxPayload('transaction.completed', { intent_id: 42 })), { id: 'msg_malformed' })));
  assert.equal(res.status, 202);
  assert.deepEqual([res.body.quarantined, res.body.duplicate, res.body.webhook_id, res.body.error?.code], [true, false, 'msg_malformed', 'INVALID_PAYLOAD']);
  assert.ok(res.body.error?.issues?.some((i) => i.path === 'data.intent_id'));
  assert.equal(await store.get('liqx', 'msg_malformed'), undefined);
  // Verified bytes that are not JSON at all are kept too.
  const notJson = await readJson(await handler(await liqxRequest('{"type":', { id: 'msg_not_json' })));
  assert.deepEqual([notJson.status, notJson.body.error?.code], [202, 'INVALID_JSON']);
  assert.equal(new TextDecoder().decode((await store.getQuarantined('liqx', 'msg_not_json'))!.body), '{"type":');
  const forged = await handler(await liqxRequest('{"type":', { id: 'msg_forged_malformed', secret: `whsec_${Buffer.from('other').toString('base64')}` }));
  assert.equal(forged.status, 401);
  assert.equal(await store.getQuarantined('liqx', 'msg_forged_malformed'), undefined);
});

test('onReceipt throwing: 500 RECEIPT_HANDLER_FAILED, nothing stored; the retry is stored and handled once', async () => {
  const body = JSON.stringify(liqxPayload('transaction.completed', { intent_id: 'pi_retry' }));
  failNext = true;
  const res = await readJson(await handler(await liqxRequest(body, { id: 'msg_retry' })));
  assert.deepEqual([res.status, res.body.error?.code], [500, 'RECEIPT_HANDLER_FAILED']);
  assert.equal(await store.get('liqx', 'msg_retry'), undefined);
  assert.equal((await handler(await liqxRequest(body, { id: 'msg_retry' }))).status, 200);
  assert.equal(received.filter((r) => r === 'liqx:msg_retry').length, 1);
});

test('without onError, a 5xx is logged (console.error), never silent', async (t) => {
  const logged = t.mock.method(console, 'error', () => {});
  const closed = await sqliteReceiptStore(join(dir, 'closed-logged.sqlite'));
  await closed.close();
  const h = createWebhookHandler({ providers: ['liqx'], secrets: { liqx: { secret: LIQX_SECRET } }, store: closed });
  assert.equal((await h(await liqxRequest(JSON.stringify(liqxPayload()), { id: 'msg_logged' }))).status, 503);
  assert.equal(logged.mock.callCount(), 1);
  const line = logged.mock.calls[0]!.arguments.map(String).join(' ');
  assert.match(line, /webhook handler/);
  assert.doesNotMatch(line, /whsec_/, 'the secret is never logged');
});

test('without onError, a newly quarantined delivery is logged once (console.warn), its retry not again', async (t) => {
  const warned = t.mock.method(console, 'warn', () => {});
  const h = createWebhookHandler({ providers: ['liqx'], secrets: { liqx: { secret: LIQX_SECRET } }, store });
  const body = JSON.stringify({ ...liqxPayload(), type: 'transaction.refunded' });
  assert.equal((await h(await liqxRequest(body, { id: 'msg_warned' }))).status, 202);
  assert.equal((await h(await liqxRequest(body, { id: 'msg_warned' }))).status, 202);
  assert.equal(warned.mock.callCount(), 1);
  assert.match(warned.mock.calls[0]!.arguments.map(String).join(' '), /quarantined.*202.*replayQuarantined/s);
});

test('a store that cannot commit answers 503 STORE_UNAVAILABLE (the sender retries)', async () => {
  const closed = await sqliteReceiptStore(join(dir, 'closed.sqlite'));
  await closed.close();
  const h = createWebhookHandler({ providers: ['liqx'], secrets: { liqx: { secret: LIQX_SECRET } }, store: closed });
  const res = await readJson(await h(await liqxRequest(JSON.stringify(liqxPayload()))));
  assert.deepEqual([res.status, res.body.error?.code], [503, 'STORE_UNAVAILABLE']);
});

test('the shared-secret providers go through the same handler and the same codes', async () => {
  const body = JSON.stringify({ event: 'payoutUpdated', amount: 1000, currency: 'AUD', payout_id: '1d5a7b8e-0000-4000-8000-000000000001', batch_id: null, batch_run_time: null, receiver_account_id: 'r', receiver_id: 'r', reference: 'ref-ipay', status: 'successful', subccount_id: 's', timestamp: 1710091428000 });
  const req = () => signSharedSecret(IPAY_SECRET, body).then((h) => new Request('http://partner.test/webhooks/ipay', { method: 'POST', headers: { 'content-type': 'application/json', ...h }, body }));
  const first = await readJson(await handler(await req()));
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal((await readJson(await handler(await req()))).body.duplicate, true);
  const forged = await readJson(await handler(new Request('http://partner.test/webhooks/ipay', { method: 'POST', headers: { 'content-type': 'application/json', ...(await signSharedSecret('wrong', body)) }, body })));
  assert.deepEqual([forged.status, forged.body.error?.code], [401, 'BAD_SIGNATURE']);
});

test('a verified event that cannot be a receipt (a 600-character webhook id) is quarantined (202) under the hash of its id, not a 503 retried forever', async () => {
  const id = `msg_${'x'.repeat(600)}`;
  const res = await readJson(await handler(await liqxRequest(JSON.stringify(liqxPayload()), { id })));
  assert.deepEqual([res.status, res.body.error?.code, res.body.error?.issues?.[0]?.path], [202, 'INVALID_PAYLOAD', 'event_id']);
  assert.match(res.body.webhook_id!, /^sha256:[0-9a-f]{64}$/);
  assert.equal((await store.getQuarantined('liqx', res.body.webhook_id!))?.headers['webhook-id'], id, 'the id header is kept whole');
});

test('a malformed %-escape in the path names no provider: 404, not a 500', async () => {
  const req = new Request('http://partner.test/webhooks/%E0%A4%A', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal((await handler(req)).status, 404);
});
