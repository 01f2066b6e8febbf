/**
 * The mock LIQX's delivery rules and recovery API, over real loopback HTTP (the partner endpoint here is a scripted
 * server; reconcile's own cases store into a SQLite file). Asserted on the delivery log and the events list, never
 * on elapsed time:
 * - `Retry-After` on 503 (seconds) and on 429 (an HTTP date) sets the least wait before the next attempt;
 * - 410 Gone ends the retries after one attempt (a 500 endpoint gets every attempt), and a redelivery is still sent;
 * - a redelivery carries the original delivery's webhook-id (Standard Webhooks), so the partner's store dedupes it;
 * - `GET /v1/events` pages oldest first with a cursor, filters by `since`, refuses bad input with typed errors;
 * - the LiqxClient reads an intent, lists events and redelivers; `reconcile` reports a refusal as ReconcileError,
 *   and an event its reader refuses (or whose onReceipt throws) in `failed`, storing the rest.
 * The dispatcher's `idle()` (every delivery succeeded or gave up) is the barrier before counting attempts.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type RunningSandbox } from '../../../demo/server/sandbox.js';
import { parseRetryAfter, retryDelayRange } from '../../../demo/server/liqx/dispatcher.js';
import { LiqxDeliveryLog, LiqxEventPage, ReconcileError, createLiqxClient, createWebhookHandler, reconcile, sqliteReceiptStore, type LiqxClient } from '../../../src/server/internal.js';

const RETRY_BASE_MS = 2;
const MAX_ATTEMPTS = 4;

/** What the scripted endpoint answers, by the payout's external_ref prefix and the delivery's attempt number. */
type Script = (attempt: number) => { status: number; headers?: Record<string, string> };
const scripts = new Map<string, Script>();
/** Every delivery the endpoint received, by the payout's external_ref prefix: its webhook-id header and raw body. */
const received = new Map<string, { id: string; body: string; headers: Record<string, string> }[]>();
let endpoint: Server;
let endpointUrl = '';
let sandbox: RunningSandbox;
let client: LiqxClient;

before(async () => {
  endpoint = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const { data } = JSON.parse(body) as { data: { external_ref: string; attempt: number } };
      const prefix = data.external_ref.split('_')[0]!;
      const headers = Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, String(req.headers[h] ?? '')]));
      received.set(prefix, [...(received.get(prefix) ?? []), { id: headers['webhook-id']!, body, headers }]);
      const script = scripts.get(prefix);
      const answer = script ? script(data.attempt) : { status: 200 };
      res.writeHead(answer.status, answer.headers ?? {}).end();
    });
  });
  await new Promise<void>((r) => endpoint.listen(0, '127.0.0.1', r));
  endpointUrl = `http://127.0.0.1:${(endpoint.address() as { port: number }).port}/webhooks/liqx`;
  sandbox = await startSandbox({ port: 0, confirmDelayMs: 0, webhookUrl: () => endpointUrl, webhookRetryBaseMs: RETRY_BASE_MS, webhookMaxAttempts: MAX_ATTEMPTS });
  client = createLiqxClient({ baseUrl: sandbox.url, apiKey: sandbox.apiKey });
});
after(async () => {
  await sandbox.close();
  await new Promise((r) => endpoint.close(r));
});

/** Creates an intent LIQX refuses at once (KYC), so its transaction.failed webhook goes out; returns its intent id. */
async function failedPayout(prefix: string): Promise<string> {
  const res = await client.createIntent({
    scenario: 'KYC_NOT_VERIFIED',
    external_ref: `${prefix}_${randomBytes(4).toString('hex')}`,
    external_user_id: 'usr_api',
    legal_name: '홍길동',
    user_email: 'jane@example.com',
    return_url: 'https://partner.example/payouts/1',
    amount_krw: '100000',
    amount_usdt: '75.000000',
  });
  assert.ok(!res.ok && res.intentId, JSON.stringify(res));
  return res.intentId!;
}

async function settledLog(intentId: string) {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    sandbox.liqx.dispatcher.idle(),
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`deliveries of ${intentId} did not settle in 30 s`)), 30_000))),
  ]).finally(() => clearTimeout(timer));
  const res = await fetch(`${sandbox.url}/v1/webhook-deliveries?intent_id=${intentId}`, { headers: { authorization: `Bearer ${sandbox.apiKey}` } });
  return LiqxDeliveryLog.parse(await res.json()).deliveries;
}

