/**
 * The quarantine on both engines (SQLite in a temp file, PostgreSQL on a real server this test starts), driven
 * through createWebhookHandler with signed Fetch API Requests:
 * - a verified event of a type this kit does not know is answered 202 and kept whole (bytes, signature headers,
 *   issue paths), no receipt; a retry of it is kept once; forged bytes are 401 and keep nothing;
 * - the partner upgrades: the stored bytes are read again by the newer parser (`replayWith` is what
 *   `store.replayQuarantined` runs with the installed kit's parser) and make exactly one receipt, one onReceipt and
 *   one status change, however often and on however many instances the replay runs at once;
 * - U+0000 and long strings in a quarantined body, its type and its id survive on both engines.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createWebhookHandler,
  postgresReceiptStore,
  replayWith,
  sqliteReceiptStore,
  type Normalize,
  type PayoutStatusChange,
  type ReceiptStore,
} from '../../../src/server/internal.js';
import { normalizeChecked, signSharedSecret, signStandardWebhook, type PayoutReceipt } from '../../../src/webhooks/internal.js';
import { liqxPayload } from '../../fixtures/webhooks/samples.js';
import { startPostgres, type PostgresServer } from '../../../scripts/lib/postgres-server.js';

const LIQX_SECRET = `whsec_${Buffer.from('quarantine-test-secret').toString('base64')}`;
const OTHER_SECRET = `whsec_${Buffer.from('someone-else').toString('base64')}`;
const IPAY_SECRET = 'ipay-quarantine-secret';

/**
 * The parser of a newer kit: LIQX has added `transaction.canceled`, and the kit the partner upgrades to reads it
 * as a `canceled` receipt. Everything else reads as today's kit reads it.
 */
const newerKit: Normalize = (provider, raw, ctx) => {
  const body = raw as { type?: unknown; data?: Record<string, unknown> } | null;
  if (provider !== 'liqx' || body?.type !== 'transaction.canceled') return normalizeChecked(provider, raw, ctx);
  const { receipt, phase } = normalizeChecked('liqx', { ...body, type: 'transaction.expired' }, ctx);
  return { receipt: { ...receipt, eventType: 'transaction.canceled', status: 'canceled', raw }, phase };
};

const canceledBody = (intentId: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ ...liqxPayload('transaction.expired', { intent_id: intentId, status: 'canceled', ...extra }), type: 'transaction.canceled' });

async function liqxRequest(body: string, id: string, secret = LIQX_SECRET) {
  const ts = Math.floor(Date.now() / 1000);
  return new Request('http://partner.test/webhooks/liqx', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': await signStandardWebhook(secret, id, ts, body) },
    body,
  });
}

type Answer = { quarantined?: boolean; received?: boolean; duplicate?: boolean; webhook_id?: string; error?: { code: string; issues?: { path: string; message: string }[] } };
const answer = async (res: Response) => ({ status: res.status, body: (await res.json()) as Answer });

interface Engine {
  name: string;
  open(): Promise<ReceiptStore>;
  /** Another instance on the same data: its own connection (SQLite) or pool (PostgreSQL). */
  another(): Promise<ReceiptStore>;
}

const dir = mkdtempSync(join(tmpdir(), 'liqx-quarantine-'));
let pgServer: PostgresServer;
before(async () => {
  pgServer = await startPostgres();
});
after(async () => {
  await pgServer?.stop();
  rmSync(dir, { recursive: true, force: true });
});

let sqliteN = 0;
let sqliteFile = '';
let pgN = 0;
let pgUrl = '';
const engines: Engine[] = [
  {
    name: 'SQLite',
    open: () => sqliteReceiptStore((sqliteFile = join(dir, `q-${++sqliteN}.sqlite`))),
    another: () => sqliteReceiptStore(sqliteFile),
  },
  {
    name: 'PostgreSQL',
    async open() {
      pgUrl = await pgServer.createDatabase(`quarantine_${++pgN}`);
      return postgresReceiptStore({ connectionString: pgUrl });
    },
    another: () => postgresReceiptStore({ connectionString: pgUrl }),
  },
];

