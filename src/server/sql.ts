/**
 * The SQL both engines share for reads: the WHERE clause of a query and the row mapping. Placeholders differ
 * (`?` vs `$n`), so the builder takes a function that names the next one.
 */
import { TERMINAL_RECEIPT_STATUSES } from '../webhooks/receipt.js';
import type { PayoutStatus } from './payout-status.js';
import { FILTER_COLUMNS, decodeCursor, type ReceiptQuery, type StoredReceipt } from './store.js';

/** What differs between the engines' WHERE clauses. */
export interface Dialect {
  /** How a text value is stored, so a filter value is compared in the same form (PostgreSQL escapes U+0000). */
  encode?: (value: string) => string;
  /**
   * Columns whose index holds a bounded key, `left(column, KEY_CHARS)`, rather than the whole value (PostgreSQL
   * refuses index entries over about 2.7 KB). A filter compares the key, which the index serves, then the value.
   */
  keyed?: readonly string[];
  /** Filter pairs an index serves together (store.ts PAIR_INDEXES), on engines that have them. */
  pairs?: readonly (readonly FilterColumn[])[];
}
type FilterColumn = (typeof FILTER_COLUMNS)[number];

/** Characters of a long value that its index key holds. */
export const KEY_CHARS = 256;

/**
 * Index entries one filtered read examines at most. A read whose filters no single index serves (provider + status;
 * on SQLite also type + status, owner + status) walks the most selective filter's index newest-first and checks the
 * others on each row; without a bound, filters that match nothing together would walk the whole index. Past the
 * budget the page comes back short (possibly empty) with a `next_cursor` that continues where the walk stopped, so
 * a read costs at most this many entries, whatever its filters match: about three `intent_id` lookups on either
 * engine, counting the request around it; a sparse combination takes more pages, each as cheap.
 */
export const SCAN_BUDGET = 500;

/** The filter whose index a read walks: the first present, most selective first. */
const LEAD_ORDER = ['intent_id', 'external_ref', 'owner', 'event_type', 'provider', 'status'] as const satisfies readonly FilterColumn[];

/**
 * The filters a read's index range holds: an intent or an external_ref alone (a few rows each); else a pair with an
 * index of its own, when both are present (its range holds exactly the pair's matches, so the pair never walks);
 * else the first present filter of LEAD_ORDER.
 */
function leadOf(present: readonly FilterColumn[], pairs: readonly (readonly FilterColumn[])[]): readonly FilterColumn[] {
  const first = present[0];
  if (first === undefined) return [];
  if (first === 'intent_id' || first === 'external_ref') return [first];
  return pairs.find((pair) => pair.every((c) => present.includes(c))) ?? [first];
}

const ORDER = 'ORDER BY received_at DESC, seq DESC';

/** A read's SQL: the page (`limit + 1` rows) and, when the walk is bounded, the probe for where it stopped. */
export interface ListPlan {
  sql: string;
  params: unknown[];
  /** The `SCAN_BUDGET`-th entry of the walk (received_at, seq), if there is one: the page's cursor when it is short. */
  probe?: { sql: string; params: unknown[] };
}

/**
 * The page query. Every conjunct is one an index range serves: the lead filter, `since`, and the cursor
 * (`received_at <= at` bounds the range; the `OR` only breaks ties among rows of the same millisecond). The other
 * filters are checked on at most SCAN_BUDGET rows of that range.
 */
export function listQuery(query: ReceiptQuery, placeholder: (index: number) => string, dialect: Dialect = {}): ListPlan {
  const build = (withRest: boolean) => {
    const params: unknown[] = [];
    const p = (value: unknown) => {
      params.push(value);
      return placeholder(params.length);
    };
    const filter = (column: (typeof FILTER_COLUMNS)[number]) => {
      const value = dialect.encode ? dialect.encode(query[column]!) : query[column]!;
      const param = p(value);
      if (!dialect.keyed?.includes(column)) return `${column} = ${param}`;
      // A value shorter than the key is its own key: equal keys mean equal values, and the planner, given one
      // condition rather than two on the same column, estimates the matches right.
      if (value.length < KEY_CHARS) return `left(${column}, ${KEY_CHARS}) = ${param}`;
      return `left(${column}, ${KEY_CHARS}) = left(${param}, ${KEY_CHARS}) AND ${column} = ${param}`;
    };
    const present = LEAD_ORDER.filter((c) => query[c] !== undefined);
    const lead = leadOf(present, dialect.pairs ?? []);
    const range: string[] = lead.map(filter);
    if (query.since !== undefined) range.push(`received_at >= ${p(new Date(query.since).toISOString())}`);
    if (query.cursor !== undefined) {
      const { at, seq } = decodeCursor(query.cursor);
      const atParam = p(at);
      range.push(`received_at <= ${atParam} AND (received_at < ${atParam} OR seq < ${p(seq)})`);
    }
    const where = range.length ? `WHERE ${range.join(' AND ')}` : '';
    const rest = present.filter((c) => !lead.includes(c));
    if (!withRest) return { sql: `SELECT received_at, seq FROM webhook_receipts ${where} ${ORDER} LIMIT 1 OFFSET ${SCAN_BUDGET - 1}`, params, bounded: true };
    if (!rest.length) return { sql: `SELECT * FROM webhook_receipts ${where} ${ORDER} LIMIT ${p(query.limit + 1)}`, params, bounded: false };
    const scan = `SELECT * FROM webhook_receipts ${where} ${ORDER} LIMIT ${SCAN_BUDGET}`;
    return { sql: `SELECT * FROM (${scan}) AS scan WHERE ${rest.map(filter).join(' AND ')} ${ORDER} LIMIT ${p(query.limit + 1)}`, params, bounded: true };
  };
  const page = build(true);
  if (!page.bounded) return { sql: page.sql, params: page.params };
  const probe = build(false);
  return { sql: page.sql, params: page.params, probe: { sql: probe.sql, params: probe.params } };
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

/** The payout_status columns, in the order both engines' upserts bind them. */
export const STATUS_COLUMNS = [
  'provider', 'reference', 'status', 'event_id', 'event_type', 'occurred_at', 'intent_id', 'external_ref', 'owner', 'updated_at',
] as const;

/** A payout_status row (either engine, after its own type fix-ups). */
export interface StatusDbRow {
  provider: PayoutStatus['provider'];
  reference: string;
  status: PayoutStatus['status'];
  event_id: string;
  event_type: string;
  occurred_at: string;
  intent_id: string | null;
  external_ref: string | null;
  owner: string | null;
  updated_at: string;
}

export const toStatus = (r: StatusDbRow): PayoutStatus => ({
  provider: r.provider,
  reference: r.reference,
  status: r.status,
  terminal: TERMINAL_RECEIPT_STATUSES.includes(r.status),
  webhook_id: r.event_id,
  event_type: r.event_type,
  occurred_at: r.occurred_at,
  intent_id: r.intent_id,
  external_ref: r.external_ref,
  owner: r.owner,
  updated_at: r.updated_at,
});

export const statusRow = (s: PayoutStatus): StatusDbRow => ({
  provider: s.provider,
  reference: s.reference,
  status: s.status,
  event_id: s.webhook_id,
  event_type: s.event_type,
  occurred_at: s.occurred_at,
  intent_id: s.intent_id,
  external_ref: s.external_ref,
  owner: s.owner,
  updated_at: s.updated_at,
});
