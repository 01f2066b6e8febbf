/**
 * The receipt store for partners that run many instances: PostgreSQL through `pg` (an optional peer dependency,
 * loaded on first use). A unique key on (provider, event_id) and `INSERT ... ON CONFLICT DO NOTHING` make
 * concurrent deliveries of one event, on any number of instances, store one row and run one `onReceipt`: the
 * second insert waits on the first's row lock and then sees the conflict (or, if the first rolled back, inserts).
 *
 * Schema: created and migrated by the store itself (versioned, in `liqx_receipt_migrations`), under an advisory
 * lock so instances starting together migrate once.
 */
import type pg from 'pg';
import { OWNER_INDEX, PAIR_INDEXES, V2_INDEXES, NewReceipt, encodeCursor, type ReceiptQuery, type ReceiptStore } from './store.js';
import { INSERT_COLUMNS, KEY_CHARS, STATUS_COLUMNS, listQuery, statusRow, toStatus, toStored, type DbRow, type Dialect, type StatusDbRow } from './sql.js';
import { backfillStatusSql, payoutKeyOf, statusFrom, statusStep, type PayoutStatusChange } from './payout-status.js';
import { ESCAPED_COLUMNS, escapeText, unescapeText } from './pg-text.js';
import { QUARANTINE_COLUMNS, checkQuarantined, quarantinePage, quarantinePageQuery, replayQuarantined, toQuarantined, type QuarantineDbRow } from './quarantine.js';

/** Filter columns a payload fills with text of any length: their indexes hold a bounded key (sql.ts Dialect). */
const KEYED_COLUMNS = ['intent_id', 'external_ref', 'event_type', 'owner'] as const;
const DIALECT: Dialect = { encode: escapeText, keyed: KEYED_COLUMNS, pairs: PAIR_INDEXES.map((p) => p.columns) };
/** An index column as the index holds it: a bounded key for a keyed column (sql.ts KEY_CHARS), else the column. */
const indexed = (c: string) => ((KEYED_COLUMNS as readonly string[]).includes(c) ? `left(${c}, ${KEY_CHARS})` : c);
const isEscaped = new Set<string>(ESCAPED_COLUMNS);

export interface PostgresReceiptStoreOptions {
  /** `postgres://user@host:port/db`; or pass `pool`. */
  connectionString?: string;
  /** Your own pool (the store does not end it on close). */
  pool?: pg.Pool;
  /** Pool size when the store creates the pool; default 10. */
  max?: number;
  /** Per-statement timeout, ms; default 10000. A stuck statement fails the request (5xx, the sender retries). */
  statementTimeoutMs?: number;
}

/** What `onReceipt` gets on PostgreSQL: the pooled client, inside the receipt's transaction (BEGIN ... COMMIT). */
export interface PostgresTx {
  client: pg.PoolClient;
}

