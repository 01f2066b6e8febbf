/**
 * The SQLite store's reads on their own thread and connection (src/server/sqlite-reader.ts): a read sees every
 * insert that resolved before it, pages stay exact while inserts go on, a failed read rejects as it would have on
 * the store's own connection, close() settles the reads in flight and ends the thread, and an in-memory store
 * (which no second connection can open) reads on its own connection.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sqliteReceiptStore } from '../../../src/server/index.js';

const receipt = (eventId: string, status: 'completed' | 'failed' = 'completed') => ({
  provider: 'liqx' as const,
  event_id: eventId,
  event_type: `transaction.${status}`,
  intent_id: `pi_${eventId}`,
  external_ref: 'ext',
  status,
  phase: 'PAYOUT',
  attempts: 1,
  failure_code: null,
  failure_message: null,
  occurred_at: '2026-11-22T00:00:00.000Z',
  payload: '{}',
});

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'liqx-sqlite-reader-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('a read sees every insert that resolved before it was asked', async (t) => {
  const store = await sqliteReceiptStore(join(tempDir(t), 'r.sqlite'));
  try {
    for (let i = 0; i < 60; i++) {
      await store.insert(receipt(`e${i}`));
      const page = await store.list({ limit: 1, intent_id: `pi_e${i}` });
      assert.deepEqual(page.rows.map((r) => r.webhook_id), [`e${i}`], `read ${i}`);
    }
    assert.equal((await store.list({ limit: 100 })).rows.length, 60);
  } finally {
    await store.close();
  }
});

test('paging while inserts go on returns each older row once, in order', async (t) => {
  const store = await sqliteReceiptStore(join(tempDir(t), 'p.sqlite'));
  try {
    for (let i = 0; i < 150; i++) await store.insert(receipt(`old${i}`, i % 3 === 0 ? 'failed' : 'completed'));
    const expected = (await store.list({ limit: 100, status: 'failed' })).rows.map((r) => r.webhook_id);
    const seen: string[] = [];
    let cursor: string | undefined;
    let n = 0;
    do {
      // New rows land above the first page's cursor, never in a later page.
      const [page] = await Promise.all([store.list({ limit: 7, status: 'failed', ...(cursor ? { cursor } : {}) }), store.insert(receipt(`new${n++}`, 'failed'))]);
      if (!cursor) seen.push(...page.rows.map((r) => r.webhook_id).filter((id) => id.startsWith('old')));
      else seen.push(...page.rows.map((r) => r.webhook_id));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    assert.deepEqual(seen, expected);
  } finally {
    await store.close();
  }
});

test('a read that fails rejects with the driver\'s SqliteError, as on the store\'s own connection', async (t) => {
  const file = join(tempDir(t), 'e.sqlite');
  const store = await sqliteReceiptStore(file);
  try {
    await store.insert(receipt('a'));
    assert.equal((await store.list({ limit: 5 })).rows.length, 1);
    const other = new Database(file);
    other.exec('DROP TABLE webhook_receipts');
    other.close();
    await assert.rejects(store.list({ limit: 5 }), (error: unknown) => error instanceof Database.SqliteError && /no such table/.test(error.message) && error.code === 'SQLITE_ERROR');
  } finally {
    await store.close();
  }
});

test('close() answers the reads already asked, then refuses reads as a closed connection does', async (t) => {
  const store = await sqliteReceiptStore(join(tempDir(t), 'c.sqlite'));
  for (let i = 0; i < 30; i++) await store.insert(receipt(`e${i}`));
  const inFlight = Array.from({ length: 10 }, () => store.list({ limit: 20 }));
  await store.close();
  for (const page of await Promise.all(inFlight)) assert.equal(page.rows.length, 20);
  await assert.rejects(store.list({ limit: 20 }), { name: 'TypeError', message: /not open/ });
  await store.close(); // twice is harmless
});

test('an in-memory store reads on its own connection', async () => {
  const store = await sqliteReceiptStore(':memory:');
  try {
    await store.insert(receipt('m1'));
    await store.insert(receipt('m2', 'failed'));
    assert.deepEqual((await store.list({ limit: 10 })).rows.map((r) => r.webhook_id), ['m2', 'm1']);
    assert.deepEqual((await store.list({ limit: 10, status: 'failed', event_type: 'transaction.failed' })).rows.map((r) => r.webhook_id), ['m2']);
  } finally {
    await store.close();
  }
  await assert.rejects(store.list({ limit: 10 }), { name: 'TypeError', message: /not open/ });
});
