/**
 * The embedded receipt store: one SQLite file through better-sqlite3 (an optional peer dependency, loaded on
 * first use so the entry imports on runtimes without it).
 *
 * Durability: WAL. `insert` resolves only after the transaction holding the row committed. With the default
 * synchronous=NORMAL a committed row survives a crash or `kill -9` of the process (the WAL is written before
 * commit returns); synchronous=FULL also survives power loss, at one fsync per commit. Group commit: inserts that
 * arrive in one turn of the event loop share one transaction (one WAL write). A receipt with a callback runs in its
 * own savepoint, so one failing `onReceipt` rolls back only its own receipt; one without runs straight in the
 * transaction (a savepoint copies every page it touches to a sub-journal, which cost more than the insert itself).
 *
 * One process writes a file; several processes may share it on one machine (busy_timeout), never over a network
 * file system. For many instances use ./postgres-store.ts.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { OWNER_INDEX, V2_INDEXES, NewReceipt, encodeCursor, type ReceiptQuery, type ReceiptStore } from './store.js';
import { INSERT_COLUMNS, STATUS_COLUMNS, listQuery, statusRow, toStatus, toStored, type DbRow, type StatusDbRow } from './sql.js';
import { validRow } from './receipt-row.js';
import { backfillStatusSql, payoutKeyOf, statusFrom, statusStep, type PayoutStatusChange } from './payout-status.js';
import { shareable, sqliteReader } from './sqlite-reader.js';
import { sqliteCheckpointer } from './sqlite-checkpointer.js';
import { QUARANTINE_COLUMNS, checkQuarantined, quarantinePage, quarantinePageQuery, replayQuarantined, toQuarantined, type QuarantineDbRow } from './quarantine.js';

export interface SqliteReceiptStoreOptions {
  /** `synchronous` in WAL mode: NORMAL (default) survives process crashes, FULL also power loss. */
  synchronous?: 'NORMAL' | 'FULL';
  /** How long a write waits for another connection's lock before failing; default 5000 ms. */
  busyTimeoutMs?: number;
}

/** What `onReceipt` gets on SQLite: the connection, inside the receipt's transaction. Use it synchronously. */
export interface SqliteTx {
  db: BetterSqlite3.Database;
}

const TABLE = `
CREATE TABLE IF NOT EXISTS webhook_receipts (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  provider        TEXT NOT NULL,
  event_id        TEXT NOT NULL,
  event_type      TEXT NOT NULL,
  intent_id       TEXT,
  external_ref    TEXT,
  status          TEXT NOT NULL,
  phase           TEXT,
  attempts        INTEGER,
  failure_code    TEXT,
  failure_message TEXT,
  occurred_at     TEXT NOT NULL,
  received_at     TEXT NOT NULL,
  payload         TEXT NOT NULL,
  reference       TEXT,
  amount_minor    INTEGER,
  currency        TEXT,
  UNIQUE (provider, event_id)
)`;

const V1_COLUMNS =
  'seq, provider, event_id, event_type, intent_id, external_ref, status, phase, attempts, failure_code, failure_message, occurred_at, received_at, payload';

/**
 * Versioned migrations, tracked in `PRAGMA user_version`. Each runs in one transaction with the version bump.
 * 1: the table (rebuilding a first-generation, LIQX-only table: attempts NOT NULL, no reference/amount columns;
 *    SQLite cannot drop a NOT NULL in place). 2: the read indexes of store.ts INDEXES, replacing older ones.
 * 3: the `owner` column (null on older rows: only an operator's read sees them) and its index.
 * 4: `payout_status`, each payout's current status (./payout-status.ts), rebuilt from the receipts already stored.
 * 5: `webhook_quarantine`, verified deliveries the parser refused, kept whole (./quarantine.ts).
 */
