/**
 * The webhook inbox: one Fetch API handler for the payout providers' webhooks. In order, each step before any
 * work the next one costs:
 *
 *   provider from the path (404) -> JSON content type (415) -> Content-Length under the cap (413) ->
 *   signature headers present, timestamp fresh, at most 16 signatures (401, nothing read) -> body read up to the
 *   cap (413, reading stops) -> signature over the RAW BYTES (401, nothing stored) -> decode, parse, depth-check
 *   once, normalize (a verified body that fails any of these is quarantined whole: 202) -> idempotent insert,
 *   with onReceipt in the insert's transaction (5xx if either fails) -> 200 after the commit.
 *
 * Everything from the headers to the row is the provider's PayoutWebhook, built once per handler. The event id is
 * `eventId` on TypeScript objects (PayoutReceipt), `webhook_id` in every JSON answer (this one, the receipts read,
 * the mock LIQX's delivery log), after the Standard Webhooks `webhook-id` header it comes from.
 */
import { WebhookPayloadError, WebhookVerificationError, type PayoutReceipt, type WebhookProvider } from '../webhooks/index.js';
import { PayoutWebhook, type VerifiedPayout } from '../webhooks/payout-webhook.js';
import type { PayoutWebhookSecrets } from '../webhooks/verify.js';
import { errorResponse, json, webhookIssues } from './errors.js';
import { BodyTooLargeError, declaredTooLarge, isJsonContentType, pathnameOf, payloadTooLarge, readCappedBody, unsupportedMediaType } from './http.js';
import { rowOf } from './receipt-row.js';
import { receiptCallback, type PayoutStatusChange } from './payout-status.js';
import { quarantineEntry } from './quarantine.js';
import type { ReceiptStore } from './store.js';

/** Default body cap: 64 KiB. A payout event is well under 2 KiB. */
export const DEFAULT_MAX_WEBHOOK_BYTES = 64 * 1024;

export interface WebhookHandlerOptions<Tx> {
  /**
   * Which providers this endpoint accepts, by the last segment of the request path: a list (the segment is the
   * provider name, e.g. `/webhooks/liqx`) or a map from segment to provider (`{ cashout: 'cashout-reference' }`).
   */
  providers: readonly WebhookProvider[] | Readonly<Record<string, WebhookProvider>>;
  /** Verification settings per provider (secrets, header names); `toleranceSec` fills in their tolerance. */
  secrets: PayoutWebhookSecrets;
  store: ReceiptStore<Tx>;
  /**
   * Called once per new receipt, inside the insert's transaction, before the commit (the inbox pattern). If it
   * throws, the transaction rolls back, nothing is stored, and the sender gets a 500 (or, if it threw a Response,
   * that Response) and retries. Duplicates do not call it. On SQLite it must finish synchronously (use `tx.db`); on PostgreSQL it may await `tx.client`.
   */
  onReceipt?: (receipt: PayoutReceipt, tx: Tx) => unknown;
  /**
   * Called when a new receipt moved its payout's current status (./payout-status.ts: terminal wins, the first
   * terminal is final, non-terminal statuses only move forward), in the same transaction, after `onReceipt`: once
   * per real change, never for a duplicate or a stale event. Same contract as `onReceipt` (a throw rolls back the
   * receipt and its status move; synchronous on SQLite).
   */
  onStatusChange?: (change: PayoutStatusChange, tx: Tx) => unknown;
  /** Body cap in bytes; default {@link DEFAULT_MAX_WEBHOOK_BYTES}. */
  maxBodyBytes?: number;
  /** Replay window, seconds, both ways; default 300. */
  toleranceSec?: number;
  /** Zone of the cash-out reference's zone-less timestamps; default UTC. */
  timeZone?: string;
  /**
   * Called with errors answered 5xx (store, onReceipt), and with the WebhookPayloadError of each delivery newly
   * quarantined (verified, but not readable by this kit: answered 202, kept for `store.replayQuarantined`), for
   * your logs and alerts. Default: `console.error` for a 5xx, so a failing `onReceipt` is never silent while the
   * sender retries; `console.warn` for a quarantined delivery.
   */
  onError?: (error: unknown, request: Request) => void;
}

const defaultOnError = (error: unknown) => {
  if (error instanceof WebhookPayloadError) {
    console.warn('liqx-payout-widget webhook handler quarantined a verified delivery it cannot read (answered 202; list it with store.listQuarantine, replay it with store.replayQuarantined after upgrading):', error.message);
  } else {
    console.error('liqx-payout-widget webhook handler (answered 5xx, the sender will retry):', error);
  }
};

function providerOf(request: Request, providers: WebhookHandlerOptions<unknown>['providers']): WebhookProvider | undefined {
  let segment: string;
  try {
    segment = decodeURIComponent(pathnameOf(request.url).replace(/\/+$/, '').split('/').pop() ?? '');
  } catch {
    return undefined; // a malformed %-escape names no provider
  }
  if (Array.isArray(providers)) return providers.includes(segment as WebhookProvider) ? (segment as WebhookProvider) : undefined;
  return Object.hasOwn(providers, segment) ? (providers as Record<string, WebhookProvider>)[segment] : undefined;
}

/**
 * The body, at most `maxBytes` (a declared length over the cap was refused before). With a declared Content-Length
 * the HTTP server frames the body to it, so it is read whole: `arrayBuffer()`, which @hono/node-server serves
 * straight from the socket, without the web stream and the full Request that `request.body` makes it build (a
 * tenth of the server's CPU per webhook in the ingest bench). The length is checked again after the read. A body
 * without a declared length (chunked) is counted while it streams and reading stops past the cap.
 */
