/**
 * Scoped reads on both engines: createReceiptsHandler answers only the rows of the owner `authorize` returns, by
 * any filter, cursor or id; reading across owners takes `{ allOwners: true }`; anything else reads nothing.
 * SQLite in a temp file, PostgreSQL on a real server this test starts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReceiptsHandler, postgresReceiptStore, sqliteReceiptStore, type ReceiptStore, type ReceiptsReader } from '../../../src/server/index.js';
import { startPostgres, type PostgresServer } from '../../../scripts/lib/postgres-server.js';
import { receipt } from './support/store-conformance.js';

const dir = mkdtempSync(join(tmpdir(), 'liqx-owner-'));
let pgServer: PostgresServer;
before(async () => {
  pgServer = await startPostgres();
});
after(async () => {
  await pgServer?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const OWNERS = ['usr_alice', 'usr_bob', null] as const;
/** 60 rows: owners in turn, shared external_refs and statuses across owners, so every filter matches both. */
async function seed(store: ReceiptStore): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await store.insert(receipt(i, { owner: OWNERS[i % 3]!, status: i % 2 ? 'completed' : 'failed', event_type: i % 2 ? 'transaction.completed' : 'transaction.failed', provider: i % 5 === 4 ? 'ipay' : 'liqx' }));
  }
}

type Row = { webhook_id: string; owner: string | null; intent_id: string };
function reader(store: ReceiptStore) {
  const handler = createReceiptsHandler({
    store,
    onError: () => undefined,
    authorize: (r) => {
      const who = r.headers.get('x-who');
      if (who === 'operator') return { allOwners: true };
      if (who === 'broken') return JSON.parse(r.headers.get('x-reader') ?? 'null') as ReceiptsReader;
      return who ? { owner: who } : new Response(null, { status: 401 });
    },
  });
  return async (who: string, query: string, headers: Record<string, string> = {}) => {
    const res = await handler(new Request(`http://partner.test/receipts?${query}`, { headers: { 'x-who': who, ...headers } }));
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as { rows: Row[]; next_cursor: string | null; error?: { code: string } } };
  };
}

/** Every row a query reaches, following next_cursor to the end. */
async function allPages(read: ReturnType<typeof reader>, who: string, query: string): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor = '';
  for (let page = 0; page < 100; page++) {
    const res = await read(who, `${query}&limit=7${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    rows.push(...res.body.rows);
    if (!res.body.next_cursor) return rows;
    cursor = res.body.next_cursor;
  }
  throw new Error('more than 100 pages');
}

function scopeSuite(name: string, open: () => Promise<ReceiptStore>) {
  describe(`scoped receipts read: ${name}`, () => {
    let store: ReceiptStore;
    let read: ReturnType<typeof reader>;
    before(async () => {
      store = await open();
      await seed(store);
      read = reader(store);
    });
    after(() => store.close());

    test('Alice sees her rows only, by every filter and through every page', async () => {
      const queries = ['', 'status=completed', 'status=failed', 'type=transaction.completed', 'provider=ipay', 'provider=liqx', 'external_ref=ext_1',
        'external_ref=ext_2&status=failed', 'since=2000-01-01T00:00:00Z', 'owner=usr_bob', 'owner=usr_alice', 'intent_id=pi_1', 'intent_id=pi_3'];
      for (const q of queries) {
        const rows = await allPages(read, 'usr_alice', q);
        assert.ok(rows.every((r) => r.owner === 'usr_alice'), `${q}: ${rows.map((r) => r.owner).join(',')}`);
      }
      const mine = await allPages(read, 'usr_alice', '');
      assert.deepEqual(mine.map((r) => r.intent_id).sort(), Array.from({ length: 20 }, (_, i) => `pi_${i * 3}`).sort());
      // Bob's own intent id and Bob's owner name find nothing for Alice.
      assert.deepEqual((await read('usr_alice', 'intent_id=pi_1')).body.rows, []);
      assert.deepEqual((await read('usr_alice', 'owner=usr_bob')).body.rows, []);
      assert.equal((await read('usr_bob', 'intent_id=pi_1')).body.rows[0]?.owner, 'usr_bob');
    });

    test('a cursor from another reader continues within Alice\'s rows only', async () => {
      const bobPage = await read('usr_bob', 'limit=3');
      const opPage = await read('operator', 'limit=3');
      for (const cursor of [bobPage.body.next_cursor, opPage.body.next_cursor]) {
        assert.ok(cursor);
        const rows = await allPages(read, 'usr_alice', `cursor=${cursor}`);
        assert.ok(rows.length > 0);
        assert.ok(rows.every((r) => r.owner === 'usr_alice'));
      }
    });

    test('an operator reads every owner (rows without an owner included) and may filter by owner', async () => {
      const all = await allPages(read, 'operator', '');
      assert.equal(all.length, 60);
      assert.equal(all.filter((r) => r.owner === null).length, 20);
      const bob = await allPages(read, 'operator', 'owner=usr_bob');
      assert.equal(bob.length, 20);
      assert.ok(bob.every((r) => r.owner === 'usr_bob'));
    });

    test('authorize returning neither { owner } nor { allOwners: true } reads nothing: 500 OWNER_REQUIRED', async () => {
      for (const bad of ['{}', 'true', '{"owner":""}', '{"owner":7}', '{"owner":"usr_alice","allOwners":true}', '{"allOwners":"yes"}', '{"allOwners":false}']) {
        const res = await read('broken', '', { 'x-reader': bad });
        assert.deepEqual([res.status, res.body.error?.code, res.body.rows], [500, 'OWNER_REQUIRED', undefined], bad);
      }
      assert.equal((await read('', '')).status, 401, 'authorize\'s own Response is sent as is');
    });
  });
}

scopeSuite('SQLite', () => sqliteReceiptStore(join(dir, 'owner.sqlite')));
scopeSuite('PostgreSQL', async () => postgresReceiptStore({ connectionString: await pgServer.createDatabase('owner_scope') }));
