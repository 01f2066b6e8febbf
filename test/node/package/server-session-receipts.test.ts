/**
 * createSessionHandler against a stand-in LIQX (a real HTTP server answering from a script of responses) and
 * createReceiptsHandler on the SQLite store: the 4xx of each, typed LIQX refusals, idempotency key, no-store.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import { createReceiptsHandler, createSessionHandler, sqliteReceiptStore, type ReceiptStore } from '../../../src/server/index.js';
import { receipt } from './support/store-conformance.js';

type Answer = { status: number; body: unknown } | 'hang';
let answers: Answer[] = [];
const seen: { path: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
let liqx: http.Server;
let liqxUrl = '';

before(async () => {
  liqx = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', headers: req.headers, body });
      const a = answers.shift() ?? { status: 500, body: { error: { code: 'NO_SCRIPT', message: 'no scripted answer' } } };
      if (a === 'hang') return; // never answers: the client's timeout must end it
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => liqx.listen(0, '127.0.0.1', r));
  liqxUrl = `http://127.0.0.1:${(liqx.address() as AddressInfo).port}`;
});
after(() => {
  liqx.closeAllConnections();
  liqx.close();
});

const user = { owner: 'user_1', name: 'Kim Minji', email: 'minji@example.com' };
const handler = (timeoutMs = 2000) =>
  createSessionHandler({
    liqx: { baseUrl: () => liqxUrl, apiKey: 'lqx_test_key', timeoutMs },
    authorize: (request) => (request.headers.get('authorization') === 'Bearer ok' ? user : Response.json({ error: { code: 'UNAUTHORIZED', message: 'no' } }, { status: 401 })),
    body: z.object({ order: z.string().min(1), amount_krw: z.string() }),
    intent: (u, b) => ({
      external_ref: b.order,
      external_user_id: u.owner,
      legal_name: u.name,
      user_email: u.email,
      return_url: 'https://partner.example/done',
      amount_krw: b.amount_krw,
      amount_usdt: '75.000000',
    }),
  });
const post = (body: unknown, headers: Record<string, string> = {}) =>
  new Request('http://partner.test/api/payouts', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ok', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as any, headers: res.headers });

const intent = { intent_id: 'pi_1', status: 'reserved', phase: 'PAYOUT', external_ref: 'order-1', external_user_id: 'user_1', amount_krw: '100000', amount_usdt: '75.000000', return_url: 'https://partner.example/done', created_at: '2026-11-29T00:00:00.000Z', expires_at: '2026-11-29T00:15:00.000Z' };
const session = { session_id: 'ses_1', widget_url: 'https://widget.liqx.example/payout', session_token: 'tok_1', expires_at: '2026-11-29T00:15:00.000Z', intent_id: 'pi_1' };

test('creates the intent (with an idempotency key), exchanges it, answers 201 no-store with the session', async () => {
  answers = [{ status: 201, body: intent }, { status: 201, body: session }];
  seen.length = 0;
  const res = await json(await handler()(post({ order: 'order-1', amount_krw: '100000' })));
  assert.equal(res.status, 201);
  assert.deepEqual(res.body.widget_session, session);
  assert.equal(res.body.intent_id, 'pi_1');
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.equal(seen[0]!.path, '/v1/payout-intents');
  assert.equal(seen[0]!.headers['idempotency-key'], 'intent:order-1');
  assert.equal(seen[0]!.headers.authorization, 'Bearer lqx_test_key');
  assert.equal(JSON.parse(seen[0]!.body).user_email, 'minji@example.com');
  assert.equal(seen[1]!.path, '/v1/payout-intents/pi_1/widget-sessions');
});

test('refusals before LIQX: 415, 413, authorize\'s own Response, 400 with the zod issue paths', async () => {
  seen.length = 0;
  assert.equal((await handler()(post('{}', { 'content-type': 'text/plain' }))).status, 415);
  assert.equal((await handler()(post({ order: 'x'.repeat(20_000), amount_krw: '1' }))).status, 413);
  assert.equal((await handler()(post({}, { authorization: 'Bearer no' }))).status, 401);
  const bad = await json(await handler()(post({ order: '', amount_krw: 5 })));
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'INVALID_REQUEST');
  assert.deepEqual(bad.body.error.issues.map((i: { path: string }) => i.path).sort(), ['amount_krw', 'order']);
  // What intent() built is checked against the LIQX contract too.
  const badIntent = await json(await handler()(post({ order: 'order 1 with spaces', amount_krw: '100000' })));
  assert.deepEqual([badIntent.status, badIntent.body.error.issues[0].path], [400, 'external_ref']);
  assert.equal(seen.length, 0, 'LIQX was never called');
});

test('a LIQX refusal is passed on typed: its status, its code, upstream_status, the intent id when it has one', async () => {
  answers = [{ status: 422, body: { error: { code: 'KYC_NOT_VERIFIED', message: 'KYC missing' }, intent_id: 'pi_kyc' } }];
  const res = await json(await handler()(post({ order: 'order-2', amount_krw: '100000' })));
  assert.equal(res.status, 422);
  assert.deepEqual(res.body.error, { code: 'KYC_NOT_VERIFIED', message: 'KYC missing', upstream_status: 422 });
  assert.equal(res.body.intent_id, 'pi_kyc');
  assert.equal(res.body.upstream, undefined, 'raw upstream bodies only with exposeUpstream');
});

test('LIQX off-contract, unreachable or silent: 502 / 504 with typed codes', async () => {
  answers = [{ status: 201, body: { ...intent, status: 'teleported' } }];
  assert.equal((await json(await handler()(post({ order: 'order-3', amount_krw: '1' })))).body.error.code, 'UPSTREAM_INVALID_RESPONSE');
  answers = ['hang'];
  const slow = await json(await handler(200)(post({ order: 'order-4', amount_krw: '1' })));
  assert.deepEqual([slow.status, slow.body.error.code], [504, 'UPSTREAM_TIMEOUT']);
  const down = createSessionHandler({ liqx: { baseUrl: 'http://127.0.0.1:1', apiKey: 'k' }, authorize: () => user, intent: () => ({ external_ref: 'r', external_user_id: 'u', legal_name: 'n', user_email: 'a@b.co', return_url: 'https://x.example', amount_krw: '1', amount_usdt: '1' }) });
  const res = await json(await down(post({})));
  assert.deepEqual([res.status, res.body.error.code], [502, 'UPSTREAM_UNAVAILABLE']);
});

let dir = '';
let store: ReceiptStore;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'liqx-receipts-'));
  store = await sqliteReceiptStore(join(dir, 'r.sqlite'));
  for (let i = 0; i < 45; i++) await store.insert(receipt(i, { status: i % 3 ? 'completed' : 'failed' }));
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('receipts: cursor pages, limit bounds with issue paths, a foreign cursor is 400, authorize can refuse', async () => {
  const receipts = createReceiptsHandler({ store, authorize: (r) => (r.headers.get('x-user') ? { allOwners: true } : new Response(null, { status: 403 })) });
  const get = async (q: string, headers: Record<string, string> = { 'x-user': '1' }) => json(await receipts(new Request(`http://p.test/receipts?${q}`, { headers })));
  const seenIds: string[] = [];
  let cursor = '';
  for (let page = 0; page < 10; page++) {
    const res = await get(`status=completed&limit=7${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(res.status, 200);
    seenIds.push(...res.body.rows.map((r: { webhook_id: string }) => r.webhook_id));
    if (!res.body.next_cursor) break;
    cursor = res.body.next_cursor;
  }
  assert.equal(seenIds.length, 30);
  assert.equal(new Set(seenIds).size, 30);
  assert.equal((await get('')).body.limit, 20);
  const bad = await get('limit=0&status=done');
  assert.deepEqual([bad.status, bad.body.error.issues.map((i: { path: string }) => i.path).sort()], [400, ['limit', 'status']]);
  assert.deepEqual((await get('limit=101')).status, 400);
  const foreign = await get('cursor=abc');
  assert.deepEqual([foreign.status, foreign.body.error.issues[0].path], [400, 'cursor']);
  assert.equal((await receipts(new Request('http://p.test/receipts'))).status, 403);
});