test('a redelivery carries the same webhook-id as the original delivery: the kit\'s handler stores the event once', async () => {
  scripts.set('sameid', () => ({ status: 200 }));
  const intentId = await failedPayout('sameid');
  const [first] = await settledLog(intentId);
  assert.equal(first!.http_status, 200);
  const again = await client.redeliver(first!.webhook_id);
  assert.ok(again.ok, JSON.stringify(again));
  assert.deepEqual([again.data.webhook_id, again.data.trigger, again.data.attempt], [first!.webhook_id, 'redeliver', 2]);
  const deliveries = received.get('sameid') ?? [];
  assert.deepEqual(deliveries.map((d) => d.id), [first!.webhook_id, first!.webhook_id], 'both requests carry the event id');

  // Both requests, replayed into the kit's handler as the endpoint got them: one receipt, the second a duplicate.
  const dir = mkdtempSync(join(tmpdir(), 'liqx-sameid-'));
  const store = await sqliteReceiptStore(join(dir, 'r.sqlite'));
  try {
    let receipts = 0;
    const handler = createWebhookHandler({ providers: ['liqx'], secrets: { liqx: { secret: sandbox.webhookSecret } }, store, onReceipt: () => void receipts++ });
    const answers = [];
    for (const d of deliveries) {
      const res = await handler(new Request('http://partner.test/webhooks/liqx', { method: 'POST', headers: { ...d.headers, 'content-type': 'application/json' }, body: d.body }));
      answers.push([res.status, ((await res.json()) as { duplicate: boolean }).duplicate]);
    }
    assert.deepEqual(answers, [[200, false], [200, true]]);
    assert.equal(receipts, 1);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Retry-After in seconds on a 503 sets the next wait; the next attempt starts no sooner', async () => {
  scripts.set('ra503', (n) => (n === 1 ? { status: 503, headers: { 'retry-after': '1' } } : { status: 200 }));
  const log = await settledLog(await failedPayout('ra503'));
  assert.deepEqual(log.map((d) => [d.attempt, d.http_status, d.ok]), [[1, 503, false], [2, 200, true]]);
  assert.equal(log[0]!.retry_after_ms, 1000);
  // The schedule alone would wait about RETRY_BASE_MS; the endpoint asked for a second.
  assert.ok(retryDelayRange(1, RETRY_BASE_MS)[1] < 1000);
  assert.equal(log[0]!.next_delay_ms, 1000);
  assert.ok(Date.parse(log[1]!.started_at) - Date.parse(log[0]!.started_at) >= 1000 - 1, JSON.stringify(log));
});

test('Retry-After as an HTTP date on a 429 sets the next wait', async () => {
  const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 2000);
  scripts.set('ra429', (n) => (n === 1 ? { status: 429, headers: { 'retry-after': at.toUTCString() } } : { status: 200 }));
  const log = await settledLog(await failedPayout('ra429'));
  assert.deepEqual(log.map((d) => [d.attempt, d.http_status]), [[1, 429], [2, 200]]);
  const asked = log[0]!.retry_after_ms!;
  assert.ok(asked > 0 && asked <= 3000, `retry_after_ms ${asked}`);
  // The longer of the endpoint's wait and the scheduled one (a few ms here).
  const [min, max] = retryDelayRange(1, RETRY_BASE_MS);
  const next = log[0]!.next_delay_ms!;
  assert.ok(next === asked || (asked < min && next >= min && next <= max), `next_delay_ms ${next}, retry_after_ms ${asked}`);
  assert.ok(Date.parse(log[1]!.started_at) >= at.getTime() - 2, 'the next attempt started no sooner than the date');
});

test('Retry-After is read only on 429 and 503; without it the schedule decides', async () => {
  scripts.set('noRa', (n) => (n === 1 ? { status: 503 } : n === 2 ? { status: 500, headers: { 'retry-after': '3600' } } : { status: 200 }));
  const log = await settledLog(await failedPayout('noRa'));
  assert.deepEqual(log.map((d) => [d.attempt, d.http_status, d.retry_after_ms]), [[1, 503, null], [2, 500, null], [3, 200, null]]);
  log.slice(0, 2).forEach((d, i) => {
    const [min, max] = retryDelayRange(i + 1, RETRY_BASE_MS);
    assert.ok(d.next_delay_ms! >= min && d.next_delay_ms! <= max, `wait after attempt ${i + 1}: ${d.next_delay_ms}`);
  });
});

