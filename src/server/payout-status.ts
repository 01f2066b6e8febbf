/**
 * The current status of a payout, and the one rule that moves it. Receipts are append-only events that can arrive
 * in any order (a late `pending` after `completed`, Ipay's `in_progress` after `successful`); the status is what
 * they add up to, whatever order they were stored in.
 *
 * The order, applied by both stores in the transaction that inserts the receipt:
 *   1. A terminal status (`completed`, `failed`, `canceled`, `expired`) wins over any non-terminal one.
 *   2. A terminal status never changes again: the FIRST terminal receipt stored wins, and a later terminal one
 *      (even a different one) is kept as a receipt but does not move the status.
 *   3. Among non-terminal statuses, the providers' sequence `created < awaiting < pending < in_progress`: a status
 *      only moves forward in it.
 *   4. For the same status, the event's timestamp (`occurred_at`): a later event of the same status becomes the
 *      recorded one (its webhook id and time), which is not a status change.
 * A payout is keyed by (provider, reference): the LIQX intent id, the cash-out reference code, the Ipay payout id.
 * A receipt without a reference (a cash-out reference that FAILED before it got a code) has no payout status.
 */
import type { PayoutReceipt, ReceiptStatus, WebhookProvider } from '../webhooks/index.js';
import { TERMINAL_RECEIPT_STATUSES } from '../webhooks/receipt.js';
import type { NewReceipt } from './store.js';

/** The non-terminal statuses in the order every provider's payout goes through them. */
export const NON_TERMINAL_SEQUENCE: readonly ReceiptStatus[] = ['created', 'awaiting', 'pending', 'in_progress'];

const isTerminal = (s: ReceiptStatus) => TERMINAL_RECEIPT_STATUSES.includes(s);

/** A status's place in the order: non-terminal by sequence, every terminal status above them all. */
export function statusRank(status: ReceiptStatus): number {
  return isTerminal(status) ? NON_TERMINAL_SEQUENCE.length : NON_TERMINAL_SEQUENCE.indexOf(status);
}

/** A payout's current status, as `store.getStatus` returns it. */
export interface PayoutStatus {
  provider: WebhookProvider;
  /** The provider's payout id (the key, with `provider`). */
  reference: string;
  status: ReceiptStatus;
  /** True for `completed`, `failed`, `canceled`, `expired`: the status will not change again. */
  terminal: boolean;
  /** The receipt that set the status (for the same status, the latest of them by `occurred_at`). */
  webhook_id: string;
  event_type: string;
  occurred_at: string;
  intent_id: string | null;
  external_ref: string | null;
  /** The owner of the first receipt of the payout that named one. */
  owner: string | null;
  /** ISO 8601 UTC, set by the store when the status last moved. */
  updated_at: string;
}

/** One real change of a payout's status, as `onStatusChange` gets it. */
export interface PayoutStatusChange {
  provider: WebhookProvider;
  reference: string;
  /** Null for the payout's first receipt. */
  from: ReceiptStatus | null;
  to: ReceiptStatus;
  /** The payout's status after the change. */
  current: PayoutStatus;
}

/** What a new receipt does to the stored status: `change` it, `refresh` the recorded event (same status, later), or nothing. */
export type StatusStep = 'change' | 'refresh' | 'stale';

/** The rule (module comment): what `next` does to `current`. */
export function statusStep(current: Pick<PayoutStatus, 'status' | 'occurred_at'> | undefined, next: Pick<NewReceipt, 'status' | 'occurred_at'>): StatusStep {
  if (!current) return 'change';
  if (isTerminal(current.status)) return 'stale';
  const a = statusRank(current.status);
  const b = statusRank(next.status);
  if (b > a) return 'change';
  if (b < a || next.status !== current.status) return 'stale';
  return Date.parse(next.occurred_at) > Date.parse(current.occurred_at) ? 'refresh' : 'stale';
}

/** The payout key of a receipt, or null when it names no payout. */
export const payoutKeyOf = (r: Pick<NewReceipt, 'reference' | 'intent_id'>): string | null => r.reference ?? r.intent_id ?? null;

