/** From a verified webhook (the pipeline's result) to the store's row: field mapping only, nothing is parsed again. */
import { ReceiptStatus, WebhookProvider, receiptKey, type PayoutReceipt } from '../webhooks/index.js';
import { parseBodyText } from '../webhooks/lenient-json.js';
import type { VerifiedPayout } from '../webhooks/payout-webhook.js';
import { oneReading } from './json-keys.js';
import { NewReceipt } from './store.js';

/**
 * The row of a verified webhook. `event_id` is the receipt key without its provider prefix: the event id where the
 * provider sends one, `sha256:<hex>` of the canonical payload otherwise. `payload` is the verified body's JSON text.
 */
export function rowOf({ receipt, key, phase, json }: VerifiedPayout): NewReceipt {
  return {
    provider: receipt.provider,
    event_id: key.slice(receipt.provider.length + 1),
    event_type: receipt.eventType,
    intent_id: receipt.intentId ?? null,
    external_ref: receipt.externalRef ?? null,
    status: receipt.status,
    owner: receipt.owner ?? null,
    phase,
    attempts: receipt.attempts ?? null,
    reference: receipt.reference,
    amount_minor: receipt.amount?.minor ?? null,
    currency: receipt.amount?.currency ?? null,
    failure_code: receipt.failure?.code ?? null,
    failure_message: receipt.failure?.message ?? null,
    occurred_at: receipt.occurredAt,
    payload: json,
  };
}

/**
 * The row of a receipt normalized outside the webhook pipeline (a payload trusted by another channel, such as an
 * authenticated events list), with the body text it was read from. Webhook deliveries use {@link rowOf}.
 */
export async function toNewReceipt(receipt: PayoutReceipt, bodyText: string): Promise<NewReceipt> {
  const { text, strict } = parseBodyText(bodyText, receipt.provider);
  const data = (receipt.raw as { data?: { phase?: unknown } } | null)?.data;
  return rowOf({
    receipt,
    key: await receiptKey(receipt),
    phase: typeof data?.phase === 'string' ? data.phase : null,
    json: strict ? text : JSON.stringify(receipt.raw),
  });
}

const PROVIDERS: ReadonlySet<unknown> = new Set(WebhookProvider.options);
const STATUSES: ReadonlySet<unknown> = new Set(ReceiptStatus.options);
const text = (v: unknown, min = 0, max = Infinity): v is string => typeof v === 'string' && v.length >= min && v.length <= max;
const textOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';
const intOrNull = (v: unknown, min = -Infinity): v is number | null => v === null || (Number.isSafeInteger(v) && (v as number) >= min);
/** A column with a default: absent means null. */
const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

/**
 * The store's one validation of a row, `NewReceipt.parse(input)`, with the same result and the same errors. A
 * well-formed row (every row the webhook pipeline builds) is checked field by field without zod, which cost as much
 * as the receipt's insert; anything else goes through the schema, which accepts or refuses it with its issue paths.
 */
export function validRow(input: unknown): NewReceipt {
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    const r = input as Record<string, unknown>;
    const owner = orNull(r.owner);
    const reference = orNull(r.reference);
    const amountMinor = orNull(r.amount_minor);
    const currency = orNull(r.currency);
    if (
      PROVIDERS.has(r.provider) &&
      text(r.event_id, 1, 512) &&
      text(r.event_type, 1) &&
      textOrNull(r.intent_id) &&
      textOrNull(r.external_ref) &&
      STATUSES.has(r.status) &&
      textOrNull(owner) &&
      textOrNull(r.phase) &&
      intOrNull(r.attempts, 1) &&
      textOrNull(reference) &&
      intOrNull(amountMinor) &&
      textOrNull(currency) &&
      textOrNull(r.failure_code) &&
      textOrNull(r.failure_message) &&
      text(r.occurred_at) &&
      text(r.payload)
    ) {
      return {
        provider: r.provider as NewReceipt['provider'],
        event_id: r.event_id,
        event_type: r.event_type,
        intent_id: r.intent_id,
        external_ref: r.external_ref,
        status: r.status as NewReceipt['status'],
        owner,
        phase: r.phase,
        attempts: r.attempts,
        reference,
        amount_minor: amountMinor,
        currency,
        failure_code: r.failure_code,
        failure_message: r.failure_message,
        occurred_at: r.occurred_at,
        payload: oneReading(r.payload),
      };
    }
  }
  return NewReceipt.parse(input);
}
