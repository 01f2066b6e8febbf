/**
 * The partner's durable webhook receipt store: one SQLite file, `<dataDir>/receipts.sqlite`, created on
 * first use. One row per (provider, event_id): LIQX rows are keyed by webhook id, the cash-out reference
 * and Ipay rows (providers without event ids) by `sha256:<hex>` of the canonical payload, as
 * `receiptKey()` of liqx-payout-widget/webhooks computes it. Rows are normalized PayoutReceipts.
 *
 * Durability: WAL. The webhook endpoint acknowledges 2xx only after the row's transaction has committed.
 * With the default synchronous=NORMAL a committed row survives a crash or `kill -9` of the server (the WAL
 * is written before commit returns); synchronous=FULL (option or RECEIPTS_SYNCHRONOUS=FULL) also survives
 * power loss, at one fsync per commit (the endpoints group commits: see commit() below).
 *
 *   const store = openReceiptStore('.data');
 *   store.insert({ provider: 'liqx', event_id, ... }) -> { inserted: true | false (duplicate), row }
 *   await store.commit(receipt) -> { inserted }   group commit: what arrives in one turn of the event loop
 *                                                 shares one transaction; resolves after that commit
 *   store.list({ limit: 20, intent_id, external_ref, event_type, status, since }) -> rows, newest first
 *   store.close()
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as z from 'zod';

export const RECEIPTS_FILE = 'receipts.sqlite';
export const PROVIDERS = ['liqx', 'cashout-reference', 'ipay'] as const;

export const NewReceipt = z.object({
  provider: z.enum(PROVIDERS),
  /** The provider's event / webhook id: the idempotency key. */
  event_id: z.string().min(1),
  event_type: z.string().min(1),
  intent_id: z.string().nullable(),
  external_ref: z.string().nullable(),
  status: z.string().min(1),
  phase: z.string().nullable(),
  /** Null where the provider does not count deliveries (Ipay). */
  attempts: z.number().int().min(1).nullable(),
  /** The provider's payout id: LIQX intent_id, cash-out reference code, Ipay payout_id. */
  reference: z.string().nullable().default(null),
  amount_minor: z.number().int().nullable().default(null),
  currency: z.string().nullable().default(null),
  failure_code: z.string().nullable(),
  failure_message: z.string().nullable(),
  occurred_at: z.string(),
  /** The verified body, stored verbatim (JSON text). */
  payload: z.string(),
});
export type NewReceipt = z.infer<typeof NewReceipt>;

/** A stored receipt as the events API returns it. */
export interface ReceiptRow extends Omit<z.output<typeof NewReceipt>, 'event_id' | 'payload'> {
  webhook_id: string;
  received_at: string;
  payload: unknown;
}

export interface ReceiptQuery {
  limit: number;
  provider?: (typeof PROVIDERS)[number];
  intent_id?: string;
  external_ref?: string;
  event_type?: string;
  status?: string;
  /** ISO 8601; rows received at or after it. */
  since?: string;
}

export interface ReceiptStore {
  readonly path: string;
  insert(receipt: z.input<typeof NewReceipt>): { inserted: boolean; row: ReceiptRow };
  /**
   * Group commit, for the webhook endpoints: validates at once (throws on a bad receipt), queues the row and
   * resolves after the transaction that holds it has committed, so a 2xx still means durable. Receipts queued
   * in the same turn of the event loop share one transaction, and one WAL write instead of one each.
   */
  commit(receipt: z.input<typeof NewReceipt>): Promise<{ inserted: boolean }>;
  get(provider: NewReceipt['provider'], eventId: string): ReceiptRow | undefined;
  list(query: ReceiptQuery): ReceiptRow[];
  close(): void;
}

const SCHEMA = `
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
);
CREATE INDEX IF NOT EXISTS webhook_receipts_intent ON webhook_receipts (intent_id);
CREATE INDEX IF NOT EXISTS webhook_receipts_external_ref ON webhook_receipts (external_ref);
CREATE INDEX IF NOT EXISTS webhook_receipts_received ON webhook_receipts (received_at);
-- The provider filter reads newest first too; without this SQLite walks the unique index and sorts every row.
CREATE INDEX IF NOT EXISTS webhook_receipts_provider_received ON webhook_receipts (provider, received_at);
`;

interface DbRow extends z.output<typeof NewReceipt> {
  seq: number;
  received_at: string;
}

function toRow(r: DbRow): ReceiptRow {
  return {
    webhook_id: r.event_id,
    provider: r.provider,
    event_type: r.event_type,
    intent_id: r.intent_id,
    external_ref: r.external_ref,
    status: r.status,
    phase: r.phase,
    attempts: r.attempts,
    reference: r.reference,
    amount_minor: r.amount_minor,
    currency: r.currency,
    failure_code: r.failure_code,
    failure_message: r.failure_message,
    occurred_at: r.occurred_at,
    received_at: r.received_at,
    payload: JSON.parse(r.payload),
  };
}