test('410 Gone stops the retries after one attempt; a 500 endpoint gets every attempt; a redelivery is still sent', async () => {
  scripts.set('gone', () => ({ status: 410 }));
  scripts.set('boom', () => ({ status: 500 }));
  const goneIntent = await failedPayout('gone');
  const boomIntent = await failedPayout('boom');
  const gone = await settledLog(goneIntent);
  const boom = await settledLog(boomIntent);
  assert.deepEqual(gone.map((d) => [d.attempt, d.http_status, d.next_delay_ms]), [[1, 410, null]]);
  assert.deepEqual(boom.map((d) => d.http_status), Array(MAX_ATTEMPTS).fill(500));
  const page = await client.listEvents({ limit: 100 });
  assert.ok(page.ok);
  const goneEvent = page.data.data.find((e) => e.intent_id === goneIntent)!;
  assert.deepEqual([goneEvent.delivery.state, goneEvent.delivery.attempts, goneEvent.delivery.last_http_status], ['failed', 1, 410]);

  scripts.set('gone', () => ({ status: 200 }));
  const again = await client.redeliver(goneEvent.id);
  assert.ok(again.ok, JSON.stringify(again));
  assert.deepEqual([again.data.attempt, again.data.trigger, again.data.http_status, again.data.ok, again.data.endpoint], [2, 'redeliver', 200, true, endpointUrl]);
  const read = await fetch(`${sandbox.url}/v1/events/${goneEvent.id}`, { headers: { authorization: `Bearer ${sandbox.apiKey}` } });
  assert.equal(((await read.json()) as { delivery: { state: string } }).delivery.state, 'delivered');
});

test('GET /v1/events: oldest first, cursor pages without gaps or repeats, since filters, bad input is a typed 400, no key is 401', async () => {
  scripts.clear();
  const mine = [await failedPayout('list'), await failedPayout('list'), await failedPayout('list')];
  await settledLog(mine[2]!);
  const all = await client.listEvents({ limit: 100 });
  assert.ok(all.ok);
  const created = all.data.data.map((e) => Date.parse(e.created_at));
  assert.deepEqual(created, [...created].sort((a, b) => a - b), 'oldest first');
  assert.deepEqual(all.data.data.slice(-3).map((e) => e.intent_id), mine);
  assert.equal(all.data.next_cursor, null);

  const paged: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await client.listEvents({ limit: 2, ...(cursor ? { cursor } : {}) });
    assert.ok(page.ok, JSON.stringify(page));
    assert.ok(page.data.data.length <= 2);
    paged.push(...page.data.data.map((e) => e.id));
    cursor = page.data.next_cursor ?? undefined;
    pages++;
  } while (cursor);
  assert.deepEqual(paged, all.data.data.map((e) => e.id));
  assert.equal(pages, Math.ceil(paged.length / 2));

  // Each event id is the webhook-id of its deliveries.
  const log = LiqxDeliveryLog.parse(await (await fetch(`${sandbox.url}/v1/webhook-deliveries?intent_id=${mine[0]}`, { headers: { authorization: `Bearer ${sandbox.apiKey}` } })).json());
  assert.deepEqual([...new Set(log.deliveries.map((d) => d.webhook_id))], [all.data.data.find((e) => e.intent_id === mine[0])!.id]);
  const byEndpoint = LiqxDeliveryLog.parse(
    await (await fetch(`${sandbox.url}/v1/webhook-deliveries?endpoint=${encodeURIComponent(endpointUrl)}`, { headers: { authorization: `Bearer ${sandbox.apiKey}` } })).json(),
  );
  assert.ok(byEndpoint.deliveries.length >= 3 && byEndpoint.deliveries.every((d) => d.endpoint === endpointUrl));

  const later = await client.listEvents({ since: new Date(Date.now() + 60_000) });
  assert.ok(later.ok);
  assert.deepEqual(later.data, { data: [], next_cursor: null });
  const fromThird = await client.listEvents({ since: all.data.data.at(-1)!.created_at, limit: 100 });
  assert.ok(fromThird.ok);
  assert.ok(fromThird.data.data.every((e) => Date.parse(e.created_at) >= Date.parse(all.data.data.at(-1)!.created_at)));
  assert.ok(fromThird.data.data.some((e) => e.intent_id === mine[2]));

  const get = (query: string, key = sandbox.apiKey) => fetch(`${sandbox.url}/v1/events${query}`, { headers: { authorization: `Bearer ${key}` } });
  for (const [query, code] of [
    ['?cursor=bm90LWEtY3Vyc29y', 'INVALID_CURSOR'],
    ['?since=yesterday', 'INVALID_REQUEST'],
    ['?limit=0', 'INVALID_REQUEST'],
    ['?limit=101', 'INVALID_REQUEST'],
  ] as const) {
    const res = await get(query);
    assert.equal(res.status, 400, query);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, code, query);
  }
  assert.equal((await get('', 'lqx_wrong_key')).status, 401);
  assert.ok(LiqxEventPage.safeParse(await (await get('?limit=1')).json()).success);
});

test('LiqxClient: getIntent reads the intent; unknown ids are typed refusals', async () => {
  const intentId = await failedPayout('read');
  const intent = await client.getIntent(intentId);
  assert.ok(intent.ok, JSON.stringify(intent));
  assert.deepEqual([intent.data.intent_id, intent.data.status], [intentId, 'failed']);
  const missing = await client.getIntent('pi_missing');
  assert.deepEqual(missing.ok ? null : [missing.status, missing.code], [404, 'INTENT_NOT_FOUND']);
  const noEvent = await client.redeliver('msg_missing');
  assert.deepEqual(noEvent.ok ? null : [noEvent.status, noEvent.code], [404, 'EVENT_NOT_FOUND']);
});

