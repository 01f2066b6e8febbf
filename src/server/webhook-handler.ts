/**
 * The webhook inbox: one Fetch API handler for the payout providers' webhooks. In order, each step before any
 * work the next one costs:
 *
 *   provider from the path (404) -> JSON content type (415) -> Content-Length under the cap (413) ->
 *   signature headers present and timestamp fresh (401, nothing read) -> body read up to the cap (413, reading
 *   stops) -> signature over the RAW BYTES (401) -> parse (400) -> normalize (400) ->
 *   idempotent insert, with onReceipt in the insert's transaction (5xx if either fails) -> 200 after the commit.
 */
import {
  WebhookPayloadError,
  WebhookVerificationError,
  normalizePayoutWebhook,
  parseLenientJson,
  type PayoutReceipt,
  type PayoutWebhookSecrets,
  type WebhookProvider,
} from '../webhooks/index.js';
import { SharedSecretScheme, StandardWebhookScheme } from '../webhooks/verify.js';
import { errorResponse, json, webhookIssues, zodIssues } from './errors.js';
import { BodyTooLargeError, declaredTooLarge, decodeUtf8, isJsonContentType, payloadTooLarge, readCappedBody, unsupportedMediaType } from './http.js';
import { toNewReceipt } from './receipt-row.js';
import { NewReceipt, type ReceiptStore } from './store.js';

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
  /** Body cap in bytes; default {@link DEFAULT_MAX_WEBHOOK_BYTES}. */
  maxBodyBytes?: number;
  /** Replay window, seconds, both ways; default 300. */
  toleranceSec?: number;
  /** Zone of the cash-out reference's zone-less timestamps; default UTC. */
  timeZone?: string;
  /** Called with errors answered 5xx (store, onReceipt), for your logs. */
  onError?: (error: unknown, request: Request) => void;
}

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
 * Creates the webhook handler: `(request: Request) => Promise<Response>`.
 *
 * Answers: 200 `{ received: true, duplicate, provider, webhook_id, status }` after the commit; 4xx/5xx
 * `{ error: { code, message, issues? } }` (see SERVER_ERRORS), nothing stored on any of them.
 */
export function createWebhookHandler<Tx>(options: WebhookHandlerOptions<Tx>): (request: Request) => Promise<Response> {
  const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_WEBHOOK_BYTES;
  const tolerance = options.toleranceSec;
  // One scheme per provider, built once from its secret(s). A missing or malformed secret is kept as the error
  // every request to that provider is answered with (500 INVALID_SECRET), as before any secret was configured.
  const schemes = new Map<WebhookProvider, StandardWebhookScheme | SharedSecretScheme | WebhookVerificationError>();
  for (const provider of ['liqx', 'cashout-reference', 'ipay'] as const) {
    const settings = options.secrets[provider];
    const clock = { ...settings, ...(tolerance !== undefined ? { toleranceSeconds: tolerance } : {}) };
    try {
      if (!settings) throw new WebhookVerificationError('INVALID_SECRET', `No ${provider} secret configured`);
      schemes.set(provider, provider === 'liqx' ? new StandardWebhookScheme(settings.secret, clock) : new SharedSecretScheme(settings.secret, clock));
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      schemes.set(provider, error);
    }
  }

  return async (request) => {
    if (request.method !== 'POST') return errorResponse('METHOD_NOT_ALLOWED', 'POST only.', { headers: { allow: 'POST' } });
    const provider = providerOf(request, options.providers);
    if (!provider) return errorResponse('UNKNOWN_PROVIDER', 'No webhook provider is configured at this path.');
    if (!isJsonContentType(request.headers.get('content-type'))) return unsupportedMediaType();
    if (declaredTooLarge(request, maxBytes)) return payloadTooLarge(maxBytes);

    let receipt: PayoutReceipt;
    let text: string;
    try {
      const scheme = schemes.get(provider)!;
      if (scheme instanceof WebhookVerificationError) throw scheme;
      const checked = scheme.checkHeaders(request.headers);
      const bytes = await readCappedBody(request, maxBytes);
      // The bytes as sent: a BOM or a stray non-UTF-8 byte is part of what was signed.
      const { id } = await scheme.verify(bytes, checked);
      text = decodeUtf8(bytes);
      const payload = parseLenientJson(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, provider);
      receipt = normalizePayoutWebhook(provider, payload, { ...(id ? { eventId: id } : {}), timeZone: options.timeZone ?? 'UTC' });
    } catch (error) {
      if (error instanceof BodyTooLargeError) return payloadTooLarge(maxBytes);
      if (error instanceof WebhookVerificationError) {
        return errorResponse(error.code, error.message);
      }
      if (error instanceof WebhookPayloadError) return errorResponse(error.code, error.message, { issues: webhookIssues(error.issues), status: 400 });
      // Anything else is a bug or a configuration error (a bad timeZone): a 500 the sender retries.
      throw error;
    }

    // The row is checked before the insert so that a verified but unstorable event (a 600-character webhook id)
    // is a 400 the sender can see, not a 503 it would retry forever.
    const row = NewReceipt.safeParse(await toNewReceipt(receipt, text));
    if (!row.success) return errorResponse('INVALID_PAYLOAD', 'The event cannot be stored as a receipt.', { issues: zodIssues(row.error) });
    let inserted: boolean;
    let handlerFailed = false;
    try {
      ({ inserted } = await options.store.insert(
        row.data,
        options.onReceipt &&
          ((tx: Tx) => {
            try {
              const result = options.onReceipt!(receipt, tx);
              if (result && typeof (result as Promise<unknown>).then === 'function') {
                return (result as Promise<unknown>).catch((e: unknown) => {
                  handlerFailed = true;
                  throw e;
                });
              }
              return result;
            } catch (e) {
              handlerFailed = true;
              throw e;
            }
          }),
      ));
    } catch (error) {
      // onReceipt may refuse with a Response of its own (a maintenance 503): rolled back, then sent as is.
      if (handlerFailed && error instanceof Response) return error;
      options.onError?.(error, request);
      return handlerFailed
        ? errorResponse('RECEIPT_HANDLER_FAILED', 'onReceipt failed; the receipt was rolled back. Retry the delivery.')
        : errorResponse('STORE_UNAVAILABLE', 'The receipt could not be stored. Retry the delivery.');
    }
    return json({ received: true, duplicate: !inserted, provider, webhook_id: row.data.event_id, status: receipt.status });
  };
}
