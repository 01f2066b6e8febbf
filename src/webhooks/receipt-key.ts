/**
 * Deduplication keys. A provider that sends an event id is deduplicated by it; one that sends none (Ipay, the
 * cash-out reference) by a SHA-256 of its canonical payload, so the same event delivered twice is stored once.
 */
import type { PayoutReceipt, WebhookProvider } from './receipt.js';
import { assertPayloadDepth } from './depth.js';

/**
 * Top-level fields that change between deliveries of the same event and so are left out of the hash:
 * the cash-out reference counts `attempts` up on each retry (`first_sent_at` stays the first attempt's time).
 */
export const DELIVERY_FIELDS: Readonly<Record<WebhookProvider, readonly string[]>> = {
  liqx: [],
  'cashout-reference': ['attempts'],
  ipay: [],
};

/**
 * JSON with object keys sorted (by UTF-16 code units) at every depth and no whitespace: equal JSON values give
 * equal strings whatever the key order or formatting they arrived in.
 *
 * @throws {WebhookPayloadError} `INVALID_PAYLOAD` for a value nested deeper than `MAX_PAYLOAD_DEPTH` (checked
 *   first, iteratively, so the recursion below is bounded)
 */
export function canonicalJson(value: unknown): string {
  assertPayloadDepth(value, undefined);
  return canonical(value);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`).join(',')}}`;
  }
  // Numbers, strings, booleans, null; JSON.stringify writes -0 as 0, as JSON.parse would read it.
  return JSON.stringify(value) ?? 'null';
}

const hex = (bytes: ArrayBuffer) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

/** SHA-256 of a string's UTF-8 bytes, lower-case hex (Web Crypto). */
export async function sha256Hex(text: string): Promise<string> {
  return hex(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/**
 * The idempotency key of a receipt: `<provider>:<eventId>` when it has an event id, otherwise
 * `<provider>:sha256:<hex>` over the canonical payload (without the provider's {@link DELIVERY_FIELDS}).
 * Store a receipt under this key, once.
 *
 * @throws {WebhookPayloadError} `INVALID_PAYLOAD` for a `raw` nested deeper than `MAX_PAYLOAD_DEPTH`
 */
export function receiptKey(receipt: Pick<PayoutReceipt, 'provider' | 'eventId' | 'raw'>): Promise<string> {
  return keyOf(receipt, false);
}

/** {@link receiptKey}; `depthChecked` skips the depth check for a `raw` that already passed it. */
export async function keyOf(receipt: Pick<PayoutReceipt, 'provider' | 'eventId' | 'raw'>, depthChecked: boolean): Promise<string> {
  if (receipt.eventId) return `${receipt.provider}:${receipt.eventId}`;
  let payload = receipt.raw;
  const drop = DELIVERY_FIELDS[receipt.provider];
  if (drop.length && payload !== null && typeof payload === 'object' && !Array.isArray(payload)) {
    payload = Object.fromEntries(Object.entries(payload).filter(([k]) => !drop.includes(k)));
  }
  return `${receipt.provider}:sha256:${await sha256Hex(depthChecked ? canonical(payload) : canonicalJson(payload))}`;
}