test('reconcile: a refused events list is a ReconcileError with LIQX\'s code; a bad `since` is INVALID_OPTIONS', async (t) => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'liqx-recovery-api-'));
  const store = await sqliteReceiptStore(join(dir, 'r.sqlite'));
  t.after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const wrongKey = createLiqxClient({ baseUrl: sandbox.url, apiKey: 'lqx_wrong_key' });
  await assert.rejects(reconcile({ liqx: wrongKey, store, since: new Date(0) }), (e: unknown) => e instanceof ReconcileError && e.code === 'UNAUTHORIZED' && e.refusal?.status === 401);
  await assert.rejects(reconcile({ liqx: client, store, since: 'last week' }), (e: unknown) => e instanceof ReconcileError && e.code === 'INVALID_OPTIONS');
  await assert.rejects(reconcile({ liqx: client, store, since: new Date(0), pageSize: 500 }), (e: unknown) => e instanceof ReconcileError && e.code === 'INVALID_OPTIONS');
  assert.equal((await store.list({ limit: 10 })).rows.length, 0);
});

test('an onReceipt that throws rolls back that receipt only; the next run stores it once', async (t) => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'liqx-recovery-api-'));
  const store = await sqliteReceiptStore(join(dir, 'r.sqlite'));
  t.after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const since = new Date();
  const [a, b] = [await failedPayout('hfail'), await failedPayout('hfail')];
  await settledLog(b);
  const calls: string[] = [];
  const first = await reconcile({
    liqx: client,
    store,
    since,
    onReceipt: (r) => {
      if (r.intentId === a) throw new Error('ledger unavailable');
      calls.push(r.intentId!);
    },
  });
  assert.deepEqual([first.events, first.inserted, first.duplicates, first.failed.map((f) => f.code)], [2, 1, 0, ['RECEIPT_HANDLER_FAILED']]);
  assert.equal((await store.list({ limit: 10, intent_id: a })).rows.length, 0, 'rolled back');
  const second = await reconcile({ liqx: client, store, since, onReceipt: (r) => void calls.push(r.intentId!) });
  assert.deepEqual([second.inserted, second.duplicates, second.failed], [1, 1, []]);
  assert.deepEqual(calls, [b, a]);
});

test('parseRetryAfter: seconds, an HTTP date, junk', () => {
  const now = Date.parse('2026-12-03T08:00:00Z');
  assert.equal(parseRetryAfter('120', now), 120_000);
  assert.equal(parseRetryAfter('Thu, 03 Dec 2026 08:00:30 GMT', now), 30_000);
  assert.equal(parseRetryAfter('Thu, 03 Dec 2026 07:00:00 GMT', now), 0);
  assert.equal(parseRetryAfter('soon', now), null);
  assert.equal(parseRetryAfter(null, now), null);
  assert.equal(parseRetryAfter('99999999', now), 24 * 60 * 60 * 1000);
});

test('an event the reader refuses is listed in `failed` with its code; the rest of the page is stored', async (t) => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const since = new Date();
  const intentId = await failedPayout('odd');
  const listed = await client.listEvents({ since });
  assert.ok(listed.ok);
  const good = listed.data.data.find((e) => e.intent_id === intentId)!;
  // A LIQX that lists an event type this reader does not know yet (a real server, serving a crafted page).
  const odd = { ...good, id: 'msg_unknown_type', type: 'transaction.refunded', payload: { ...good.payload, type: 'transaction.refunded' } };
  const upstream = createServer((req, res) => {
    assert.match(req.url ?? '', /^\/v1\/events\?/);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: [odd, good], next_cursor: null }));
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const dir = mkdtempSync(join(tmpdir(), 'liqx-recovery-api-'));
  const store = await sqliteReceiptStore(join(dir, 'r.sqlite'));
  t.after(async () => {
    await store.close();
    await new Promise((r) => upstream.close(r));
    rmSync(dir, { recursive: true, force: true });
  });
  const liqx = createLiqxClient({ baseUrl: `http://127.0.0.1:${(upstream.address() as { port: number }).port}`, apiKey: 'lqx_any' });
  const result = await reconcile({ liqx, store, since });
  assert.deepEqual([result.events, result.inserted, result.insertedIds], [2, 1, [good.id]]);
  assert.deepEqual(result.failed.map((f) => [f.eventId, f.code]), [['msg_unknown_type', 'INVALID_PAYLOAD']]);
  assert.equal((await store.get('liqx', 'msg_unknown_type')), undefined);
});
