/**
 * The quarantine: a delivery whose signature verified but which the kit could not read as a receipt (an event type
 * or field it does not know yet, JSON it cannot parse) is kept whole instead of refused, so it is not lost once
 * the provider's retries run out. The webhook handler answers it 202 (./webhook-handler.ts); the operator lists
 * the quarantine (`store.listQuarantine`) and, after upgrading the kit, replays it (`store.replayQuarantined`):
 * the stored bytes are read again by the installed parser and go through the same idempotent insert as a webhook.
 *
 * Replay does not check the signature again: only verified bytes enter the quarantine, and by the time the parser
 * is fixed the timestamp is past any tolerance and the secret may have been rotated. The signature headers are
 * kept with the bytes, so an audit can still check them against the secret of the day.
 */
import { decodeBody, keyOf, normalizeChecked, parseBodyText, WebhookPayloadError, WebhookPayloadErrorCode, type Normalized, type ReceiptStatus, type WebhookProvider } from '../webhooks/internal.js';
import type { PayoutWebhookSecrets } from '../webhooks/verify.js';
import type { ProviderContext } from '../webhooks/providers/shared.js';
import { webhookIssues, type IssueJson } from './errors.js';
import { receiptCallback, type ReceiptCallbacks } from './payout-status.js';
import { rowOf } from './receipt-row.js';
import { MAX_QUARANTINE_PAGE, decodeCursor, encodeCursor, type ReceiptStore } from './store.js';

/** The longest delivery id kept as is; a longer one (no real provider sends one) is kept as `sha256:<hex>` of it. */
export const MAX_DELIVERY_ID_LENGTH = 512;

/** A verified delivery as the store takes it into the quarantine. */
export interface NewQuarantined {
  provider: WebhookProvider;
  /**
   * The idempotency key of the delivery within the provider: the event id (LIQX `webhook-id`) where the provider
   * sends one; otherwise `sha256:<hex>` of the canonical payload, the key its receipt would get; `body-sha256:<hex>`
   * of the bytes when they are not JSON at all.
   */
  webhook_id: string;
  /** The body's event type field (LIQX `type`, Ipay `event`, cash-out `event_type_description`), when readable. */
  event_type: string | null;
  /** Why it could not be read: `INVALID_JSON`, `INVALID_PAYLOAD` or `MISSING_EVENT_ID`. */
  error_code: string;
  issues: IssueJson[];
  /** The signature headers (id, timestamp, signature) and the content type, lower-case names. */
  headers: Record<string, string>;
  /** The body bytes exactly as received and verified. */
  body: Uint8Array;
}

/** A quarantined delivery, as `listQuarantine` returns it. */
export interface QuarantinedDelivery extends NewQuarantined {
  /** ISO 8601 UTC, when the first delivery of it was kept. */
  received_at: string;
  /** ISO 8601 UTC, when a replay first stored (or found) its receipt; null while it waits. */
  replayed_at: string | null;
}

export interface QuarantineQuery {
  /** 1..100. */
  limit: number;
  /** Only the deliveries not replayed yet. */
  pending?: boolean;
  /** From a previous page's `next_cursor`. */
  cursor?: string;
}

export interface QuarantinePage {
  /** Newest first. */
  rows: QuarantinedDelivery[];
  next_cursor: string | null;
}

/** What a replay runs inside the receipt's transaction (the same callbacks as the webhook handler's), and how it reads. */
export interface ReplayOptions<Tx> extends ReceiptCallbacks<Tx> {
  /** Zone of the cash-out reference's zone-less timestamps; default UTC (as the handler's `timeZone`). */
  timeZone?: string;
}

/**
 * The outcome of one replay. `inserted`: this replay stored the receipt (and ran the callbacks once);
 * `duplicate`: the receipt was already stored (an earlier or concurrent replay, a redelivery, reconcile);
 * `invalid`: the installed parser still cannot read it (it stays pending); `not_found`: no such delivery.
 */
export type ReplayResult =
  | { outcome: 'inserted' | 'duplicate'; provider: WebhookProvider; webhook_id: string; receipt_webhook_id: string; status: ReceiptStatus }
  | { outcome: 'invalid'; provider: WebhookProvider; webhook_id: string; error_code: string; issues: IssueJson[] }
  | { outcome: 'not_found'; provider: WebhookProvider; webhook_id: string };

