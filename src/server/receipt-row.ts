/** From a verified webhook (the pipeline's result) to the store's row: field mapping only, nothing is parsed again. */
import { receiptKey, type PayoutReceipt } from '../webhooks/index.js';
import { parseBodyText } from '../webhooks/lenient-json.js';
import type { VerifiedPayout } from '../webhooks/payout-webhook.js';
import type { NewReceipt } from './store.js';

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
