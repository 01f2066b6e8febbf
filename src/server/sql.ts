/**
 * The SQL both engines share for reads: the WHERE clause of a query and the row mapping. Placeholders differ
 * (`?` vs `$n`), so the builder takes a function that names the next one.
 */
import { FILTER_COLUMNS, decodeCursor, type ReceiptQuery, type StoredReceipt } from './store.js';

export interface ListSql {
  where: string;
  params: unknown[];
}

/** What differs between the engines' WHERE clauses. */
export interface Dialect {
  /** How a text value is stored, so a filter value is compared in the same form (PostgreSQL escapes U+0000). */
  encode?: (value: string) => string;
  /**
   * Columns whose index holds a bounded key, `left(column, KEY_CHARS)`, rather than the whole value (PostgreSQL
   * refuses index entries over about 2.7 KB). A filter compares the key, which the index serves, then the value.
   */
  keyed?: readonly string[];
}

/** Characters of a long value that its index key holds. */
export const KEY_CHARS = 256;

/**
 * Filters plus the cursor, all as conjuncts an index range can serve: `received_at <= at` bounds the range,
 * the `OR` only breaks ties among rows of the same millisecond.
 */
export function listWhere(query: ReceiptQuery, placeholder: (index: number) => string, dialect: Dialect = {}): ListSql {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return placeholder(params.length);
  };
  for (const column of FILTER_COLUMNS) {
    const value = query[column];
    if (value === undefined) continue;
    const param = p(dialect.encode ? dialect.encode(value) : value);
    where.push(dialect.keyed?.includes(column) ? `left(${column}, ${KEY_CHARS}) = left(${param}, ${KEY_CHARS}) AND ${column} = ${param}` : `${column} = ${param}`);
  }
  if (query.since !== undefined) where.push(`received_at >= ${p(new Date(query.since).toISOString())}`);
  if (query.cursor !== undefined) {
    const { at, seq } = decodeCursor(query.cursor);
    const atParam = p(at);
    where.push(`received_at <= ${atParam} AND (received_at < ${atParam} OR seq < ${p(seq)})`);
  }
  return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

/** A database row (either engine, after its own type fix-ups) as the API's StoredReceipt. */
export interface DbRow {
  seq: number;
  provider: StoredReceipt['provider'];
  event_id: string;
  event_type: string;
  intent_id: string | null;
  external_ref: string | null;
  status: StoredReceipt['status'];
  owner: string | null;
  phase: string | null;
  attempts: number | null;
  reference: string | null;
  amount_minor: number | null;
  currency: string | null;
  failure_code: string | null;
  failure_message: string | null;
  occurred_at: string;
  received_at: string;
  payload: string;
}

export function toStored(r: DbRow): StoredReceipt {
  return {
    webhook_id: r.event_id,
    provider: r.provider,
    event_type: r.event_type,
    intent_id: r.intent_id,
    external_ref: r.external_ref,
    status: r.status,
    owner: r.owner,
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

export const INSERT_COLUMNS = [
  'provider', 'event_id', 'event_type', 'intent_id', 'external_ref', 'status', 'phase', 'attempts', 'failure_code',
  'failure_message', 'occurred_at', 'received_at', 'payload', 'reference', 'amount_minor', 'currency', 'owner',
] as const;
