/**
 * The partner proxy's HTTP contract as the host page sees it (demo/server implements it), and thin
 * fetch wrappers. Responses are read defensively: a failed call resolves to a typed failure, it never
 * throws into a component.
 */
import type {
  CASHOUT_EVENTS,
  IPAY_EVENTS,
  LIQX_EVENT_STATUS,
  ReceiptStatus,
  WebhookProvider,
} from '../../src/webhooks/internal.js';
import type { LiqxDeliveryAttempt, LiqxDeliveryLog, ReceiptPage as StoredReceiptPage, ReceiptsQuery, ReconcileResult, StoredReceipt } from '../../src/server/internal.js';
import type { ApiErrorBody, DemoConfig, PayoutCreated, PayoutRequest } from '../contract/partner.js';
import type { ScenarioSummary } from '../contract/scenarios.js';

// The wire shapes are the package's and the demo contract's (type-only imports: no schema code reaches this bundle).
export type { ApiErrorBody, ApiIssue, DemoConfig, PayoutCreated, PayoutRequest } from '../contract/partner.js';
export type { ScenarioId } from '../contract/scenarios.js';
/** A scenario as the page gets it from `GET /api/config`. */
export type Scenario = ScenarioSummary;

/** What one create call ended in. `raw` is the body exactly as received, for the diagnostics panel. */
export type CreateResult =
  | { kind: 'created'; httpStatus: number; body: PayoutCreated; raw: unknown }
  | { kind: 'invalid'; httpStatus: number; body: ApiErrorBody; raw: unknown }
  | { kind: 'upstream'; httpStatus: number; body: ApiErrorBody; raw: unknown }
  | { kind: 'network'; httpStatus: 0; message: string; raw: unknown };

/** A stored receipt, as the receipts API returns it. */
export type ReceiptRow = StoredReceipt;

/**
 * True when `List` names every member of `Union` and nothing else: the lists below are data the page renders, and
 * the package's types decide what they hold (a status or event type added there fails the typecheck here).
 */
type Exactly<List extends readonly string[], Union extends string> = [List[number]] extends [Union] ? ([Union] extends [List[number]] ? true : false) : false;

/** Receipt statuses the events endpoint filters on: the normalized PayoutReceipt statuses of every provider. */
export const RECEIPT_STATUSES = ['created', 'awaiting', 'pending', 'in_progress', 'completed', 'failed', 'canceled', 'expired'] as const;
true satisfies Exactly<typeof RECEIPT_STATUSES, ReceiptStatus>;

/** LIQX's event types: each ends a PAYOUT intent. */
export const LIQX_EVENT_TYPES = ['transaction.completed', 'transaction.failed', 'transaction.expired'] as const;
// Its event type is PAYMENT_REQUEST_CASHOUT throughout; the receipt keeps the sub-type (event_type_description).
const CASHOUT_TYPES = ['CASHOUT_REFERENCE_CREATED', 'CASHOUT_REFERENCE_COMPLETED', 'CASHOUT_REFERENCE_CANCELED', 'CASHOUT_REFERENCE_FAILED', 'CASHOUT_REFERENCE_EXPIRED'] as const;
// "payoutUpdate" is the spelling of the provider document's own example; its table says "payoutUpdated".
const IPAY_TYPES = ['payoutCreated', 'payoutUpdated', 'payoutUpdate', 'payoutFailure'] as const;
true satisfies Exactly<typeof LIQX_EVENT_TYPES, keyof typeof LIQX_EVENT_STATUS>;
true satisfies Exactly<typeof CASHOUT_TYPES, keyof typeof CASHOUT_EVENTS>;
true satisfies Exactly<typeof IPAY_TYPES, (typeof IPAY_EVENTS)[number]>;

/** The payout providers whose receipts share the store, with the raw event types each sends. */
export const RECEIPT_PROVIDERS = [
  { id: 'liqx', label: 'LIQX', eventTypes: LIQX_EVENT_TYPES },
  { id: 'cashout-reference', label: 'Cash-out reference', eventTypes: CASHOUT_TYPES },
  { id: 'ipay', label: 'Ipay', eventTypes: IPAY_TYPES },
] as const satisfies readonly { id: WebhookProvider; label: string; eventTypes: readonly string[] }[];
// The package's provider list decides: a provider it reads but this list lacks fails the typecheck here.
true satisfies WebhookProvider extends (typeof RECEIPT_PROVIDERS)[number]['id'] ? true : false;

/** The filters the page sends (form values, blank when unset): the receipts handler's query, by its own names. */
export type ReceiptQuery = { limit: number } & Partial<Record<Exclude<keyof ReceiptsQuery, 'limit' | 'cursor' | 'owner'>, string>>;

/** One page of the receipts API: the store's page, and the limit and count the handler adds. */
export type ReceiptPage = StoredReceiptPage & { limit: number; count: number };

