/**
 * The SQLite store's WAL checkpoints on their own thread (src/server/sqlite-checkpointer.ts): the writer's
 * connection never checkpoints on its own, the log still restarts from its beginning while commits keep coming
 * (so it stays bounded), every receipt of a steady stream is stored once, and close() ends the worker with what
 * was queued committed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, openSync, readSync, closeSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sqliteReceiptStore } from '../../../src/server/index.js';
import { sqliteCheckpointer, COMMITS_PER_CHECKPOINT, RESTART_FRAMES } from '../../../src/server/sqlite-checkpointer.js';

const receipt = (eventId: string) => ({
  provider: 'liqx' as const,
  event_id: eventId,
  event_type: 'transaction.completed',
  intent_id: `pi_${eventId}`,
  external_ref: `ext_${eventId}`,
  status: 'completed' as const,
  phase: 'PAYOUT',
  attempts: 1,
  failure_code: null,
  failure_message: null,
  occurred_at: '2026-11-22T00:00:00.000Z',
  payload: '{}',
});

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'liqx-sqlite-checkpointer-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The WAL header's checkpoint sequence number (bytes 12..15, big-endian): SQLite adds one each time the log restarts. */
function walRestarts(file: string): number {
  if (!existsSync(`${file}-wal`)) return 0;
  const fd = openSync(`${file}-wal`, 'r');
  try {
    const header = Buffer.alloc(32);
    return readSync(fd, header, 0, 32, 0) === 32 ? header.readUInt32BE(12) : 0;
  } finally {
    closeSync(fd);
  }
}

test('the writer never checkpoints; the log restarts while commits keep coming; close ends the worker', async (t) => {
  const file = join(tempDir(t), 'c.sqlite');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)');
  const checkpointer = await sqliteCheckpointer(db, file, { synchronous: 'NORMAL' });
  assert.ok(checkpointer);
  assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 0);
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  const blob = Buffer.alloc(512, 7); // a page or two per commit: the file stays small whatever the bound
  let commits = 0;
  try {
    // Commits back to back (a turn of the event loop between them, for the worker's answers) until the log has
    // restarted, bounded far above what a restart needs.
    const bound = 10 * (RESTART_FRAMES + COMMITS_PER_CHECKPOINT);
    while (walRestarts(file) === 0 && commits < bound) {
      const hold = checkpointer.hold();
      if (hold) await hold;
      insert.run(blob);
      commits++;
      checkpointer.afterCommit();
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.ok(walRestarts(file) > 0, `the log restarted within ${commits} commits`);
  } finally {
    await checkpointer.close();
  }
  assert.equal(checkpointer.hold(), undefined);
  assert.equal((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, commits);
  db.close();
});

test('a steady stream of receipts, 16 in flight, is stored once each and the log restarts under it', async (t) => {
  const file = join(tempDir(t), 'r.sqlite');
  const store = await sqliteReceiptStore(file);
  let sent = 0;
  try {
    const bound = 30_000;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (walRestarts(file) === 0 && sent < bound) {
          const id = `e${sent++}`;
          assert.deepEqual(await store.insert(receipt(id)), { inserted: true }, id);
        }
      }),
    );
    assert.ok(walRestarts(file) > 0, `the log restarted within ${sent} receipts`);
    // Queued and not yet committed when close() is called: committed by it.
    const last = Array.from({ length: 16 }, (_, i) => store.insert(receipt(`last${i}`)));
    await store.close();
    assert.deepEqual(await Promise.all(last), Array.from({ length: 16 }, () => ({ inserted: true })));
  } finally {
    await store.close();
  }
  const db = new Database(file, { readonly: true });
  const { n, d } = db.prepare('SELECT count(*) AS n, count(DISTINCT event_id) AS d FROM webhook_receipts').get() as { n: number; d: number };
  db.close();
  assert.equal(n, sent + 16);
  assert.equal(d, n);
});
