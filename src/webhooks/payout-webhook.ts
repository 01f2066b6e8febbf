/**
 * One provider's webhook ingest as one pipeline, built once from its secret(s), on the model of the
 * `standardwebhooks` package's `Webhook` class (`new Webhook(secret).verify(payload, headers)`):
 *
 *   checkHeaders (no body needed) -> verify the raw bytes -> decode, drop a BOM, parse and depth-check ONCE ->
 *   normalize -> receipt key
 *
 * and the result holds everything a store needs: the receipt, its key, its phase and the JSON text to keep.
 */
import { WebhookPayloadError, WebhookPayloadErrorCode } from './errors.js';
import { decodeBody, parseBodyText } from './lenient-json.js';
import { normalizeChecked } from './normalize.js';
import { keyOf } from './receipt-key.js';
import type { PayoutReceipt, WebhookProvider } from './receipt.js';
import { assertTimeZone } from './time.js';
import {
  CheckedHeaders,
  SharedSecretScheme,
  StandardWebhookScheme,
  type HeaderSource,
  type SharedSecretHeaderOptions,
  type WebhookSecrets,
} from './verify.js';

/** Options of {@link PayoutWebhook}. */
export interface PayoutWebhookOptions extends SharedSecretHeaderOptions {
  /** The provider's secret, or a list while it is rotated (any verifies; `sign` signs with each). */
  secret: WebhookSecrets;
  /** Allowed clock difference in seconds, both ways; default 300. */
  toleranceSeconds?: number;
  /** Clock in milliseconds, for tests; default `Date.now`. */
  now?: () => number;
  /** Zone of the cash-out reference's zone-less timestamps: `UTC` (default), `+09:00`, `Asia/Seoul`. */
  timeZone?: string;
}

/** A verified, normalized webhook: what a store keeps, read from the body once. */
export interface VerifiedPayout {
  receipt: PayoutReceipt;
  /**
   * The idempotency key, `receiptKey(receipt)`: `<provider>:<eventId>`, or `<provider>:sha256:<hex>` of the
   * canonical payload for providers without event ids. Store once under it.
   */
  key: string;
  /** The event's phase (LIQX: `PAYOUT`); null for providers without one. */
  phase: string | null;
  /**
   * The verified body as JSON text: as sent (without a BOM) when it is strict JSON, otherwise (comments, trailing
   * commas) the JSON it means.
   */
  json: string;
}

/**
 * A provider's webhook endpoint logic, built once: signature scheme, parsing and normalization.
 *
 * @example
 * const liqx = new PayoutWebhook('liqx', { secret: [process.env.LIQX_WEBHOOK_SECRET!, process.env.LIQX_WEBHOOK_SECRET_OLD!] });
 * const { receipt, key } = await liqx.verify(rawBody, request.headers); // 401/400 on WebhookVerificationError/WebhookPayloadError
 * await db.run('INSERT INTO receipts (key, body) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [key, JSON.stringify(receipt)]);
 */
export class PayoutWebhook {
  /** The scheme that checks this provider's signatures (and signs, for tests and senders). */
  readonly scheme: StandardWebhookScheme | SharedSecretScheme;
  readonly #timeZone: string;

  /**
   * @throws {WebhookVerificationError} `INVALID_SECRET` for a missing, empty or malformed secret
   * @throws {RangeError} for an invalid `timeZone`
   */
  constructor(
    readonly provider: WebhookProvider,
    options: PayoutWebhookOptions,
  ) {
    this.scheme = provider === 'liqx' ? new StandardWebhookScheme(options.secret, options) : new SharedSecretScheme(options.secret, options);
    this.#timeZone = options.timeZone ?? 'UTC';
    assertTimeZone(this.#timeZone);
  }

  /**
   * The checks that need no body (signature headers present, timestamp fresh, a bounded number of signatures).
   * Run it before reading the body, and pass its result to {@link verify}.
   *
   * @throws {WebhookVerificationError}
   */
  checkHeaders(headers: HeaderSource): CheckedHeaders {
    return this.scheme.checkHeaders(headers);
  }

  /**
   * Verifies the raw body bytes, then reads them once into a receipt.
   *
   * @param body the body exactly as received (bytes, or a string of it)
   * @param headers the request's headers, or what {@link checkHeaders} returned for them
   * @throws {WebhookVerificationError} (answer 401) before anything of the body is parsed
   * @throws {WebhookPayloadError} (answer 400) `INVALID_JSON`, `INVALID_PAYLOAD`, `MISSING_EVENT_ID`
   */
  async verify(body: string | Uint8Array, headers: HeaderSource | CheckedHeaders): Promise<VerifiedPayout> {
    const { id } = await this.scheme.verify(body, headers);
    // A verified body with a stray invalid byte is read with U+FFFD there, not refused: it is what was signed.
    const parsed = parseBodyText(decodeBody(body, this.provider, false), this.provider);
    const { receipt, phase } = normalizeChecked(this.provider, parsed.value, { eventId: id, timeZone: this.#timeZone });
    const key = await keyOf(receipt, true);
    if (key.length - this.provider.length - 1 > MAX_EVENT_ID_LENGTH) {
      // Stores index the id; one no real provider sends (LIQX ids are ~30 characters) is refused, not retried forever.
      throw new WebhookPayloadError(WebhookPayloadErrorCode.INVALID_PAYLOAD, this.provider, [
        { path: ['event_id'], message: `The event id is longer than ${MAX_EVENT_ID_LENGTH} characters`, code: 'too_big' },
      ]);
    }
    return { receipt, key, phase, json: parsed.strict ? parsed.text : JSON.stringify(parsed.value) };
  }

  /**
   * The signature headers a sender attaches to `body`: LIQX `webhook-id`, `webhook-timestamp`,
   * `webhook-signature`; the others `x-webhook-timestamp`, `x-webhook-signature` (or the configured names).
   * One signature per configured secret.
   */
  async sign(body: string | Uint8Array, options: { id?: string; timestampSeconds?: number } = {}): Promise<Record<string, string>> {
    const ts = Math.floor(options.timestampSeconds ?? Date.now() / 1000);
    if (this.scheme instanceof SharedSecretScheme) return this.scheme.sign(body, ts);
    const id = options.id ?? `msg_${Array.from(globalThis.crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('')}`;
    return { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': await this.scheme.sign(id, ts, body) };
  }
}

/** The longest event id (the key without its `<provider>:` prefix) the stores take. */
const MAX_EVENT_ID_LENGTH = 512;
