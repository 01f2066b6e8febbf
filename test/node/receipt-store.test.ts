/** The receipt store's group commit: what the webhook endpoints acknowledge is stored, once, or not at all. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { openReceiptStore, RECEIPTS_FILE } from '../../demo/server/receipt-store.js';
import { tempDataDir } from './demo-helpers.js';
import { join } from 'node:path';

const receipt = (eventId: string) => ({
  provider: 'liqx' as const, event_id: eventId, event_type: 'transaction.completed', intent_id: `pi_${eventId}`, external_ref: 'ext',
  status: 'completed', phase: 'PAYOUT', attempts: 1, failure_code: null, failure_message: null, occurred_at: '2026-11-22T00:00:00.000Z', payload: '{}',
});

test('commits queued together share one transaction; duplicates inside a batch are stored once', async () => {
  const data = tempDataDir();
  const store = openReceiptStore(data.dir);
  try {
    const results = await Promise.all([store.commit(receipt('a')), store.commit(receipt('b')), store.commit(receipt('a')), store.commit(receipt('c'))]);
    assert.deepEqual(results.map((r) => r.inserted), [true, true, false, true]);
    // Resolved means committed: another connection to the file sees every row.
    const other = new Database(join(data.dir, RECEIPTS_FILE), { readonly: true });
    assert.equal((other.prepare('SELECT COUNT(*) AS n FROM webhook_receipts').get() as { n: number }).n, 3);
    other.close();
    assert.deepEqual((await store.commit(receipt('b'))).inserted, false, 'a later batch sees the earlier commit');
  } finally {
    store.close();
    data.remove();
  }
});

test('a malformed receipt is refused at once and does not spoil the batch it would have joined', async () => {
  const data = tempDataDir();
  const store = openReceiptStore(data.dir);
  try {
    const good = store.commit(receipt('ok'));
    assert.throws(() => store.commit({ ...receipt('bad'), status: '' } as never), /status/);
    assert.equal((await good).inserted, true);
    assert.equal(store.list({ limit: 10 }).length, 1);
  } finally {
    store.close();
    data.remove();
  }
});

test('a batch whose transaction fails rejects every caller and stores nothing of it', async () => {
  const data = tempDataDir();
  const store = openReceiptStore(data.dir, { busyTimeoutMs: 50 });
  // Another connection holds the write lock: the batch's transaction cannot begin.
  const blocker = new Database(join(data.dir, RECEIPTS_FILE));
  try {
    blocker.exec('BEGIN IMMEDIATE');
    const pending = [store.commit(receipt('x')), store.commit(receipt('y'))];
    const settled = await Promise.allSettled(pending);
    assert.deepEqual(settled.map((s) => s.status), ['rejected', 'rejected']);
    blocker.exec('ROLLBACK');
    assert.equal(store.list({ limit: 10 }).length, 0);
  } finally {
    blocker.close();
    store.close();
    data.remove();
  }
});

test('commit after close is refused; close flushes what is queued', async () => {
  const data = tempDataDir();
  const store = openReceiptStore(data.dir);
  const queued = store.commit(receipt('last'));
  store.close();
  assert.equal((await queued).inserted, true);
  await assert.rejects(store.commit(receipt('late')), /closed/);
  const reopened = openReceiptStore(data.dir);
  assert.equal(reopened.list({ limit: 10 }).length, 1);
  reopened.close();
  data.remove();
});
