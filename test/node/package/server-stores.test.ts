/**
 * The ReceiptStore conformance suite (test/node/package/support/store-conformance.ts) on both engines: SQLite in a temp
 * file, PostgreSQL on a real server this test starts (scripts/lib/postgres-server.ts). No database mocks.
 */
import { after, before } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { postgresReceiptStore, sqliteReceiptStore, type PostgresTx, type SqliteTx } from '../../../src/server/internal.js';
import { storeConformance } from './support/store-conformance.js';
import { startPostgres, type PostgresServer } from '../../../scripts/lib/postgres-server.js';

const dir = mkdtempSync(join(tmpdir(), 'liqx-store-'));
let pgServer: PostgresServer;
before(async () => {
  pgServer = await startPostgres();
});
after(async () => {
  await pgServer?.stop();
  rmSync(dir, { recursive: true, force: true });
});

let sqliteFile = '';
let sqliteN = 0;
storeConformance<SqliteTx>({
  name: 'SQLite',
  async open() {
    sqliteFile = join(dir, `receipts-${++sqliteN}.sqlite`);
    const store = await sqliteReceiptStore(sqliteFile);
    const db = new Database(sqliteFile);
    db.exec('CREATE TABLE outbox (k TEXT NOT NULL)');
    db.close();
    return store;
  },
  reopen: () => sqliteReceiptStore(sqliteFile),
  sideWrite: (tx, key) => tx.db.prepare('INSERT INTO outbox (k) VALUES (?)').run(key),
  async sideCount() {
    const db = new Database(sqliteFile, { readonly: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
    } finally {
      db.close();
    }
  },
});

let pgUrl = '';
let pgN = 0;
storeConformance<PostgresTx>({
  name: 'PostgreSQL',
  async open() {
    pgUrl = await pgServer.createDatabase(`conformance_${++pgN}`);
    const store = await postgresReceiptStore({ connectionString: pgUrl });
    await store.pool.query('CREATE TABLE outbox (k TEXT NOT NULL)');
    return store;
  },
  reopen: () => postgresReceiptStore({ connectionString: pgUrl }),
  sideWrite: (tx, key) => tx.client.query('INSERT INTO outbox (k) VALUES ($1)', [key]),
  async sideCount(store) {
    const { rows } = await (store as unknown as { pool: import('pg').Pool }).pool.query<{ n: string }>('SELECT count(*) AS n FROM outbox');
    return Number(rows[0]!.n);
  },
});