/** The normalization step a replay runs: the kit's own, i.e. the parser of the kit version installed now. */
export type Normalize = (provider: WebhookProvider, raw: unknown, ctx: ProviderContext) => Normalized;

const EVENT_TYPE_FIELD: Record<WebhookProvider, string> = { liqx: 'type', ipay: 'event', 'cashout-reference': 'event_type_description' };

const hex = (bytes: ArrayBuffer) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
const sha256 = async (data: Uint8Array | string) =>
  hex(await globalThis.crypto.subtle.digest('SHA-256', typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data)));

/** The headers a quarantined delivery keeps: what it takes to check its signature again, and its content type. */
export function signatureHeaderNames(provider: WebhookProvider, secrets: PayoutWebhookSecrets): string[] {
  if (provider === 'liqx') return ['webhook-id', 'webhook-timestamp', 'webhook-signature', 'content-type'];
  const settings = secrets[provider];
  return [settings?.signatureHeader ?? 'x-webhook-signature', settings?.timestampHeader ?? 'x-webhook-timestamp', 'content-type'].map((h) => h.toLowerCase());
}

/**
 * The quarantine entry of a verified delivery the pipeline refused with `error`. `eventId` is the verified id
 * header (LIQX), if any.
 */
export async function quarantineEntry(
  provider: WebhookProvider,
  body: Uint8Array,
  headers: Headers,
  eventId: string | undefined,
  error: WebhookPayloadError,
  secrets: PayoutWebhookSecrets,
): Promise<NewQuarantined> {
  let value: unknown;
  let parsed = false;
  try {
    value = parseBodyText(decodeBody(body, provider, false), provider).value;
    parsed = true;
  } catch {
    // Not JSON (or nested past the limit): the bytes are kept all the same, under their own hash.
  }
  let id: string;
  if (eventId) id = eventId.length > MAX_DELIVERY_ID_LENGTH ? `sha256:${await sha256(eventId)}` : eventId;
  else if (parsed) id = (await keyOf({ provider, eventId: null, raw: value }, true)).slice(provider.length + 1);
  else id = `body-sha256:${await sha256(body)}`;
  const typeValue = parsed && value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[EVENT_TYPE_FIELD[provider]] : undefined;
  const kept: Record<string, string> = {};
  for (const name of signatureHeaderNames(provider, secrets)) {
    const v = headers.get(name);
    if (v !== null) kept[name] = v;
  }
  return {
    provider,
    webhook_id: id,
    event_type: typeof typeValue === 'string' ? typeValue : null,
    error_code: error.code,
    issues: webhookIssues(error.issues),
    headers: kept,
    body,
  };
}

/** Reads stored bytes as the webhook pipeline reads verified ones (PayoutWebhook.verify after the signature). */
async function readStored(entry: QuarantinedDelivery, normalize: Normalize, timeZone: string) {
  const parsed = parseBodyText(decodeBody(entry.body, entry.provider, false), entry.provider);
  const eventId = entry.provider === 'liqx' ? entry.headers['webhook-id'] : undefined;
  const { receipt, phase } = normalize(entry.provider, parsed.value, { eventId, timeZone });
  const key = await keyOf(receipt, true);
  if (key.length - entry.provider.length - 1 > MAX_DELIVERY_ID_LENGTH) {
    throw new WebhookPayloadError(WebhookPayloadErrorCode.INVALID_PAYLOAD, entry.provider, [
      { path: ['event_id'], message: `The event id is longer than ${MAX_DELIVERY_ID_LENGTH} characters`, code: 'too_big' },
    ]);
  }
  return { receipt, row: rowOf({ receipt, key, phase, json: parsed.strict ? parsed.text : JSON.stringify(parsed.value) }) };
}

/**
 * Replays one quarantined delivery with `normalize` (the store methods pass the kit's own). Any number of replays,
 * concurrent or not, on any number of instances, store one receipt and run the callbacks once: the receipt goes
 * through `store.insert`, idempotent on (provider, event id) as for a webhook. The delivery is marked replayed
 * after the commit; a crash between the two leaves it pending, and the next replay finds the receipt (duplicate)
 * and marks it.
 *
 * @throws what `store.insert` throws (the store is down, a callback threw: rolled back, the delivery stays pending)
 */