async function readBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  if (!/^\d+$/.test(request.headers.get('content-length')?.trim() ?? '')) return readCappedBody(request, maxBytes);
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > maxBytes) throw new BodyTooLargeError(maxBytes);
  return bytes;
}

/**
 * Creates the webhook handler: `(request: Request) => Promise<Response>`.
 *
 * Answers: 200 `{ received: true, duplicate, provider, webhook_id, status }` after the commit; 202
 * `{ quarantined: true, duplicate, provider, webhook_id, error: { code, issues } }` for a verified delivery this kit
 * cannot read, after it is kept in the store's quarantine (so the sender stops retrying bytes that would fail the
 * same way; the operator replays them once the kit reads them); 4xx/5xx `{ error: { code, message, issues? } }`
 * (see SERVER_ERRORS), nothing stored on any of them.
 */
export function createWebhookHandler<Tx>(options: WebhookHandlerOptions<Tx>): (request: Request) => Promise<Response> {
  const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_WEBHOOK_BYTES;
  // One pipeline per provider, built once from its secret(s). A missing or malformed secret is kept as the error
  // every request to that provider is answered with (500 INVALID_SECRET): a configuration error the sender cannot fix.
  const pipelines = new Map<WebhookProvider, PayoutWebhook | WebhookVerificationError>();
  for (const provider of ['liqx', 'cashout-reference', 'ipay'] as const) {
    const settings = options.secrets[provider];
    try {
      if (!settings) throw new WebhookVerificationError('INVALID_SECRET', `No ${provider} secret configured`);
      pipelines.set(
        provider,
        new PayoutWebhook(provider, {
          ...settings,
          ...(options.toleranceSec !== undefined ? { toleranceSeconds: options.toleranceSec } : {}),
          timeZone: options.timeZone ?? 'UTC',
        }),
      );
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      pipelines.set(provider, error);
    }
  }

  /**
   * Keeps a verified delivery the parser refused and answers 202: its bytes are what the provider signed, so they
   * are kept, not refused; a retry would bring the same bytes and fail the same way. 503 when the store cannot keep
   * it, so the sender retries.
   */
  const quarantine = async (request: Request, provider: WebhookProvider, body: Uint8Array, id: string | undefined, error: WebhookPayloadError) => {
    const entry = await quarantineEntry(provider, body, request.headers, id, error, options.secrets);
    let inserted: boolean;
    try {
      ({ inserted } = await options.store.quarantine(entry));
    } catch (storeError) {
      (options.onError ?? defaultOnError)(storeError, request);
      return errorResponse('STORE_UNAVAILABLE', 'The delivery could not be quarantined. Retry the delivery.');
    }
    if (inserted) (options.onError ?? defaultOnError)(error, request);
    return json(
      { quarantined: true, duplicate: !inserted, provider, webhook_id: entry.webhook_id, error: { code: error.code, issues: entry.issues } },
      202,
    );
  };

  return async (request) => {
    if (request.method !== 'POST') return errorResponse('METHOD_NOT_ALLOWED', 'POST only.', { headers: { allow: 'POST' } });
    const provider = providerOf(request, options.providers);
    if (!provider) return errorResponse('UNKNOWN_PROVIDER', 'No webhook provider is configured at this path.');
    if (!isJsonContentType(request.headers.get('content-type'))) return unsupportedMediaType();
    if (declaredTooLarge(request, maxBytes)) return payloadTooLarge(maxBytes);

    let verified: VerifiedPayout;
    let body: Uint8Array | undefined;
    let verifiedId: string | undefined;
    try {
      const pipeline = pipelines.get(provider)!;
      if (pipeline instanceof WebhookVerificationError) throw pipeline;
      const checked = pipeline.checkHeaders(request.headers);
      verifiedId = checked.id;
      // The bytes as sent: a BOM or a stray non-UTF-8 byte is part of what was signed.
      body = await readBody(request, maxBytes);
      verified = await pipeline.verify(body, checked);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return payloadTooLarge(maxBytes);
      if (error instanceof WebhookVerificationError) return errorResponse(error.code, error.message);
      // PayoutWebhook.verify reads the body only after its signature matched: a payload error is a verified delivery.
      if (error instanceof WebhookPayloadError && body) return quarantine(request, provider, body, verifiedId, error);
      // Anything else is a bug: a 500 the sender retries.
      throw error;
    }

    const receipt: PayoutReceipt = verified.receipt;
    const row = rowOf(verified);
    let inserted: boolean;
    let handlerFailed = false;
    try {
      ({ inserted } = await options.store.insert(
        row,
        receiptCallback(options, receipt, () => {
          handlerFailed = true;
        }),
      ));
    } catch (error) {
      // onReceipt may refuse with a Response of its own (a maintenance 503): rolled back, then sent as is.
      if (handlerFailed && error instanceof Response) return error;
      (options.onError ?? defaultOnError)(error, request);
      return handlerFailed
        ? errorResponse('RECEIPT_HANDLER_FAILED', 'onReceipt failed; the receipt was rolled back. Retry the delivery.')
        : errorResponse('STORE_UNAVAILABLE', 'The receipt could not be stored. Retry the delivery.');
    }
    return json({ received: true, duplicate: !inserted, provider, webhook_id: row.event_id, status: receipt.status });
  };
}