const MIGRATIONS: ((db: BetterSqlite3.Database) => void)[] = [
  (db) => {
    const cols = db.prepare('PRAGMA table_info(webhook_receipts)').all() as { name: string; notnull: number }[];
    const legacy = cols.length > 0 && (!cols.some((c) => c.name === 'reference') || !!cols.find((c) => c.name === 'attempts')?.notnull);
    if (!legacy) return void db.exec(TABLE);
    db.exec('ALTER TABLE webhook_receipts RENAME TO webhook_receipts_v1');
    for (const index of ['intent', 'external_ref', 'received']) db.exec(`DROP INDEX IF EXISTS webhook_receipts_${index}`);
    db.exec(TABLE);
    db.exec(`INSERT INTO webhook_receipts (${V1_COLUMNS}) SELECT ${V1_COLUMNS} FROM webhook_receipts_v1`);
    db.exec('DROP TABLE webhook_receipts_v1');
  },
  (db) => {
    for (const old of ['intent', 'external_ref', 'received', 'provider_received']) db.exec(`DROP INDEX IF EXISTS webhook_receipts_${old}`);
    for (const { name, columns } of V2_INDEXES) db.exec(`CREATE INDEX IF NOT EXISTS ${name} ON webhook_receipts (${columns})`);
  },
  (db) => {
    db.exec('ALTER TABLE webhook_receipts ADD COLUMN owner TEXT');
    db.exec(`CREATE INDEX IF NOT EXISTS ${OWNER_INDEX.name} ON webhook_receipts (${OWNER_INDEX.columns})`);
  },
  (db) => {
    db.exec(`CREATE TABLE payout_status (
      provider     TEXT NOT NULL,
      reference    TEXT NOT NULL,
      status       TEXT NOT NULL,
      event_id     TEXT NOT NULL,
      event_type   TEXT NOT NULL,
      occurred_at  TEXT NOT NULL,
      intent_id    TEXT,
      external_ref TEXT,
      owner        TEXT,
      updated_at   TEXT NOT NULL,
      PRIMARY KEY (provider, reference)
    )`);
    db.exec(backfillStatusSql(`strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`));
  },
  (db) => {
    db.exec(`CREATE TABLE IF NOT EXISTS webhook_quarantine (
      seq         INTEGER PRIMARY KEY AUTOINCREMENT,
      provider    TEXT NOT NULL,
      webhook_id  TEXT NOT NULL,
      event_type  TEXT,
      error_code  TEXT NOT NULL,
      issues      TEXT NOT NULL,
      headers     TEXT NOT NULL,
      body        BLOB NOT NULL,
      received_at TEXT NOT NULL,
      replayed_at TEXT,
      UNIQUE (provider, webhook_id)
    )`);
    // The operator's usual read, what still waits for a replay, newest first: a range of this index.
    db.exec('CREATE INDEX IF NOT EXISTS webhook_quarantine_pending ON webhook_quarantine (seq) WHERE replayed_at IS NULL');
  },
];

function migrate(db: BetterSqlite3.Database): void {
  // IMMEDIATE: two processes opening one file at once serialize here instead of both migrating.
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < MIGRATIONS.length; v++) MIGRATIONS[v]!(db);
    if (version < MIGRATIONS.length) db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}

const isThenable = (v: unknown): v is PromiseLike<unknown> => !!v && typeof (v as { then?: unknown }).then === 'function';

/**
 * Opens (and creates or migrates) the receipt store in `file`.
 *
 * @example const store = await sqliteReceiptStore('.data/receipts.sqlite');
 */