/** Migrations by version; each runs in one transaction with its row in liqx_receipt_migrations. */
const MIGRATIONS: string[] = [
  `CREATE TABLE IF NOT EXISTS webhook_receipts (
     seq             BIGSERIAL PRIMARY KEY,
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
     received_at     TIMESTAMPTZ NOT NULL,
     payload         TEXT NOT NULL,
     reference       TEXT,
     amount_minor    BIGINT,
     currency        TEXT,
     CONSTRAINT webhook_receipts_provider_event UNIQUE (provider, event_id)
   )`,
  V2_INDEXES.map(({ name, columns }) => `CREATE INDEX IF NOT EXISTS ${name} ON webhook_receipts (${columns})`).join(';\n'),
  // The owner (null on older rows: only an operator's read sees them).
  `ALTER TABLE webhook_receipts ADD COLUMN IF NOT EXISTS owner TEXT;
   CREATE INDEX IF NOT EXISTS ${OWNER_INDEX.name} ON webhook_receipts (${OWNER_INDEX.columns})`,
  // Everything a verified event carries fits: text columns hold U+0000 escaped (./pg-text.ts; rows stored before
  // carry their backslashes unescaped, so they are escaped once here), and the indexes of columns a payload fills
  // with text of any length hold a bounded key instead of the value (an index entry is limited to about 2.7 KB).
  [
    ...ESCAPED_COLUMNS.map((c) => `UPDATE webhook_receipts SET ${c} = replace(${c}, '\\', '\\\\') WHERE strpos(${c}, '\\') > 0`),
    ...KEYED_COLUMNS.flatMap((c) => [
      `DROP INDEX IF EXISTS webhook_receipts_${c}_received`,
      `CREATE INDEX webhook_receipts_${c}_received ON webhook_receipts (left(${c}, ${KEY_CHARS}), received_at, seq)`,
    ]),
  ].join(';\n'),
  // Each payout's current status (./payout-status.ts), rebuilt from the receipts already stored. The key is unique
  // by the reference's md5: a reference is any length, an index entry is not.
  `CREATE TABLE payout_status (
     provider     TEXT NOT NULL,
     reference    TEXT NOT NULL,
     status       TEXT NOT NULL,
     event_id     TEXT NOT NULL,
     event_type   TEXT NOT NULL,
     occurred_at  TEXT NOT NULL,
     intent_id    TEXT,
     external_ref TEXT,
     owner        TEXT,
     updated_at   TIMESTAMPTZ NOT NULL
   );
   CREATE UNIQUE INDEX payout_status_key ON payout_status (provider, md5(reference));
   ${backfillStatusSql('now()')}`,
  // Verified deliveries the parser refused, kept whole (./quarantine.ts): the body as bytes, exactly as received;
  // the text columns escaped as the receipts' are (./pg-text.ts). A webhook_id is at most 528 characters, so its
  // index entry fits.
  `CREATE TABLE IF NOT EXISTS webhook_quarantine (
     seq         BIGSERIAL PRIMARY KEY,
     provider    TEXT NOT NULL,
     webhook_id  TEXT NOT NULL,
     event_type  TEXT,
     error_code  TEXT NOT NULL,
     issues      TEXT NOT NULL,
     headers     TEXT NOT NULL,
     body        BYTEA NOT NULL,
     received_at TIMESTAMPTZ NOT NULL,
     replayed_at TIMESTAMPTZ,
     CONSTRAINT webhook_quarantine_provider_id UNIQUE (provider, webhook_id)
   );
   CREATE INDEX IF NOT EXISTS webhook_quarantine_pending ON webhook_quarantine (seq) WHERE replayed_at IS NULL`,
  // Reads of a status within one owner or one event type: an index range each (store.ts PAIR_INDEXES). The
  // statistics give the planner how provider, event type and status occur together (a failed event type with a
  // completed status: never), so a combination that matches nothing is estimated as such and read from the index
  // that holds it, not by walking the received_at index in the hope of meeting a match.
  [
    ...PAIR_INDEXES.map(({ name, columns }) => `CREATE INDEX IF NOT EXISTS ${name} ON webhook_receipts (${columns.map(indexed).join(', ')}, received_at, seq)`),
    `CREATE STATISTICS IF NOT EXISTS webhook_receipts_kind (mcv) ON provider, ${indexed('event_type')}, status FROM webhook_receipts`,
    'ANALYZE webhook_receipts',
  ].join(';\n'),
];
/** Any 64-bit number; the one this module's migrations lock on. */
const MIGRATION_LOCK = 0x6c697178_7263;

