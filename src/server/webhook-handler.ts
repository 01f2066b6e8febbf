/**
 * The webhook inbox: one Fetch API handler for the payout providers' webhooks. In order, each step before any
 * work the next one costs:
 *
 *   provider from the path (404) -> JSON content type (415) -> Content-Length under the cap (413) ->
 *   signature headers present, timestamp fresh, at most 16 signatures (401, nothing read) -> body read up to the
 *   cap (413, reading stops) -> signature over the RAW BYTES (401) -> decode, parse, depth-check once (400) ->
 *   normalize (400) -> idempotent insert, with onReceipt in the insert's transaction (5xx if either fails) ->
 *   200 after the commit.
 *
 * Everything from the headers to the row is the provider's PayoutWebhook, built once per handler. The event id is
 * `eventId` on TypeScript objects (PayoutReceipt), `webhook_id` in every JSON answer (this one, the receipts read,
 * the mock LIQX's delivery log), after the Standard Webhooks `webhook-id` header it comes from.
 */
import { WebhookPayloadError, WebhookVerificationError, type PayoutReceipt, type WebhookProvider } from '../webhooks/index.js';
import { PayoutWebhook, type VerifiedPayout } from '../webhooks/payout-webhook.js';
import type { PayoutWebhookSecrets } from '../webhooks/verify.js';
import { errorResponse, json, webhookIssues } from './errors.js';
import { BodyTooLargeError, declaredTooLarge, isJsonContentType, payloadTooLarge, readCappedBody, unsupportedMediaType } from './http.js';
import { rowOf } from './receipt-row.js';
import { receiptCallback, type PayoutStatusChange } from './payout-status.js';
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
  /** Called with errors answered 5xx (store, onReceipt), for your logs. Default: `console.error`, so a failing
   * `onReceipt` is never silent while the sender retries. */
  onError?: (error: unknown, request: Request) => void;
}

const defaultOnError = (error: unknown) => console.error('liqx-payout-widget webhook handler (answered 5xx, the sender will retry):', error);

function providerOf(request: Request, providers: WebhookHandlerOptions<unknown>['providers']): WebhookProvider | undefined {
  let segment: string;
  try {
    segment = decodeURIComponent(new URL(request.url).pathname.replace(/\/+$/, '').split('/').pop() ?? '');
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
 * Answers: 200 `{ received: true, duplicate, provider, webhook_id, status }` after the commit; 4xx/5xx
 * `{ error: { code, message, issues? } }` (see SERVER_ERRORS), nothing stored on any of them.
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

  return async (request) => {
    if (request.method !== 'POST') return errorResponse('METHOD_NOT_ALLOWED', 'POST only.', { headers: { allow: 'POST' } });
    const provider = providerOf(request, options.providers);
    if (!provider) return errorResponse('UNKNOWN_PROVIDER', 'No webhook provider is configured at this path.');
    if (!isJsonContentType(request.headers.get('content-type'))) return unsupportedMediaType();
    if (declaredTooLarge(request, maxBytes)) return payloadTooLarge(maxBytes);

    let verified: VerifiedPayout;
    try {
      const pipeline = pipelines.get(provider)!;
      if (pipeline instanceof WebhookVerificationError) throw pipeline;
      const checked = pipeline.checkHeaders(request.headers);
      // The bytes as sent: a BOM or a stray non-UTF-8 byte is part of what was signed.
      verified = await pipeline.verify(await readBody(request, maxBytes), checked);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return payloadTooLarge(maxBytes);
      if (error instanceof WebhookVerificationError) return errorResponse(error.code, error.message);
      if (error instanceof WebhookPayloadError) return errorResponse(error.code, error.message, { issues: webhookIssues(error.issues), status: 400 });
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