export async function sqliteReceiptStore(file: string, options: SqliteReceiptStoreOptions = {}): Promise<ReceiptStore<SqliteTx> & { readonly file: string }> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(file);
  const synchronous = options.synchronous === 'FULL' ? 'FULL' : 'NORMAL';
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
  migrate(db);
  // Keeps the planner's statistics current (cheap; SQLite's recommendation for long-lived connections).
  db.pragma('optimize');

  // Positional parameters, bound from an array in the columns' order: better-sqlite3 binds named ones by looking
  // every name up in the object, which cost about twice as much per row.
  const insertStmt = db.prepare(
    `INSERT INTO webhook_receipts (${INSERT_COLUMNS.join(', ')}) VALUES (${INSERT_COLUMNS.map(() => '?').join(', ')})
     ON CONFLICT (provider, event_id) DO NOTHING`,
  );
  const getStmt = db.prepare('SELECT * FROM webhook_receipts WHERE provider = ? AND event_id = ?');
  const getStatusStmt = db.prepare('SELECT * FROM payout_status WHERE provider = ? AND reference = ?');
  const putStatusStmt = db.prepare(
    `INSERT INTO payout_status (${STATUS_COLUMNS.join(', ')}) VALUES (${STATUS_COLUMNS.map(() => '?').join(', ')})
     ON CONFLICT (provider, reference) DO UPDATE SET ${STATUS_COLUMNS.slice(2).map((c) => `${c} = excluded.${c}`).join(', ')}`,
  );
  const tx: SqliteTx = { db };
  const quarantineStmt = db.prepare(
    `INSERT INTO webhook_quarantine (${QUARANTINE_COLUMNS.join(', ')}) VALUES (${QUARANTINE_COLUMNS.map((c) => `@${c}`).join(', ')})
     ON CONFLICT (provider, webhook_id) DO NOTHING`,
  );
  const getQuarantinedStmt = db.prepare('SELECT * FROM webhook_quarantine WHERE provider = ? AND webhook_id = ?');
  const markReplayedStmt = db.prepare('UPDATE webhook_quarantine SET replayed_at = ? WHERE provider = ? AND webhook_id = ? AND replayed_at IS NULL');

  // Inside the receipt's transaction, which holds the file's write lock: no other connection moves the row between
  // this read and the write.
  const moveStatus = (row: NewReceipt, at: string): PayoutStatusChange | null => {
    const reference = payoutKeyOf(row);
    if (reference === null) return null;
    const found = getStatusStmt.get(row.provider, reference) as StatusDbRow | undefined;
    const current = found && toStatus(found);
    const step = statusStep(current, row);
    if (step === 'stale') return null;
    const next = statusFrom(row, reference, step === 'refresh' && current ? current.updated_at : at, current?.owner ?? row.owner);
    const values = statusRow(next);
    putStatusStmt.run(STATUS_COLUMNS.map((c) => values[c]));
    return step === 'change' ? { provider: row.provider, reference, from: current?.status ?? null, to: next.status, current: next } : null;
  };

  type Pending = {
    row: NewReceipt;
    inTx?: (tx: SqliteTx, change: PayoutStatusChange | null) => unknown;
    resolve: (r: { inserted: boolean }) => void;
    reject: (e: unknown) => void;
  };
  let queue: Pending[] = [];

  // One receipt: the row, the payout's status, then the callback, which must finish synchronously.
  const insertOne = (p: Pending, receivedAt: string): boolean => {
    const row = p.row;
    const inserted = insertStmt.run(INSERT_COLUMNS.map((c) => (c === 'received_at' ? receivedAt : row[c]))).changes === 1;
    const change = inserted ? moveStatus(p.row, receivedAt) : null;
    if (inserted && p.inTx) {
      if (isThenable(p.inTx(tx, change))) throw new TypeError('onReceipt must finish synchronously on the SQLite store (better-sqlite3 is synchronous); use tx.db');
    }
    return inserted;
  };
  // The same in its own savepoint (a nested better-sqlite3 transaction): its failure undoes only it.
  const inSavepoint = db.transaction(insertOne);
  /** Thrown out of a batch when a receipt without a savepoint failed: the batch is rolled back and run again, each receipt in its own savepoint. */
  class UnguardedFailure extends Error {}
  const batch = db.transaction((items: Pending[], guardEach: boolean) => {
    const receivedAt = new Date().toISOString();
    return items.map((p) => {
      if (!guardEach && !p.inTx) {
        // No callback: only the engine can fail here (I/O, a full disk), which is no reason to pay a savepoint per
        // receipt. If it does, the whole batch rolls back and runs again guarded.
        try {
          return { ok: true as const, inserted: insertOne(p, receivedAt) };
        } catch (error) {
          throw new UnguardedFailure('unguarded insert failed', { cause: error });
        }
      }
      try {
        return { ok: true as const, inserted: inSavepoint(p, receivedAt) };
      } catch (error) {
        return { ok: false as const, error };
      }
    });
  });
  // WAL checkpoints run on a thread of their own (./sqlite-checkpointer.ts), so no commit pays for one; an
  // in-memory database has no log to checkpoint.
  const checkpointer = shareable(file) ? await sqliteCheckpointer(db, file, { synchronous }) : undefined;
  const flush = () => {
    if (!queue.length) return;
    // While the checkpointer copies the log's last frames so that it can restart, the receipts wait and commit together after.
    const hold = checkpointer?.hold();
    if (hold) return void hold.then(flush);
    const items = queue;
    queue = [];
    let results: ReturnType<typeof batch>;
    try {
      try {
        results = batch(items, false);
      } catch (error) {
        if (!(error instanceof UnguardedFailure)) throw error;
        // Nothing of the first run was committed; a callback of a guarded neighbour runs again in the second, as
        // it would for a retried delivery, and only the second run's effects commit.
        results = batch(items, true);
      }
    } catch (error) {
      // The commit itself failed: nothing of the batch is stored, every caller answers non-2xx.
      for (const p of items) p.reject(error);
      return;
    }
    checkpointer?.afterCommit();
    results.forEach((r, i) => (r.ok ? items[i]!.resolve({ inserted: r.inserted }) : items[i]!.reject(r.error)));
  };

  // One prepared statement per read shape (at most 2^6 filters x cursor or not): compiled once, not per request.
  const statements = new Map<string, BetterSqlite3.Statement>();
  const prepared = (sql: string) => {
    let stmt = statements.get(sql);
    if (!stmt) statements.set(sql, (stmt = db.prepare(sql)));
    return stmt;
  };

  // Named parameters (@p1, @p2, ...): the cursor uses one value twice, which positional `?` cannot.
  const named = (params: unknown[]) => Object.fromEntries(params.map((v, i) => [`p${i + 1}`, v]));
  const listPlan = (query: ReceiptQuery) => listQuery(query, (i) => `@p${i}`);
  // Reads of a file run on a worker thread (./sqlite-reader.ts) so they never hold up the inserts; an in-memory
  // database has no second connection, and reads it on this one.
  const reader = shareable(file) ? await sqliteReader(file, Database, Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))) : undefined;

  const store: ReceiptStore<SqliteTx> & { readonly file: string } = {
    engine: 'sqlite',
    file,
    insert(receipt, inTransaction) {
      let row: NewReceipt;
      try {
        row = validRow(receipt);
      } catch (error) {
        return Promise.reject(error);
      }
      return new Promise((resolve, reject) => {
        if (!db.open) return reject(new Error('The receipt store is closed.'));
        // setImmediate: after this turn's I/O callbacks, so requests that arrived together commit together.
        if (queue.push({ row, inTx: inTransaction, resolve, reject }) === 1) setImmediate(flush);
      });
    },
    async get(provider, eventId) {
      const row = getStmt.get(provider, eventId) as DbRow | undefined;
      return row && toStored(row);
    },
    async getStatus(provider, reference) {
      const row = getStatusStmt.get(provider, reference) as StatusDbRow | undefined;
      return row && toStatus(row);
    },
    async list(query) {
      const plan = listPlan(query);
      type Stop = { received_at: string; seq: number };
      const request = { sql: plan.sql, params: named(plan.params), limit: query.limit, ...(plan.probe ? { probe: { sql: plan.probe.sql, params: named(plan.probe.params) } } : {}) };
      const { rows, stop } = reader
        ? await reader.read<DbRow, Stop>(request)
        : (() => {
            const rows = prepared(request.sql).all(request.params) as DbRow[];
            const stop = request.probe && rows.length <= query.limit ? (prepared(request.probe.sql).get(request.probe.params) as Stop | undefined) : undefined;
            return { rows, stop };
          })();
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      if (rows.length > query.limit && last) return { rows: page.map(toStored), next_cursor: encodeCursor({ at: last.received_at, seq: last.seq }) };
      // A short page of a bounded walk: continue below the last entry examined, if the walk stopped at its budget.
      return { rows: page.map(toStored), next_cursor: stop ? encodeCursor({ at: stop.received_at, seq: stop.seq }) : null };
    },
    async explain(query) {
      const plan = listPlan(query);
      const explain = (sql: string, params: unknown[]) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(named(params)) as { detail: string }[]).map((r) => r.detail);
      return [...explain(plan.sql, plan.params), ...(plan.probe ? explain(plan.probe.sql, plan.probe.params) : [])].join('\n');
    },
    async quarantine(delivery) {
      const d = checkQuarantined(delivery);
      const inserted =
        quarantineStmt.run({
          ...d,
          issues: JSON.stringify(d.issues),
          headers: JSON.stringify(d.headers),
          body: Buffer.from(d.body.buffer, d.body.byteOffset, d.body.byteLength),
          received_at: new Date().toISOString(),
        }).changes === 1;
      return { inserted };
    },
    async getQuarantined(provider, webhookId) {
      const row = getQuarantinedStmt.get(provider, webhookId) as QuarantineDbRow | undefined;
      return row && toQuarantined(row);
    },
    async listQuarantine(query) {
      const { sql, params } = quarantinePageQuery(query, (i) => `@p${i}`);
      return quarantinePage(prepared(sql).all(named(params)) as QuarantineDbRow[], query.limit);
    },
    replayQuarantined(provider, webhookId, options) {
      return replayQuarantined(store, provider, webhookId, options);
    },
    async markReplayed(provider, webhookId) {
      markReplayedStmt.run(new Date().toISOString(), provider, webhookId);
    },
    async close() {
      // Ends any hold first, so that what is queued commits now.
      const checkpoints = checkpointer?.close();
      if (queue.length && db.open) flush();
      await checkpoints;
      if (db.open) db.close();
      await reader?.close();
    },
  };
  return store;
}
