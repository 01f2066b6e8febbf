/**
 * Recovery after missed webhooks: read the events LIQX sent since a time (`GET /v1/events`, every page) and store
 * each through the same idempotent insert a webhook delivery goes through. An event's id is the `webhook-id` its
 * deliveries carry and its payload is their body, so the row built here is the row a delivery would have stored,
 * under the same (provider, event_id) key: the store's insert-once decides, not this code. Hence running it twice,
 * while webhooks arrive, or on several instances at once stores each event once and calls `onReceipt` once per
 * new receipt (inside the insert's transaction, as the webhook handler does).
 *
 * The events list is read with the partner API key over TLS; it carries no webhook signature (a signature holds a
 * timestamp that is stale by the time anyone reconciles), so trust comes from the authenticated call.
 */
import { WebhookPayloadError, normalizePayoutWebhook, type PayoutReceipt } from '../webhooks/index.js';
import type { LiqxClient, LiqxRefusal } from './liqx-client.js';
import { MAX_EVENTS_PAGE, type LiqxEvent } from './liqx-contract.js';
import { toNewReceipt } from './receipt-row.js';
import { receiptCallback, type PayoutStatusChange } from './payout-status.js';
import { NewReceipt, type ReceiptStore } from './store.js';

export interface ReconcileOptions<Tx> {
  /** A LIQX client (`createLiqxClient`); only `listEvents` is used. */
  liqx: Pick<LiqxClient, 'listEvents'>;
  store: ReceiptStore<Tx>;
  /** Events created at or after this time (a Date, or ISO 8601 with zone). */
  since: string | Date;
  /**
   * Called once per new receipt, inside the insert's transaction, before the commit: the same contract as the
   * webhook handler's `onReceipt` (on SQLite it must finish synchronously). If it throws, that receipt rolls back
   * and is listed in `failed`; the run goes on with the next event.
   */
  onReceipt?: (receipt: PayoutReceipt, tx: Tx) => unknown;
  /** Called when a stored event moved its payout's status: the webhook handler's `onStatusChange` contract. */
  onStatusChange?: (change: PayoutStatusChange, tx: Tx) => unknown;
  /** Events per page, 1..100; default 100. */
  pageSize?: number;
  /** Stops between events; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** An event this run could not store. */
export interface ReconcileFailure {
  eventId: string;
  /** INVALID_PAYLOAD and the other WebhookPayloadError codes, RECEIPT_HANDLER_FAILED, or STORE_UNAVAILABLE. */
  code: string;
  message: string;
}

export interface ReconcileResult {
  /** Events LIQX listed since `since`. */
  events: number;
  /** Receipts this run stored; `onReceipt` ran once for each. */
  inserted: number;
  /** Events the store already held (delivered by a webhook, or stored by another run). */
  duplicates: number;
  /** The event ids of the receipts this run stored, in LIQX's order (oldest first). */
  insertedIds: string[];
  /** Events not stored; the others were. Run again once the cause is fixed: what is stored stays once. */
  failed: ReconcileFailure[];
}

/** `reconcile` could not list the events (bad `since`, or LIQX refused or was unreachable). */
export class ReconcileError extends Error {
  override readonly name = 'ReconcileError';
  constructor(
    message: string,
    /** INVALID_OPTIONS, or the LiqxRefusal's code (UPSTREAM_UNAVAILABLE, UNAUTHORIZED, ...). */
    readonly code: string,
    /** What the run had done before it stopped. */
    readonly partial: ReconcileResult,
    /** LIQX's refusal, when that is what stopped the run. */
    readonly refusal?: LiqxRefusal,
  ) {
    super(message);
  }
}

/** Stores one listed event the way the webhook handler stores a verified delivery. */
async function storeEvent<Tx>(event: LiqxEvent, options: ReconcileOptions<Tx>): Promise<{ inserted: boolean } | ReconcileFailure> {
  let receipt: PayoutReceipt;
  let built: NewReceipt;
  try {
    receipt = normalizePayoutWebhook('liqx', event.payload, { eventId: event.id, timeZone: 'UTC' });
    built = await toNewReceipt(receipt, JSON.stringify(event.payload));
  } catch (error) {
    // An event the reader refuses is this event's failure, not the run's.
    if (error instanceof WebhookPayloadError) return { eventId: event.id, code: error.code, message: error.message };
    throw error;
  }
  const row = NewReceipt.safeParse(built);
  if (!row.success) return { eventId: event.id, code: 'INVALID_PAYLOAD', message: 'The event cannot be stored as a receipt.' };
  let handlerFailed = false;
  try {
    return await options.store.insert(
      row.data,
      receiptCallback(options, receipt, () => {
        handlerFailed = true;
      }),
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return handlerFailed
      ? { eventId: event.id, code: 'RECEIPT_HANDLER_FAILED', message: `onReceipt failed; the receipt was rolled back: ${message}` }
      : { eventId: event.id, code: 'STORE_UNAVAILABLE', message: `The receipt could not be stored: ${message}` };
  }
}

/**
 * Pulls every LIQX event created since `since` and stores what the store lacks (see the module comment).
 *
 * @throws {ReconcileError} for an unreadable `since` or `pageSize`, or when LIQX refuses a page (nothing after it
 *   was read; what came before is stored and counted in `partial`)
 */
export async function reconcile<Tx>(options: ReconcileOptions<Tx>): Promise<ReconcileResult> {
  const result: ReconcileResult = { events: 0, inserted: 0, duplicates: 0, insertedIds: [], failed: [] };
  const sinceMs = options.since instanceof Date ? options.since.getTime() : Date.parse(options.since);
  if (Number.isNaN(sinceMs)) throw new ReconcileError('`since` must be a Date or an ISO 8601 date-time.', 'INVALID_OPTIONS', result);
  const limit = options.pageSize ?? MAX_EVENTS_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EVENTS_PAGE) {
    throw new ReconcileError(`\`pageSize\` must be an integer from 1 to ${MAX_EVENTS_PAGE}.`, 'INVALID_OPTIONS', result);
  }
  const since = new Date(sinceMs).toISOString();
  let cursor: string | undefined;
  do {
    options.signal?.throwIfAborted();
    const page = await options.liqx.listEvents({ since, limit, ...(cursor ? { cursor } : {}) });
    if (!page.ok) throw new ReconcileError(`LIQX refused the events list: ${page.code} (${page.message})`, page.code, result, page);
    for (const event of page.data.data) {
      options.signal?.throwIfAborted();
      result.events++;
      const stored = await storeEvent(event, options);
      if ('code' in stored) result.failed.push(stored);
      else if (stored.inserted) {
        result.inserted++;
        result.insertedIds.push(event.id);
      } else result.duplicates++;
    }
    cursor = page.data.next_cursor ?? undefined;
  } while (cursor);
  return result;
}