async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS liqx_receipt_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
    // Every version without its row, in order (not only those above the highest): a database whose history lacks
    // one version (restored or hand-repaired) gets exactly that one.
    const { rows } = await client.query<{ version: number }>('SELECT version FROM liqx_receipt_migrations');
    const applied = new Set(rows.map((r) => r.version));
    for (let v = 0; v < MIGRATIONS.length; v++) {
      if (applied.has(v + 1)) continue;
      await client.query(MIGRATIONS[v]!);
      await client.query('INSERT INTO liqx_receipt_migrations (version) VALUES ($1)', [v + 1]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

interface PgRow extends Omit<DbRow, 'seq' | 'received_at' | 'amount_minor'> {
  seq: string;
  received_at: Date;
  amount_minor: string | null;
}
const fromPg = (r: PgRow): DbRow => ({
  ...r,
  event_id: unescapeText(r.event_id),
  event_type: unescapeText(r.event_type),
  intent_id: unescapeText(r.intent_id),
  external_ref: unescapeText(r.external_ref),
  owner: unescapeText(r.owner),
  phase: unescapeText(r.phase),
  reference: unescapeText(r.reference),
  currency: unescapeText(r.currency),
  failure_code: unescapeText(r.failure_code),
  failure_message: unescapeText(r.failure_message),
  seq: Number(r.seq),
  received_at: r.received_at.toISOString(),
  amount_minor: r.amount_minor === null ? null : Number(r.amount_minor),
});

/** The payout_status columns stored escaped (./pg-text.ts), as their webhook_receipts columns are. */
const STATUS_ESCAPED = new Set<string>(['reference', 'event_id', 'event_type', 'intent_id', 'external_ref', 'owner']);
interface PgStatusRow extends Omit<StatusDbRow, 'updated_at'> {
  updated_at: Date;
}
const statusFromPg = (r: PgStatusRow): StatusDbRow => ({
  ...r,
  reference: unescapeText(r.reference),
  event_id: unescapeText(r.event_id),
  event_type: unescapeText(r.event_type),
  intent_id: unescapeText(r.intent_id),
  external_ref: unescapeText(r.external_ref),
  owner: unescapeText(r.owner),
  updated_at: r.updated_at.toISOString(),
});
const STATUS_WHERE = 'provider = $1 AND md5(reference) = md5($2) AND reference = $2';
const STATUS_INSERT_SQL = `INSERT INTO payout_status (${STATUS_COLUMNS.join(', ')})
  VALUES (${STATUS_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})
  ON CONFLICT (provider, md5(reference)) DO NOTHING`;
const STATUS_UPDATE_SQL = `UPDATE payout_status SET ${STATUS_COLUMNS.slice(2).map((c, i) => `${c} = $${i + 3}`).join(', ')} WHERE ${STATUS_WHERE}`;
const statusValues = (row: StatusDbRow) => STATUS_COLUMNS.map((c) => (STATUS_ESCAPED.has(c) ? escapeText(row[c] as string | null) : row[c]));

/**
 * Moves the payout's status inside the receipt's transaction. Either this transaction creates the row, or it locks
 * the existing one (FOR UPDATE) before reading it: concurrent receipts of one payout, on any instance, take turns
 * on that row, and each decides on the status the previous one committed. An insert that meets a row another
 * transaction is still inserting waits for its commit, so the locking read after it sees that row.
 */
async function moveStatus(client: pg.PoolClient, row: NewReceipt, at: string): Promise<PayoutStatusChange | null> {
  const reference = payoutKeyOf(row);
  if (reference === null) return null;
  const first = statusFrom(row, reference, at, row.owner);
  if ((await client.query(STATUS_INSERT_SQL, statusValues(statusRow(first)))).rowCount === 1) {
    return { provider: row.provider, reference, from: null, to: first.status, current: first };
  }
  const { rows } = await client.query<PgStatusRow>(`SELECT * FROM payout_status WHERE ${STATUS_WHERE} FOR UPDATE`, [row.provider, escapeText(reference)]);
  const current = toStatus(statusFromPg(rows[0]!));
  const step = statusStep(current, row);
  if (step === 'stale') return null;
  const next = statusFrom(row, reference, step === 'refresh' ? current.updated_at : at, current.owner ?? row.owner);
  await client.query(STATUS_UPDATE_SQL, statusValues(statusRow(next)));
  return step === 'change' ? { provider: row.provider, reference, from: current.status, to: next.status, current: next } : null;
}

/** The quarantine's text columns a payload or a header fills, stored escaped (./pg-text.ts). */
const QUARANTINE_ESCAPED = new Set<string>(['webhook_id', 'event_type', 'error_code', 'issues', 'headers']);
const QUARANTINE_INSERT_SQL = `INSERT INTO webhook_quarantine (${QUARANTINE_COLUMNS.join(', ')})
  VALUES (${QUARANTINE_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})
  ON CONFLICT (provider, webhook_id) DO NOTHING`;
interface PgQuarantineRow extends Omit<QuarantineDbRow, 'seq' | 'received_at' | 'replayed_at'> {
  seq: string;
  received_at: Date;
  replayed_at: Date | null;
}
const quarantineFromPg = (r: PgQuarantineRow): QuarantineDbRow => ({
  ...r,
  seq: Number(r.seq),
  webhook_id: unescapeText(r.webhook_id),
  event_type: unescapeText(r.event_type),
  error_code: unescapeText(r.error_code),
  issues: unescapeText(r.issues),
  headers: unescapeText(r.headers),
  received_at: r.received_at.toISOString(),
  replayed_at: r.replayed_at && r.replayed_at.toISOString(),
});

const INSERT_SQL = `INSERT INTO webhook_receipts (${INSERT_COLUMNS.join(', ')})
  VALUES (${INSERT_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})
  ON CONFLICT (provider, event_id) DO NOTHING RETURNING seq`;

/**
 * Connects, creates or migrates the schema, and returns the store.
 *
 * @example const store = await postgresReceiptStore({ connectionString: process.env.DATABASE_URL });
 */
export async function postgresReceiptStore(options: PostgresReceiptStoreOptions): Promise<ReceiptStore<PostgresTx> & { readonly pool: pg.Pool }> {
  let pool = options.pool;
  const own = !pool;
  if (!pool) {
    const { default: pgModule } = await import('pg');
    pool = new pgModule.Pool({
      connectionString: options.connectionString,
      max: options.max ?? 10,
      statement_timeout: options.statementTimeoutMs ?? 10_000,
    });
    // An idle client's error (server restart) must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
  }
  const db = pool;
  try {
    await migrate(db);
  } catch (error) {
    if (own) await db.end().catch(() => undefined);
    throw error;
  }

  const statementNames = new Map<string, string>();
  const values = (row: NewReceipt, receivedAt: string) =>
    INSERT_COLUMNS.map((c) => (c === 'received_at' ? receivedAt : isEscaped.has(c) ? escapeText(row[c] as string | null) : row[c]));
  const listPlan = (query: ReceiptQuery) => listQuery(query, (i) => `$${i}`, DIALECT);
  // A named statement per read shape: each connection parses and plans it once.
  const run = async <R extends pg.QueryResultRow>(sql: string, params: unknown[]) => {
    let name = statementNames.get(sql);
    if (!name) statementNames.set(sql, (name = `liqx_receipts_list_${statementNames.size}`));
    return (await db.query<R>({ name, text: sql, values: params })).rows;
  };

  // A receipts read is planned for its values, each time (an unnamed statement): which index holds a combination's
  // matches depends on the values (a failed event type with a completed status matches nothing), and a named
  // statement's generic plan, chosen once for any values, would walk the received_at index for every one.
  const planned = async <R extends pg.QueryResultRow>(sql: string, params: unknown[]) => (await db.query<R>(sql, params)).rows;

  const store: ReceiptStore<PostgresTx> & { readonly pool: pg.Pool } = {
    engine: 'postgres',
    pool: db,
    async insert(receipt, inTransaction) {
      const row = NewReceipt.parse(receipt);
      const receivedAt = new Date().toISOString();
      if (!inTransaction && payoutKeyOf(row) === null) {
        // No payout status to move: one statement is its own transaction, one round trip.
        const res = await db.query(INSERT_SQL, values(row, receivedAt));
        return { inserted: res.rowCount === 1 };
      }
      const client = await db.connect();
      try {
        await client.query('BEGIN');
        const res = await client.query(INSERT_SQL, values(row, receivedAt));
        const inserted = res.rowCount === 1;
        const change = inserted ? await moveStatus(client, row, receivedAt) : null;
        if (inserted && inTransaction) await inTransaction({ client }, change);
        await client.query('COMMIT');
        return { inserted };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async get(provider, eventId) {
      const { rows } = await db.query<PgRow>('SELECT * FROM webhook_receipts WHERE provider = $1 AND event_id = $2', [provider, escapeText(eventId)]);
      return rows[0] && toStored(fromPg(rows[0]));
    },
    async getStatus(provider, reference) {
      const { rows } = await db.query<PgStatusRow>(`SELECT * FROM payout_status WHERE ${STATUS_WHERE}`, [provider, escapeText(reference)]);
      return rows[0] && toStatus(statusFromPg(rows[0]));
    },
    async list(query) {
      const plan = listPlan(query);
      const rows = (await planned<PgRow>(plan.sql, plan.params)).map(fromPg);
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      if (rows.length > query.limit && last) return { rows: page.map(toStored), next_cursor: encodeCursor({ at: last.received_at, seq: last.seq }) };
      // A short page of a bounded walk: continue below the last entry examined, if the walk stopped at its budget.
      const stop = plan.probe && (await planned<{ received_at: Date; seq: string }>(plan.probe.sql, plan.probe.params))[0];
      return { rows: page.map(toStored), next_cursor: stop ? encodeCursor({ at: stop.received_at.toISOString(), seq: Number(stop.seq) }) : null };
    },
    async explain(query) {
      const plan = listPlan(query);
      const explain = async (sql: string, params: unknown[]) => (await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params)).rows.map((r) => r['QUERY PLAN']);
      return [...(await explain(plan.sql, plan.params)), ...(plan.probe ? await explain(plan.probe.sql, plan.probe.params) : [])].join('\n');
    },
    async quarantine(delivery) {
      const d = checkQuarantined(delivery);
      const row: Record<(typeof QUARANTINE_COLUMNS)[number], unknown> = {
        ...d,
        issues: JSON.stringify(d.issues),
        headers: JSON.stringify(d.headers),
        body: Buffer.from(d.body.buffer, d.body.byteOffset, d.body.byteLength),
        received_at: new Date().toISOString(),
      };
      const res = await db.query(
        QUARANTINE_INSERT_SQL,
        QUARANTINE_COLUMNS.map((c) => (QUARANTINE_ESCAPED.has(c) ? escapeText(row[c] as string | null) : row[c])),
      );
      return { inserted: res.rowCount === 1 };
    },
    async getQuarantined(provider, webhookId) {
      const { rows } = await db.query<PgQuarantineRow>('SELECT * FROM webhook_quarantine WHERE provider = $1 AND webhook_id = $2', [provider, escapeText(webhookId)]);
      return rows[0] && toQuarantined(quarantineFromPg(rows[0]));
    },
    async listQuarantine(query) {
      const { sql, params } = quarantinePageQuery(query, (i) => `$${i}`);
      return quarantinePage((await run<PgQuarantineRow>(sql, params)).map(quarantineFromPg), query.limit);
    },
    replayQuarantined(provider, webhookId, options) {
      return replayQuarantined(store, provider, webhookId, options);
    },
    async markReplayed(provider, webhookId) {
      await db.query('UPDATE webhook_quarantine SET replayed_at = now() WHERE provider = $1 AND webhook_id = $2 AND replayed_at IS NULL', [
        provider,
        escapeText(webhookId),
      ]);
    },
    async close() {
      if (own) await db.end();
    },
  };
  return store;
}
