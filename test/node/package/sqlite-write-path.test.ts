/**
 * The SQLite store's write path when a receipt fails inside a group commit: receipts without a callback share the
 * batch's transaction without a savepoint each, so a failure among them rolls the batch back and runs it again with
 * a savepoint per receipt. Whatever failed, every other receipt of the batch is stored once and its callback's
 * effects commit once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sqliteReceiptStore, type SqliteTx } from '../../../src/server/internal.js';

const receipt = (eventId: string, status: 'completed' | 'pending' = 'completed') => ({
  provider: 'liqx' as const, event_id: eventId, event_type: 'transaction.completed', intent_id: `pi_${eventId}`, external_ref: 'ext',
  status, phase: 'PAYOUT', attempts: 1, failure_code: null, failure_message: null, occurred_at: '2026-11-22T00:00:00.000Z', payload: '{}',
});

async function withStore(run: (store: Awaited<ReturnType<typeof sqliteReceiptStore>>, file: string) => Promise<void>) {
  const dir = mkdtempSync(join(tmpdir(), 'liqx-sqlite-write-'));
  const file = join(dir, 'receipts.sqlite');
  const store = await sqliteReceiptStore(file);
  try {
    await run(store, file);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An engine-side failure for one event id (a trigger), which no savepoint-free receipt can foresee. */
function failOn(file: string, eventId: string) {
  const db = new Database(file);
  db.exec(`CREATE TRIGGER fail_one BEFORE INSERT ON webhook_receipts WHEN NEW.event_id = '${eventId}' BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END`);
  db.close();
}

test('an engine failure of one receipt without a callback: the others of its batch are stored once, it alone is rejected', async () => {
  await withStore(async (store, file) => {
    failOn(file, 'boom');
    const settled = await Promise.allSettled([store.insert(receipt('a')), store.insert(receipt('boom')), store.insert(receipt('c')), store.insert(receipt('a'))]);
    assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    assert.match(String((settled[1] as PromiseRejectedResult).reason), /refused by trigger/);
    assert.deepEqual(settled.map((s) => (s.status === 'fulfilled' ? s.value.inserted : null)), [true, null, true, false]);
    assert.deepEqual((await store.list({ limit: 10 })).rows.map((r) => r.webhook_id).sort(), ['a', 'c']);
    // The payout status moved for the stored receipts only, once each.
    assert.equal((await store.getStatus('liqx', 'pi_a'))?.webhook_id, 'a');
    assert.equal(await store.getStatus('liqx', 'pi_boom'), undefined);
  });
});

test('the guarded re-run: a callback neighbour of the failed receipt commits its own effects once', async () => {
  await withStore(async (store, file) => {
    failOn(file, 'boom');
    const db = new Database(file);
    db.exec('CREATE TABLE outbox (event_id TEXT NOT NULL)');
    db.close();
    let calls = 0;
    const withCallback = (id: string) =>
      store.insert(receipt(id), (tx: SqliteTx) => {
        calls++;
        tx.db.prepare('INSERT INTO outbox (event_id) VALUES (?)').run(id);
      });
    const failing = (id: string) =>
      store.insert(receipt(id), () => {
        throw new Error('callback refused');
      });
    const settled = await Promise.allSettled([withCallback('cb1'), store.insert(receipt('boom')), store.insert(receipt('plain')), failing('cbfail'), withCallback('cb2')]);
    assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    assert.match(String((settled[3] as PromiseRejectedResult).reason), /callback refused/);
    assert.deepEqual((await store.list({ limit: 10 })).rows.map((r) => r.webhook_id).sort(), ['cb1', 'cb2', 'plain']);
    const check = new Database(file, { readonly: true });
    // The callbacks ran in the rolled-back first run and again in the committed one; only the second run's rows stay.
    assert.deepEqual((check.prepare('SELECT event_id FROM outbox ORDER BY event_id').all() as { event_id: string }[]).map((r) => r.event_id), ['cb1', 'cb2']);
    check.close();
    assert.ok(calls >= 2);
  });
});

test('receipts without a callback in one batch: the status rule sees them in arrival order', async () => {
  await withStore(async (store) => {
    const first = receipt('p1', 'pending');
    const second = { ...receipt('c1'), intent_id: 'pi_p1' };
    const third = { ...receipt('c2'), intent_id: 'pi_p1', status: 'completed' as const };
    const results = await Promise.all([store.insert(first), store.insert(second), store.insert(third)]);
    assert.deepEqual(results.map((r) => r.inserted), [true, true, true]);
    const status = await store.getStatus('liqx', 'pi_p1');
    // pending, then the first terminal receipt wins; the later terminal one does not move it.
    assert.equal(status?.status, 'completed');
    assert.equal(status?.webhook_id, 'c1');
  });
});