const JSON_HEADERS = { accept: 'application/json', 'content-type': 'application/json' };

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { error: { code: 'NON_JSON_RESPONSE', message: text.slice(0, 300) } };
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function isErrorBody(v: unknown): v is ApiErrorBody {
  return isObject(v) && isObject(v.error) && typeof v.error.code === 'string';
}

export async function fetchConfig(signal?: AbortSignal): Promise<DemoConfig> {
  const res = await fetch('/api/config', { headers: { accept: 'application/json' }, signal });
  if (!res.ok) throw new Error(`GET /api/config answered ${res.status}`);
  const body = await readJson(res);
  if (!isObject(body) || !Array.isArray(body.scenarios)) throw new Error('GET /api/config returned an unexpected body');
  return body as unknown as DemoConfig;
}

export async function createPayout(request: PayoutRequest, signal?: AbortSignal): Promise<CreateResult> {
  let res: Response;
  try {
    res = await fetch('/api/payouts', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(request), signal });
  } catch (error) {
    return { kind: 'network', httpStatus: 0, message: String((error as Error)?.message ?? error), raw: null };
  }
  const raw = await readJson(res);
  if (res.ok && isObject(raw) && typeof raw.intent_id === 'string' && isObject(raw.widget_session)) {
    return { kind: 'created', httpStatus: res.status, body: raw as unknown as PayoutCreated, raw };
  }
  const body: ApiErrorBody = isErrorBody(raw)
    ? raw
    : { error: { code: `HTTP_${res.status}`, message: 'The proxy answered with an unexpected body.' } };
  const kind = body.error.code === 'INVALID_REQUEST' || res.status === 400 ? 'invalid' : 'upstream';
  return { kind, httpStatus: res.status, body, raw };
}

export function receiptsUrl(query: ReceiptQuery): string {
  const params = new URLSearchParams({ limit: String(query.limit) });
  for (const key of ['provider', 'intent_id', 'external_ref', 'type', 'status', 'since'] as const) {
    const value = query[key]?.trim();
    if (value) params.set(key, value);
  }
  // Every provider's receipts; `provider=` narrows it.
  return `/api/webhooks/events?${params}`;
}

export async function fetchReceipts(query: ReceiptQuery, signal?: AbortSignal): Promise<ReceiptPage> {
  const res = await fetch(receiptsUrl(query), { headers: { accept: 'application/json' }, signal });
  const body = await readJson(res);
  if (!res.ok) {
    const message = isErrorBody(body) ? `${body.error.code}: ${body.error.message}` : `HTTP ${res.status}`;
    throw new Error(message);
  }
  if (!isObject(body) || !Array.isArray(body.rows)) throw new Error('Receipts endpoint returned an unexpected body');
  return body as unknown as ReceiptPage;
}

// Recovery (the diagnostics panel's Recovery section).
export type { LiqxDeliveryAttempt as DeliveryAttempt, LiqxDeliveryLog as DeliveryLog, ReconcileResult } from '../../src/server/internal.js';

/** A recovery call's outcome: the body, or the proxy's error (a network failure is `httpStatus: 0`). */
export type RecoveryResult<T> = { ok: true; body: T } | { ok: false; httpStatus: number; error: ApiErrorBody['error'] };

async function recoveryCall<T>(url: string, body: unknown, isBody: (v: Record<string, unknown>) => boolean, signal?: AbortSignal): Promise<RecoveryResult<T>> {
  let res: Response;
  try {
    res = await fetch(url, body === undefined ? { headers: { accept: 'application/json' }, signal } : { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body), signal });
  } catch (error) {
    return { ok: false, httpStatus: 0, error: { code: 'NETWORK_ERROR', message: String((error as Error)?.message ?? error) } };
  }
  const raw = await readJson(res);
  if (res.ok && isObject(raw) && isBody(raw)) return { ok: true, body: raw as unknown as T };
  const error = isErrorBody(raw) ? raw.error : { code: `HTTP_${res.status}`, message: 'The proxy answered with an unexpected body.' };
  return { ok: false, httpStatus: res.status, error };
}

/** Every delivery attempt of one of the signed-in user's intents, oldest first. */
export const fetchDeliveries = (intentId: string, signal?: AbortSignal) =>
  recoveryCall<LiqxDeliveryLog>(`/api/webhooks/liqx/deliveries?${new URLSearchParams({ intent_id: intentId })}`, undefined, (b) => Array.isArray(b.deliveries), signal);

/** Has LIQX send one event again, now; resolves with that attempt. */
export const redeliverEvent = (eventId: string) =>
  recoveryCall<LiqxDeliveryAttempt>('/api/webhooks/liqx/redeliver', { event_id: eventId }, (b) => typeof b.webhook_id === 'string');

/** Runs `reconcile` on the proxy: stores every LIQX event since `since` that the store lacks. */
export const reconcileSince = (since: Date) =>
  recoveryCall<ReconcileResult>('/api/webhooks/liqx/reconcile', { since: since.toISOString() }, (b) => typeof b.inserted === 'number' && Array.isArray(b.failed));