for (const engine of engines) {
  describe(`quarantine: ${engine.name}`, () => {
    let store: ReceiptStore;
    let handler: (r: Request) => Promise<Response>;
    const receipts: PayoutReceipt[] = [];
    const changes: PayoutStatusChange[] = [];
    const errors: unknown[] = [];
    const callbacks = {
      onReceipt: (r: PayoutReceipt) => void receipts.push(r),
      onStatusChange: (c: PayoutStatusChange) => void changes.push(c),
    };
    before(async () => {
      store = await engine.open();
      handler = createWebhookHandler({
        providers: ['liqx', 'ipay'],
        secrets: { liqx: { secret: LIQX_SECRET }, ipay: { secret: IPAY_SECRET } },
        store,
        ...callbacks,
        onError: (e) => void errors.push(e),
      });
    });
    after(async () => {
      await store.close();
    });

    test('a verified event of an unknown type: 202 quarantined with its issue paths, kept whole, no receipt; its retry is kept once', async () => {
      const body = canceledBody('pi_q_1');
      const first = await answer(await handler(await liqxRequest(body, 'msg_q_1')));
      assert.equal(first.status, 202);
      assert.deepEqual([first.body.quarantined, first.body.duplicate, first.body.webhook_id, first.body.error?.code], [true, false, 'msg_q_1', 'INVALID_PAYLOAD']);
      assert.ok(first.body.error?.issues?.some((i) => i.path === 'type'), JSON.stringify(first.body));
      assert.equal(await store.get('liqx', 'msg_q_1'), undefined, 'no receipt');
      assert.equal(receipts.length, 0);
      assert.equal(errors.length, 1, 'onError hears of the quarantined delivery');

      const kept = await store.getQuarantined('liqx', 'msg_q_1');
      assert.ok(kept);
      assert.equal(new TextDecoder().decode(kept.body), body, 'the bytes as signed');
      assert.deepEqual(Object.keys(kept.headers).sort(), ['content-type', 'webhook-id', 'webhook-signature', 'webhook-timestamp']);
      assert.equal(kept.event_type, 'transaction.canceled');
      assert.equal(kept.replayed_at, null);
      assert.match(kept.received_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

      // The provider retries (it did not see the 202, say): the same delivery is kept once, onError not called again.
      const retry = await answer(await handler(await liqxRequest(body, 'msg_q_1')));
      assert.deepEqual([retry.status, retry.body.duplicate], [202, true]);
      const page = await store.listQuarantine({ limit: 10 });
      assert.deepEqual(page.rows.map((r) => r.webhook_id), ['msg_q_1']);
      assert.equal(errors.length, 1);
    });

    test('forged or replayed bytes are 401 and keep nothing', async () => {
      const body = canceledBody('pi_q_forged');
      assert.equal((await handler(await liqxRequest(body, 'msg_q_forged', OTHER_SECRET))).status, 401);
      const stale = await liqxRequest(body, 'msg_q_forged');
      stale.headers.set('webhook-timestamp', String(Math.floor(Date.now() / 1000) - 3600));
      assert.equal((await handler(stale)).status, 401);
      assert.equal(await store.getQuarantined('liqx', 'msg_q_forged'), undefined);
      assert.equal((await store.listQuarantine({ limit: 100 })).rows.some((r) => r.webhook_id === 'msg_q_forged'), false);
    });

    test('replay with the kit that still cannot read it: invalid, still pending, nothing stored', async () => {
      const result = await store.replayQuarantined('liqx', 'msg_q_1', callbacks);
      assert.equal(result.outcome, 'invalid');
      assert.ok(result.outcome === 'invalid' && result.issues.some((i) => i.path === 'type'));
      assert.equal((await store.getQuarantined('liqx', 'msg_q_1'))?.replayed_at, null);
      assert.deepEqual((await store.listQuarantine({ limit: 10, pending: true })).rows.map((r) => r.webhook_id), ['msg_q_1']);
      assert.equal(receipts.length, 0);
      assert.deepEqual(await store.replayQuarantined('liqx', 'msg_none'), { outcome: 'not_found', provider: 'liqx', webhook_id: 'msg_none' });
    });

    test('after the upgrade: replay makes exactly one receipt, one onReceipt, one status change; again and on three instances at once, still one', async () => {
      const result = await replayWith(store, 'liqx', 'msg_q_1', callbacks, newerKit);
      assert.deepEqual(result, { outcome: 'inserted', provider: 'liqx', webhook_id: 'msg_q_1', receipt_webhook_id: 'msg_q_1', status: 'canceled' });
      const stored = await store.get('liqx', 'msg_q_1');
      assert.equal(stored?.status, 'canceled');
      assert.equal(stored?.event_type, 'transaction.canceled');
      assert.equal(stored?.intent_id, 'pi_q_1');
      assert.deepEqual(stored?.payload, JSON.parse(canceledBody('pi_q_1')));
      assert.deepEqual(receipts.map((r) => [r.eventId, r.status]), [['msg_q_1', 'canceled']]);
      assert.deepEqual(changes.map((c) => [c.reference, c.from, c.to]), [['pi_q_1', null, 'canceled']]);
      assert.equal((await store.getStatus('liqx', 'pi_q_1'))?.status, 'canceled');
      const replayedAt = (await store.getQuarantined('liqx', 'msg_q_1'))?.replayed_at;
      assert.ok(replayedAt);
      assert.deepEqual((await store.listQuarantine({ limit: 10, pending: true })).rows, []);

      assert.equal((await replayWith(store, 'liqx', 'msg_q_1', callbacks, newerKit)).outcome, 'duplicate');
      assert.equal((await store.getQuarantined('liqx', 'msg_q_1'))?.replayed_at, replayedAt, 'the first replay time is kept');

      // A second quarantined event, replayed by three instances at once.
      assert.equal((await handler(await liqxRequest(canceledBody('pi_q_2'), 'msg_q_2'))).status, 202);
      const others = [await engine.another(), await engine.another()];
      try {
        const outcomes = await Promise.all([store, ...others].map((s) => replayWith(s, 'liqx', 'msg_q_2', callbacks, newerKit)));
        assert.deepEqual(outcomes.map((o) => o.outcome).sort(), ['duplicate', 'duplicate', 'inserted']);
      } finally {
        await Promise.all(others.map((s) => s.close()));
      }
      assert.deepEqual(receipts.map((r) => r.eventId), ['msg_q_1', 'msg_q_2']);
      assert.equal(changes.length, 2);
      assert.equal((await store.list({ limit: 10, event_type: 'transaction.canceled' })).rows.length, 2);
    });

    test('a provider without event ids: a retried delivery (same payload) is kept once, under the key its receipt would get', async () => {
      const payload = { event: 'payout.reversed', amount: 2000, currency: 'USD', payout_id: 'po_q_1', status: 'reversed', created: 1_764_000_000 };
      const send = async (text: string) => {
        const headers = { 'content-type': 'application/json', ...(await signSharedSecret(IPAY_SECRET, text)) };
        return answer(await handler(new Request('http://partner.test/webhooks/ipay', { method: 'POST', headers, body: text })));
      };
      const first = await send(JSON.stringify(payload));
      const reformatted = await send(JSON.stringify(payload, null, 2));
      assert.deepEqual([first.status, reformatted.status, reformatted.body.duplicate], [202, 202, true]);
      assert.equal(first.body.webhook_id, reformatted.body.webhook_id);
      assert.match(first.body.webhook_id!, /^sha256:[0-9a-f]{64}$/);
      const kept = await store.getQuarantined('ipay', first.body.webhook_id!);
      assert.equal(kept?.event_type, 'payout.reversed');
      assert.ok(kept?.headers['x-webhook-signature']?.startsWith('sha256='));
    });

    test('U+0000, backslashes and long strings in the body, the type and the id survive', async () => {
      const long = 'é'.repeat(20_000);
      const type = `transaction.canceled\u0000\\0${'x'.repeat(5000)}`;
      const body = JSON.stringify({ ...JSON.parse(canceledBody('pi_q_nul', { note: `a\u0000b\\0${long}` })), type });
      const id = `msg_q_nul_\\0_${'y'.repeat(400)}`;
      const res = await answer(await handler(await liqxRequest(body, id)));
      assert.deepEqual([res.status, res.body.webhook_id], [202, id]);
      const kept = await store.getQuarantined('liqx', id);
      assert.equal(kept?.webhook_id, id);
      assert.equal(kept?.event_type, type);
      assert.equal(new TextDecoder().decode(kept!.body), body);
      assert.ok(kept?.issues.length);
      // A raw NUL byte and bytes that are not UTF-8, signed: kept exactly, as INVALID_JSON.
      const bytes = new Uint8Array([0x7b, 0x00, 0xff, 0xfe, 0x5c, 0x30, 0x7d]);
      const ts = Math.floor(Date.now() / 1000);
      const req = new Request('http://partner.test/webhooks/liqx', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'webhook-id': 'msg_q_bytes', 'webhook-timestamp': String(ts), 'webhook-signature': await signStandardWebhook(LIQX_SECRET, 'msg_q_bytes', ts, bytes) },
        body: bytes,
      });
      const raw = await answer(await handler(req));
      assert.deepEqual([raw.status, raw.body.error?.code], [202, 'INVALID_JSON']);
      assert.deepEqual([...(await store.getQuarantined('liqx', 'msg_q_bytes'))!.body], [...bytes]);
    });

    test('listQuarantine pages newest first with a cursor and refuses a bad limit or cursor', async () => {
      const all: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listQuarantine({ limit: 2, ...(cursor ? { cursor } : {}) });
        assert.ok(page.rows.length <= 2);
        all.push(...page.rows.map((r) => `${r.provider}:${r.webhook_id}`));
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
      const whole = (await store.listQuarantine({ limit: 100 })).rows.map((r) => `${r.provider}:${r.webhook_id}`);
      assert.deepEqual(all, whole);
      assert.equal(new Set(all).size, all.length);
      assert.equal(whole[whole.length - 1], 'liqx:msg_q_1', 'oldest last');
      await assert.rejects(store.listQuarantine({ limit: 0 }), RangeError);
      await assert.rejects(store.listQuarantine({ limit: 101 }), RangeError);
      await assert.rejects(store.listQuarantine({ limit: 5, cursor: 'not-a-cursor' }), { name: 'InvalidCursorError' });
    });

    test('a store that cannot keep the delivery answers 503, so the sender retries', async () => {
      const closed = await engine.another();
      await closed.close();
      // SQLite refuses on the closed connection; a PostgreSQL store created with its own pool has ended it.
      const h = createWebhookHandler({ providers: ['liqx'], secrets: { liqx: { secret: LIQX_SECRET } }, store: closed, onError: () => {} });
      const res = await answer(await h(await liqxRequest(canceledBody('pi_q_down'), 'msg_q_down')));
      assert.deepEqual([res.status, res.body.error?.code], [503, 'STORE_UNAVAILABLE']);
      assert.equal(await store.getQuarantined('liqx', 'msg_q_down'), undefined);
    });
  });
}
