/**
 * The receipt store contract both engines implement (./sqlite-store.ts, ./postgres-store.ts), and the pieces they
 * share: the row schema, the query, the cursor. One row per (provider, event_id); rows are normalized
 * PayoutReceipts plus the verified body.
 */
import * as z from 'zod';
import { ReceiptStatus, WebhookProvider } from '../webhooks/index.js';
import { oneReading } from './json-keys.js';
import type { PayoutStatus, PayoutStatusChange } from './payout-status.js';
import type { NewQuarantined, QuarantinePage, QuarantineQuery, QuarantinedDelivery, ReplayOptions, ReplayResult } from './quarantine.js';

/** A receipt as the store takes it (built by `toNewReceipt` from a normalized PayoutReceipt). */
export const NewReceipt = z.object({
  provider: WebhookProvider,
  /** The idempotency key within the provider: the webhook id, or `sha256:<hex>` of the canonical payload. */
  event_id: z.string().min(1).max(512),
  event_type: z.string().min(1),
  intent_id: z.string().nullable(),
  external_ref: z.string().nullable(),
  status: ReceiptStatus,
  /** Whom the payout belongs to on the partner's side (PayoutReceipt.owner); null when the provider sends none. */
  owner: z.string().nullable().default(null),
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
  /** The verified body as JSON text; a body naming a key twice is kept as the JSON it was read as (./json-keys.ts). */
  payload: z.string().transform(oneReading),
});
export type NewReceipt = z.output<typeof NewReceipt>;

/** A stored receipt, as the receipts API returns it. */
export interface StoredReceipt extends Omit<NewReceipt, 'event_id' | 'payload'> {
  webhook_id: string;
  /** ISO 8601 UTC, set by the store when the row was inserted. */
  received_at: string;
  payload: unknown;
}

/** The filters of a read; every one is served by an index on both engines. */
export interface ReceiptQuery {
  /** 1..100. */
  limit: number;
  /** Only this owner's rows. The receipts handler always sets it, unless its reader is an operator. */
  owner?: string;
  provider?: WebhookProvider;
  intent_id?: string;
  external_ref?: string;
  event_type?: string;
  status?: ReceiptStatus;
  /** ISO 8601; rows received at or after it. */
  since?: string;
  /** From a previous page's `next_cursor`. */
  cursor?: string;
}

