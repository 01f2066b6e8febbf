/**
 * The ReceiptStore conformance suite: every engine runs exactly these tests (test/node/package/server-stores.test.ts).
 * An engine adapter says how to open a fresh store and how to write and count a side-effect row through the
 * transaction handle `onReceipt` gets.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidCursorError, type NewReceipt, type PayoutStatusChange, type ReceiptStore, type StoredReceipt } from '../../../../src/server/internal.js';

export interface EngineAdapter<Tx> {
  name: string;
  /** A fresh, empty store (its own file or database). */
  open(): Promise<ReceiptStore<Tx>>;
  /** Reopens the same file / database as the last open(). */
  reopen(): Promise<ReceiptStore<Tx>>;
  /** Writes one outbox row through the transaction handle (as a partner's onReceipt would). */
  sideWrite(tx: Tx, key: string): unknown;
  /** Rows in that outbox, read outside any transaction. */
  sideCount(store: ReceiptStore<Tx>): Promise<number>;
}

export const receipt = (i: number, over: Partial<NewReceipt> = {}): NewReceipt => ({
  provider: 'liqx',
  event_id: `msg_${i}`,
  event_type: 'transaction.completed',
  intent_id: `pi_${i}`,
  external_ref: `ext_${i % 5}`,
  status: 'completed',
  owner: null,
  phase: 'PAYOUT',
  attempts: 1,
  reference: `pi_${i}`,
  amount_minor: 100_000,
  currency: 'KRW',
  failure_code: null,
  failure_message: null,
  occurred_at: '2026-03-01T00:00:00.000Z',
  payload: JSON.stringify({ i }),
  ...over,
});

const ids = (rows: StoredReceipt[]) => rows.map((r) => r.webhook_id);