export async function replayWith<Tx>(
  store: ReceiptStore<Tx>,
  provider: WebhookProvider,
  webhookId: string,
  options: ReplayOptions<Tx>,
  normalize: Normalize,
): Promise<ReplayResult> {
  const entry = await store.getQuarantined(provider, webhookId);
  if (!entry) return { outcome: 'not_found', provider, webhook_id: webhookId };
  let read: Awaited<ReturnType<typeof readStored>>;
  try {
    read = await readStored(entry, normalize, options.timeZone ?? 'UTC');
  } catch (error) {
    if (!(error instanceof WebhookPayloadError)) throw error;
    return { outcome: 'invalid', provider, webhook_id: webhookId, error_code: error.code, issues: webhookIssues(error.issues) };
  }
  const { inserted } = await store.insert(read.row, receiptCallback(options, read.receipt, () => undefined));
  await store.markReplayed(provider, webhookId);
  return { outcome: inserted ? 'inserted' : 'duplicate', provider, webhook_id: webhookId, receipt_webhook_id: read.row.event_id, status: read.receipt.status };
}

/** `store.replayQuarantined`: a replay with the parser of the kit installed now. */
export const replayQuarantined = <Tx>(store: ReceiptStore<Tx>, provider: WebhookProvider, webhookId: string, options: ReplayOptions<Tx> = {}) =>
  replayWith(store, provider, webhookId, options, normalizeChecked);

/** Checks a quarantine entry before it is stored (the handler builds it; a bad one is a bug, refused loudly). */
export function checkQuarantined(entry: NewQuarantined): NewQuarantined {
  if (!entry.webhook_id || entry.webhook_id.length > MAX_DELIVERY_ID_LENGTH + 16) throw new RangeError('A quarantined delivery needs a webhook_id of 1..528 characters');
  if (!(entry.body instanceof Uint8Array)) throw new TypeError('A quarantined delivery keeps its body as bytes');
  return entry;
}

/** A quarantine row of either engine, after its own type fix-ups. */
export interface QuarantineDbRow {
  seq: number;
  provider: WebhookProvider;
  webhook_id: string;
  event_type: string | null;
  error_code: string;
  issues: string;
  headers: string;
  body: Uint8Array;
  received_at: string;
  replayed_at: string | null;
}

export const toQuarantined = (r: QuarantineDbRow): QuarantinedDelivery => ({
  provider: r.provider,
  webhook_id: r.webhook_id,
  event_type: r.event_type,
  error_code: r.error_code,
  issues: JSON.parse(r.issues) as IssueJson[],
  headers: JSON.parse(r.headers) as Record<string, string>,
  // A plain Uint8Array on both engines (each driver hands back a Buffer over its own pool).
  body: new Uint8Array(r.body),
  received_at: r.received_at,
  replayed_at: r.replayed_at,
});

/** The columns both engines insert, in this order; `issues` and `headers` are JSON text. */
export const QUARANTINE_COLUMNS = ['provider', 'webhook_id', 'event_type', 'error_code', 'issues', 'headers', 'body', 'received_at'] as const;

/** A page of the quarantine: newest first by insertion, `limit + 1` rows (the extra one says there is a next page). */
export function quarantinePageQuery(query: QuarantineQuery, placeholder: (index: number) => string): { sql: string; params: unknown[] } {
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MAX_QUARANTINE_PAGE) {
    throw new RangeError(`A quarantine page holds 1..${MAX_QUARANTINE_PAGE} rows`);
  }
  const params: unknown[] = [];
  const where: string[] = [];
  if (query.pending) where.push('replayed_at IS NULL');
  if (query.cursor !== undefined) {
    params.push(decodeCursor(query.cursor).seq);
    where.push(`seq < ${placeholder(params.length)}`);
  }
  params.push(query.limit + 1);
  return {
    sql: `SELECT * FROM webhook_quarantine ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ${placeholder(params.length)}`,
    params,
  };
}

/** The page from `limit + 1` rows. */
export function quarantinePage(rows: QuarantineDbRow[], limit: number): QuarantinePage {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page.map(toQuarantined), next_cursor: rows.length > limit && last ? encodeCursor({ at: last.received_at, seq: last.seq }) : null };
}