/** The status row a receipt would write (the owner is merged by the store: the first one named stays). */
export function statusFrom(r: NewReceipt, reference: string, updatedAt: string, owner: string | null): PayoutStatus {
  return {
    provider: r.provider,
    reference,
    status: r.status,
    terminal: isTerminal(r.status),
    webhook_id: r.event_id,
    event_type: r.event_type,
    occurred_at: r.occurred_at,
    intent_id: r.intent_id,
    external_ref: r.external_ref,
    owner,
    updated_at: updatedAt,
  };
}

/**
 * The SQL that rebuilds every payout's status from the stored receipts, for the migration that adds the table
 * (both engines: window functions and CASE only). The same rule as `statusStep`, over receipts in insertion order:
 * the earliest terminal receipt if any; else the highest status, then the latest `occurred_at`.
 */
export function backfillStatusSql(updatedAtExpr: string): string {
  const terminal = TERMINAL_RECEIPT_STATUSES.map((s) => `'${s}'`).join(', ');
  const rank = `CASE status ${NON_TERMINAL_SEQUENCE.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} ELSE ${NON_TERMINAL_SEQUENCE.length} END`;
  const key = 'COALESCE(reference, intent_id)';
  return `INSERT INTO payout_status (provider, reference, status, event_id, event_type, occurred_at, intent_id, external_ref, owner, updated_at)
    SELECT provider, k, status, event_id, event_type, occurred_at, intent_id, external_ref, first_owner, ${updatedAtExpr} FROM (
      SELECT r.*, ${key} AS k,
        ROW_NUMBER() OVER (PARTITION BY provider, ${key}
          ORDER BY ${rank} DESC, CASE WHEN status IN (${terminal}) THEN seq ELSE 0 END ASC, occurred_at DESC, seq ASC) AS pick,
        FIRST_VALUE(owner) OVER (PARTITION BY provider, ${key} ORDER BY CASE WHEN owner IS NULL THEN 1 ELSE 0 END, seq
          ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS first_owner
      FROM webhook_receipts r WHERE ${key} IS NOT NULL
    ) ranked WHERE pick = 1`;
}

/** What the webhook handler and `reconcile` run inside a receipt's transaction. */
export interface ReceiptCallbacks<Tx> {
  onReceipt?: ((receipt: PayoutReceipt, tx: Tx) => unknown) | undefined;
  onStatusChange?: ((change: PayoutStatusChange, tx: Tx) => unknown) | undefined;
}

/**
 * The insert callback both the webhook handler and `reconcile` pass to the store: `onReceipt`, then, when the
 * receipt moved the status, `onStatusChange`. Synchronous while both are (SQLite needs that); a promise from
 * `onReceipt` is awaited before `onStatusChange` runs. `failed()` is called when either throws, so the caller can
 * tell a partner callback's failure from the store's.
 */
export function receiptCallback<Tx>(
  callbacks: ReceiptCallbacks<Tx>,
  receipt: PayoutReceipt,
  failed: () => void,
): ((tx: Tx, change: PayoutStatusChange | null) => unknown) | undefined {
  const { onReceipt, onStatusChange } = callbacks;
  if (!onReceipt && !onStatusChange) return undefined;
  const guard = (run: () => unknown): unknown => {
    try {
      const result = run();
      if (result && typeof (result as PromiseLike<unknown>).then === 'function') {
        return Promise.resolve(result).catch((e: unknown) => {
          failed();
          throw e;
        });
      }
      return result;
    } catch (e) {
      failed();
      throw e;
    }
  };
  return (tx, change) => {
    const first = onReceipt ? guard(() => onReceipt(receipt, tx)) : undefined;
    if (!change || !onStatusChange) return first;
    if (first && typeof (first as PromiseLike<unknown>).then === 'function') return (first as Promise<unknown>).then(() => guard(() => onStatusChange(change, tx)));
    return guard(() => onStatusChange(change, tx));
  };
}