export interface ReceiptPage {
  /** Newest first (received_at, then insertion order). */
  rows: StoredReceipt[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  next_cursor: string | null;
}

/**
 * A receipt store. `Tx` is what `insert`'s callback gets inside the insert's transaction: the engine's own
 * handle, so a partner's side effects (an outbox row, a ledger entry) commit or roll back with the receipt.
 */
export interface ReceiptStore<Tx = unknown> {
  readonly engine: 'sqlite' | 'postgres';
  /**
   * Inserts once per (provider, event_id) and resolves after the commit. When the row is new, the payout's current
   * status moves in the same transaction by the order of ./payout-status.ts, then `inTransaction` runs inside it
   * before the commit, with the status change this receipt made (null when it made none: a stale or repeated
   * status, or no payout reference); if it throws, that transaction rolls back (no row, no status move) and the
   * promise rejects. A duplicate resolves `{ inserted: false }` without calling it.
   */
  insert(
    receipt: z.input<typeof NewReceipt>,
    inTransaction?: (tx: Tx, change: PayoutStatusChange | null) => unknown,
  ): Promise<{ inserted: boolean }>;
  get(provider: WebhookProvider, eventId: string): Promise<StoredReceipt | undefined>;
  /** The payout's current status, by (provider, reference: LIQX intent id, cash-out code, Ipay payout id). */
  getStatus(provider: WebhookProvider, reference: string): Promise<PayoutStatus | undefined>;
  /** One page, newest first. @throws {InvalidCursorError} for a cursor this store did not produce */
  list(query: ReceiptQuery): Promise<ReceiptPage>;
  /** The engine's query plan for `list(query)` (SQLite EXPLAIN QUERY PLAN, PostgreSQL EXPLAIN), one step a line. */
  explain(query: ReceiptQuery): Promise<string>;
  /**
   * Keeps a verified delivery the parser refused (./quarantine.ts), once per (provider, webhook_id): a retried
   * delivery of it resolves `{ inserted: false }` and keeps the first copy.
   */
  quarantine(delivery: NewQuarantined): Promise<{ inserted: boolean }>;
  getQuarantined(provider: WebhookProvider, webhookId: string): Promise<QuarantinedDelivery | undefined>;
  /** One page of the quarantine, newest first. @throws {InvalidCursorError} for a cursor this store did not produce */
  listQuarantine(query: QuarantineQuery): Promise<QuarantinePage>;
  /**
   * Reads a quarantined delivery's stored bytes again with the parser of the kit installed now and, when they read,
   * stores the receipt through `insert` (idempotent, the callbacks once, the payout status moved) and marks the
   * delivery replayed. Safe to run twice, or at once on many instances: one receipt.
   */
  replayQuarantined(provider: WebhookProvider, webhookId: string, options?: ReplayOptions<Tx>): Promise<ReplayResult>;
  /** Sets `replayed_at` once (a later call keeps the first time); `replayQuarantined` calls it after the receipt's commit. */
  markReplayed(provider: WebhookProvider, webhookId: string): Promise<void>;
  close(): Promise<void>;
}

/** The columns a filter maps to, in one place for both engines' SQL. */
export const FILTER_COLUMNS = ['owner', 'provider', 'intent_id', 'external_ref', 'event_type', 'status'] as const;

/**
 * The indexes behind every filter shape, shared by both engines' migrations. Reads order by
 * (received_at DESC, seq DESC), so each index ends with those two columns: a filter is an index range read
 * newest-first that stops after `limit` rows, with no sort, and `since` narrows the same range.
 */
export const INDEXES: readonly { name: string; columns: string }[] = [
  { name: 'webhook_receipts_received', columns: 'received_at, seq' },
  ...FILTER_COLUMNS.map((c) => ({ name: `webhook_receipts_${c}_received`, columns: `${c}, received_at, seq` })),
];
/** The index of the `owner` column, which a later migration adds (the others predate it). */
export const OWNER_INDEX = INDEXES.find((i) => i.name === 'webhook_receipts_owner_received')!;
/** The indexes the first index migration creates: all but the owner's. */
export const V2_INDEXES = INDEXES.filter((i) => i !== OWNER_INDEX);

/**
 * Filter pairs that an index serves together, on PostgreSQL: a status within one owner's or one event type's rows.
 * Each is a common read (a user's failed payouts; failed transfers) whose two filters, walked on one column's index,
 * can match nothing together for as long as the walk's budget lasts. SQLite walks that budget in well under the
 * goal on its own thread (./sqlite-reader.ts), so it keeps one index fewer per insert.
 */
export const PAIR_INDEXES = [
  { name: 'webhook_receipts_owner_status_received', columns: ['owner', 'status'] },
  { name: 'webhook_receipts_event_type_status_received', columns: ['event_type', 'status'] },
] as const satisfies readonly { name: string; columns: readonly (typeof FILTER_COLUMNS)[number][] }[];

/** A quarantine page's size bound (QuarantineQuery.limit). */
export const MAX_QUARANTINE_PAGE = 100;

/** Thrown by `list` for a cursor that does not decode; the receipts handler answers 400. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

/** Position after the last row of a page: its (received_at, seq). Opaque to clients (base64url JSON). */
export interface Cursor {
  at: string;
  seq: number;
}
/** A timestamp both engines can compare: ISO 8601 in UTC as `toISOString` writes it, years 1970..9999. */
export const isStoreTimestamp = (value: string): boolean => {
  const ms = Date.parse(value);
  return ms >= 0 && ms < Date.UTC(10_000, 0, 1) && new Date(ms).toISOString() === value;
};
const CursorJson = z.tuple([z.string().refine(isStoreTimestamp), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)]);

// btoa/atob rather than Buffer: the handlers also run on edge runtimes. The JSON is ASCII (an ISO date, a number).
export function encodeCursor(c: Cursor): string {
  return btoa(JSON.stringify([c.at, c.seq])).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeCursor(text: string): Cursor {
  try {
    const [at, seq] = CursorJson.parse(JSON.parse(atob(text.replace(/-/g, '+').replace(/_/g, '/'))));
    return { at, seq };
  } catch {
    throw new InvalidCursorError('The cursor is not one this API produced.');
  }
}