export function storeConformance<Tx>(engine: EngineAdapter<Tx>): void {
  describe(`ReceiptStore conformance: ${engine.name}`, () => {
    let store: ReceiptStore<Tx>;
    before(async () => {
      store = await engine.open();
    });
    after(async () => {
      await store.close();
    });

    test('inserts once per (provider, event_id); the duplicate resolves inserted: false', async () => {
      assert.deepEqual(await store.insert(receipt(1)), { inserted: true });
      assert.deepEqual(await store.insert(receipt(1, { status: 'failed' })), { inserted: false });
      const row = await store.get('liqx', 'msg_1');
      assert.equal(row?.status, 'completed', 'the first delivery wins');
      assert.deepEqual(row?.payload, { i: 1 });
      assert.equal(row?.amount_minor, 100_000);
      assert.match(row!.received_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      // The same event id under another provider is another receipt.
      assert.deepEqual(await store.insert(receipt(1, { provider: 'ipay' })), { inserted: true });
    });

    test('100 concurrent inserts of one event: one row, the callback ran once', async () => {
      let calls = 0;
      const results = await Promise.all(
        Array.from({ length: 100 }, () =>
          store.insert(receipt(2), (tx) => {
            calls++;
            return engine.sideWrite(tx, 'concurrent');
          }),
        ),
      );
      assert.equal(results.filter((r) => r.inserted).length, 1);
      assert.equal(calls, 1);
      assert.equal((await store.list({ limit: 100, intent_id: 'pi_2' })).rows.length, 1);
    });

    test('a throwing callback rolls back its receipt and its own writes; the retry stores both once', async () => {
      const before = await engine.sideCount(store);
      await assert.rejects(
        store.insert(receipt(3), (tx) => {
          engine.sideWrite(tx, 'rolled-back');
          throw new Error('partner failure');
        }),
        /partner failure/,
      );
      assert.equal(await store.get('liqx', 'msg_3'), undefined, 'no receipt after the rollback');
      assert.equal(await engine.sideCount(store), before, 'no side effect after the rollback');
      let calls = 0;
      assert.deepEqual(await store.insert(receipt(3), (tx) => (calls++, engine.sideWrite(tx, 'kept'))), { inserted: true });
      assert.equal(calls, 1);
      assert.equal(await engine.sideCount(store), before + 1);
      assert.ok(await store.get('liqx', 'msg_3'));
    });

    test('one failing callback does not take concurrent receipts down with it', async () => {
      const results = await Promise.allSettled([
        store.insert(receipt(4)),
        store.insert(receipt(5), () => {
          throw new Error('only me');
        }),
        store.insert(receipt(6)),
      ]);
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
      assert.ok(await store.get('liqx', 'msg_4'));
      assert.equal(await store.get('liqx', 'msg_5'), undefined);
      assert.ok(await store.get('liqx', 'msg_6'));
    });

    test('an invalid row is refused before anything is written', async () => {
      await assert.rejects(store.insert({ ...receipt(7), status: 'done' as never }));
      await assert.rejects(store.insert({ ...receipt(7), event_id: '' }));
      assert.equal(await store.get('liqx', 'msg_7'), undefined);
    });

    test('list: every filter, newest first, limit', async () => {
      await store.insert(receipt(20, { provider: 'cashout-reference', event_id: 'sha256:aa', event_type: 'CASHOUT_REFERENCE_FAILED', status: 'failed', intent_id: null, external_ref: 'ext_x' }));
      await store.insert(receipt(21, { provider: 'ipay', event_id: 'sha256:bb', event_type: 'payoutUpdate', status: 'in_progress', intent_id: null, external_ref: 'ext_x' }));
      const all = (await store.list({ limit: 100 })).rows;
      assert.ok(all.length >= 8);
      for (let i = 1; i < all.length; i++) assert.ok(all[i - 1]!.received_at >= all[i]!.received_at, 'newest first');
      assert.deepEqual(ids((await store.list({ limit: 10, provider: 'ipay' })).rows), ['sha256:bb', 'msg_1']);
      assert.deepEqual(ids((await store.list({ limit: 10, intent_id: 'pi_3' })).rows), ['msg_3']);
      assert.deepEqual(ids((await store.list({ limit: 10, external_ref: 'ext_x' })).rows), ['sha256:bb', 'sha256:aa']);
      assert.deepEqual(ids((await store.list({ limit: 10, event_type: 'CASHOUT_REFERENCE_FAILED' })).rows), ['sha256:aa']);
      assert.deepEqual(ids((await store.list({ limit: 10, status: 'in_progress' })).rows), ['sha256:bb']);
      assert.deepEqual((await store.list({ limit: 10, event_type: 'no.such.type' })).rows, []);
      assert.deepEqual((await store.list({ limit: 10, since: new Date(Date.now() + 60_000).toISOString() })).rows, []);
      const since = (await store.list({ limit: 10, since: all[1]!.received_at })).rows;
      assert.ok(since.length >= 2 && since.every((r) => r.received_at >= all[1]!.received_at));
      assert.equal((await store.list({ limit: 2 })).rows.length, 2);
    });

    test('cursor pages cover every row exactly once while rows are being inserted', async () => {
      for (let i = 100; i < 130; i++) await store.insert(receipt(i, { external_ref: 'ext_page' }));
      const expected = ids((await store.list({ limit: 100, external_ref: 'ext_page' })).rows);
      assert.equal(expected.length, 30);
      const seen: string[] = [];
      let cursor: string | undefined;
      let n = 0;
      do {
        const page = await store.list({ limit: 7, external_ref: 'ext_page', ...(cursor ? { cursor } : {}) });
        seen.push(...ids(page.rows));
        // Newer rows arrive between pages: they sort above the cursor and never shift a later page.
        await store.insert(receipt(200 + n, { external_ref: 'ext_page' }));
        cursor = page.next_cursor ?? undefined;
        n++;
      } while (cursor && n < 20);
      assert.deepEqual(seen, expected);
      assert.equal((await store.list({ limit: 30, external_ref: 'ext_page' })).next_cursor !== null, true, 'more rows than the limit: a cursor');
    });

    test('a cursor it did not produce is an InvalidCursorError', async () => {
      await assert.rejects(store.list({ limit: 5, cursor: 'not-a-cursor' }), InvalidCursorError);
      await assert.rejects(store.list({ limit: 5, cursor: btoa('["x",1]') }), InvalidCursorError);
    });

    test('payout status: moves forward in the same transaction, a stale event changes nothing, the first terminal is final', async () => {
      const changes: (PayoutStatusChange | null)[] = [];
      const at = (m: number) => `2026-03-02T00:0${m}:00.000Z`;
      const ev = (id: string, status: NewReceipt['status'], minute: number) =>
        store.insert(receipt(900, { event_id: id, status, occurred_at: at(minute), owner: 'user_9' }), (_tx, change) => void changes.push(change));
      assert.equal(await store.getStatus('liqx', 'pi_900'), undefined);
      await ev('s_pending', 'pending', 2);
      assert.equal((await store.getStatus('liqx', 'pi_900'))?.status, 'pending');
      await ev('s_created', 'created', 1); // late, earlier in the sequence: stale
      await ev('s_pending_later', 'pending', 3); // same status, later: recorded, not a change
      assert.equal((await store.getStatus('liqx', 'pi_900'))?.webhook_id, 's_pending_later');
      // A throwing callback rolls the status back with the receipt.
      await assert.rejects(store.insert(receipt(900, { event_id: 's_failed', status: 'failed', occurred_at: at(4) }), () => {
        throw new Error('partner failure');
      }));
      assert.equal((await store.getStatus('liqx', 'pi_900'))?.status, 'pending');
      await ev('s_completed', 'completed', 5);
      await ev('s_in_progress', 'in_progress', 6); // after the terminal status: stale
      await ev('s_failed_late', 'failed', 7); // a second terminal: the first one stays
      assert.deepEqual(
        changes.map((c) => c && [c.from, c.to]),
        [[null, 'pending'], null, null, ['pending', 'completed'], null, null],
      );
      const status = await store.getStatus('liqx', 'pi_900');
      assert.equal(status?.status, 'completed');
      assert.equal(status?.terminal, true);
      assert.equal(status?.webhook_id, 's_completed');
      assert.equal(status?.owner, 'user_9');
      assert.match(status!.updated_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.deepEqual(changes[3]?.current, status);
      // Keyed by provider: the same reference under another provider is another payout.
      assert.equal(await store.getStatus('ipay', 'pi_900'), undefined);
      // A receipt naming no payout moves no status.
      await store.insert(receipt(901, { event_id: 's_noref', reference: null, intent_id: null }), (_tx, change) => void changes.push(change));
      assert.equal(changes.at(-1), null);
    });

    test('payout status without a callback still moves (the same transaction as the row)', async () => {
      await store.insert(receipt(902, { event_id: 'n_1', status: 'in_progress' }));
      await store.insert(receipt(902, { event_id: 'n_2', status: 'expired' }));
      assert.equal((await store.getStatus('liqx', 'pi_902'))?.status, 'expired');
    });

    test('quarantine: kept once per (provider, webhook_id), bytes and U+0000 exact, replayed_at set once, pending filter', async () => {
      const body = new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x00, 0xff, 0x5c, 0x30, 0x7d]);
      const entry = {
        provider: 'liqx' as const,
        webhook_id: 'msg_q_\\0_conformance',
        event_type: `type\u0000\\0${'t'.repeat(3000)}`,
        error_code: 'INVALID_PAYLOAD',
        issues: [{ path: 'data.x\u0000', message: 'm\\0' }],
        headers: { 'webhook-id': 'msg_q_conformance', 'webhook-signature': 'v1,abc' },
        body,
      };
      assert.deepEqual(await store.quarantine(entry), { inserted: true });
      assert.deepEqual(await store.quarantine({ ...entry, body: new Uint8Array([1]) }), { inserted: false }, 'a retry keeps the first copy');
      assert.deepEqual(await store.quarantine({ ...entry, provider: 'ipay' }), { inserted: true }, 'another provider, another delivery');
      const kept = await store.getQuarantined('liqx', entry.webhook_id);
      assert.ok(kept);
      const { received_at, replayed_at, body: keptBody, ...rest } = kept;
      const { body: _sent, ...sent } = entry;
      assert.deepEqual(rest, sent);
      assert.deepEqual([...keptBody], [...body]);
      assert.match(received_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.equal(replayed_at, null);

      await store.markReplayed('liqx', entry.webhook_id);
      const at = (await store.getQuarantined('liqx', entry.webhook_id))?.replayed_at;
      assert.ok(at);
      await store.markReplayed('liqx', entry.webhook_id);
      assert.equal((await store.getQuarantined('liqx', entry.webhook_id))?.replayed_at, at, 'the first replay time stays');
      const pending = (await store.listQuarantine({ limit: 100, pending: true })).rows.map((r) => `${r.provider}:${r.webhook_id}`);
      const all = (await store.listQuarantine({ limit: 100 })).rows.map((r) => `${r.provider}:${r.webhook_id}`);
      assert.deepEqual(pending, [`ipay:${entry.webhook_id}`]);
      assert.deepEqual(all, [`ipay:${entry.webhook_id}`, `liqx:${entry.webhook_id}`], 'newest first');
    });

    test('reopening runs no migration twice and keeps every row', async () => {
      const count = (await store.list({ limit: 100 })).rows.length;
      const again = await engine.reopen();
      try {
        assert.equal((await again.list({ limit: 100 })).rows.length, count);
        assert.deepEqual(await again.insert(receipt(1)), { inserted: false });
        assert.equal((await again.getStatus('liqx', 'pi_900'))?.status, 'completed', 'statuses survive a reopen');
        assert.equal((await again.listQuarantine({ limit: 100 })).rows.length, 2, 'the quarantine survives a reopen');
      } finally {
        await again.close();
      }
    });
  });
}
