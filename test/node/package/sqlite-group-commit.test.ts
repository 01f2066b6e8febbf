/** The kit's SQLite store's group commit (src/server/sqlite-store.ts): what the webhook endpoints acknowledge is stored, once, or not at all. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { sqliteReceiptStore } from '../../../src/server/index.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RECEIPTS_FILE = 'receipts.sqlite';
function tempDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'liqx-sqlite-store-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const receipt = (eventId: string) => ({
  provider: 'liqx' as const, event_id: eventId, event_type: 'transaction.completed', intent_id: `pi_${eventId}`, external_ref: 'ext',
  status: 'completed' as const, phase: 'PAYOUT', attempts: 1, failure_code: null, failure_message: null, occurred_at: '2026-11-22T00:00:00.000Z', payload: '{}',
});

test('commits queued together share one transaction; duplicates inside a batch are stored once', async () => {
  const data = tempDataDir();
  const store = await sqliteReceiptStore(join(data.dir, RECEIPTS_FILE));
  try {
    const results = await Promise.all([store.insert(receipt('a')), store.insert(receipt('b')), store.insert(receipt('a')), store.insert(receipt('c'))]);
    assert.deepEqual(results.map((r) => r.inserted), [true, true, false, true]);
    // Resolved means committed: another connection to the file sees every row.
    const other = new Database(join(data.dir, RECEIPTS_FILE), { readonly: true });
    assert.equal((other.prepare('SELECT COUNT(*) AS n FROM webhook_receipts').get() as { n: number }).n, 3);
    other.close();
    assert.deepEqual((await store.insert(receipt('b'))).inserted, false, 'a later batch sees the earlier commit');
  } finally {
    await store.close();
    data.remove();
  }
});

test('a malformed receipt is refused at once and does not spoil the batch it would have joined', async () => {
  const data = tempDataDir();
  const store = await sqliteReceiptStore(join(data.dir, RECEIPTS_FILE));
  try {
    const good = store.insert(receipt('ok'));
    await assert.rejects(store.insert({ ...receipt('bad'), status: '' } as never), /status/);
    assert.equal((await good).inserted, true);
    assert.equal((await store.list({ limit: 10 })).rows.length, 1);
  } finally {
    await store.close();
    data.remove();
  }
});

test('a batch whose transaction fails rejects every caller and stores nothing of it', async () => {
  const data = tempDataDir();
  const store = await sqliteReceiptStore(join(data.dir, RECEIPTS_FILE), { busyTimeoutMs: 50 });
  // Another connection holds the write lock: the batch's transaction cannot begin.
  const blocker = new Database(join(data.dir, RECEIPTS_FILE));
  try {
    blocker.exec('BEGIN IMMEDIATE');
    const pending = [store.insert(receipt('x')), store.insert(receipt('y'))];
    const settled = await Promise.allSettled(pending);
    assert.deepEqual(settled.map((s) => s.status), ['rejected', 'rejected']);
    blocker.exec('ROLLBACK');
    assert.equal((await store.list({ limit: 10 })).rows.length, 0);
  } finally {
    blocker.close();
    await store.close();
    data.remove();
  }
});

test('commit after close is refused; close flushes what is queued', async () => {
  const data = tempDataDir();
  const store = await sqliteReceiptStore(join(data.dir, RECEIPTS_FILE));
  const queued = store.insert(receipt('last'));
  await store.close();
  assert.equal((await queued).inserted, true);
  await assert.rejects(store.insert(receipt('late')), /closed/);
  const reopened = await sqliteReceiptStore(join(data.dir, RECEIPTS_FILE));
  assert.equal((await reopened.list({ limit: 10 })).rows.length, 1);
  await reopened.close();
  data.remove();
});