const V1_COLUMNS =
  'seq, provider, event_id, event_type, intent_id, external_ref, status, phase, attempts, failure_code, failure_message, occurred_at, received_at, payload';

/**
 * Rebuilds a table of the first, LIQX-only shape (attempts NOT NULL, no reference / amount columns) into the
 * current one, keeping every row, in one transaction. SQLite cannot drop a NOT NULL in place.
 */
function migrate(db: Database.Database): void {
  const cols = db.prepare('PRAGMA table_info(webhook_receipts)').all() as { name: string; notnull: number }[];
  if (!cols.length || (cols.some((c) => c.name === 'reference') && !cols.find((c) => c.name === 'attempts')?.notnull)) return;
  db.transaction(() => {
    db.exec('ALTER TABLE webhook_receipts RENAME TO webhook_receipts_v1');
    for (const index of ['intent', 'external_ref', 'received']) db.exec(`DROP INDEX IF EXISTS webhook_receipts_${index}`);
    db.exec(SCHEMA);
    db.exec(`INSERT INTO webhook_receipts (${V1_COLUMNS}) SELECT ${V1_COLUMNS} FROM webhook_receipts_v1`);
    db.exec('DROP TABLE webhook_receipts_v1');
  })();
}

export interface ReceiptStoreOptions {
  /** SQLite `synchronous` in WAL mode: NORMAL survives process crashes, FULL also power loss. */
  synchronous?: 'NORMAL' | 'FULL';
  /** How long a write waits for another connection's lock before failing (default 5000 ms). */
  busyTimeoutMs?: number;
}

export function openReceiptStore(dataDir: string, options: ReceiptStoreOptions = {}): ReceiptStore {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, RECEIPTS_FILE);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  const synchronous = options.synchronous ?? (process.env.RECEIPTS_SYNCHRONOUS === 'FULL' ? 'FULL' : 'NORMAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
  migrate(db);
  db.exec(SCHEMA);

  const insertStmt = db.prepare(`
    INSERT INTO webhook_receipts
      (provider, event_id, event_type, intent_id, external_ref, status, phase, attempts,
       failure_code, failure_message, occurred_at, received_at, payload, reference, amount_minor, currency)
    VALUES
      (@provider, @event_id, @event_type, @intent_id, @external_ref, @status, @phase, @attempts,
       @failure_code, @failure_message, @occurred_at, @received_at, @payload, @reference, @amount_minor, @currency)
    ON CONFLICT (provider, event_id) DO NOTHING`);
  const getStmt = db.prepare('SELECT * FROM webhook_receipts WHERE provider = ? AND event_id = ?');

  const get = (provider: NewReceipt['provider'], eventId: string) => {
    const row = getStmt.get(provider, eventId) as DbRow | undefined;
    return row && toRow(row);
  };

  const run = (valid: NewReceipt) => insertStmt.run({ ...valid, received_at: new Date().toISOString() }).changes === 1;

  type Pending = { valid: NewReceipt; resolve: (r: { inserted: boolean }) => void; reject: (e: unknown) => void };
  let queue: Pending[] = [];
  const runBatch = db.transaction((batch: Pending[]) => batch.map((p) => run(p.valid)));
  const flush = () => {
    const batch = queue;
    queue = [];
    let results: boolean[];
    try {
      results = runBatch(batch);
    } catch (error) {
      // The whole transaction rolled back: nothing of the batch is stored, every caller answers non-2xx.
      for (const p of batch) p.reject(error);
      return;
    }
    batch.forEach((p, i) => p.resolve({ inserted: results[i]! }));
  };

  return {
    path,
    insert(receipt) {
      const valid = NewReceipt.parse(receipt);
      return { inserted: run(valid), row: get(valid.provider, valid.event_id)! };
    },
    commit(receipt) {
      const valid = NewReceipt.parse(receipt);
      return new Promise((resolve, reject) => {
        if (!db.open) return reject(new Error('The receipt store is closed.'));
        // setImmediate: after the I/O callbacks of this turn, so requests that arrived together commit together.
        if (queue.push({ valid, resolve, reject }) === 1) setImmediate(flush);
      });
    },
    get,
    list(query) {
      const where: string[] = [];
      const params: Record<string, string | number> = { limit: query.limit };
      const filters = ['provider', 'intent_id', 'external_ref', 'event_type', 'status'] as const;
      for (const key of filters) {
        const value = query[key];
        if (value !== undefined) {
          where.push(`${key} = @${key}`);
          params[key] = value;
        }
      }
      if (query.since !== undefined) {
        where.push('received_at >= @since');
        params.since = new Date(query.since).toISOString();
      }
      const sql = `SELECT * FROM webhook_receipts ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
                   ORDER BY received_at DESC, seq DESC LIMIT @limit`;
      return (db.prepare(sql).all(params) as DbRow[]).map(toRow);
    },
    close() {
      if (queue.length && db.open) flush();
      if (db.open) db.close();
    },
  };
}
