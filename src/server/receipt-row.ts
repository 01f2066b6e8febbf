/** From a normalized PayoutReceipt to the store's row. */
import { receiptKey, type PayoutReceipt } from '../webhooks/index.js';
import type { NewReceipt } from './store.js';

/**
 * The row of a receipt. `event_id` is the receipt key without its provider prefix: the webhook id where the
 * provider sends one, `sha256:<hex>` of the canonical payload otherwise. `payload` is the body text as verified
 * when it is strict JSON, else (comments, trailing commas) the JSON it means.
 */
export async function toNewReceipt(receipt: PayoutReceipt, bodyText: string): Promise<NewReceipt> {
  const key = await receiptKey(receipt);
  let strict = true;
  try {
    JSON.parse(bodyText);
  } catch {
    strict = false;
  }
  const raw = receipt.raw as { data?: { phase?: unknown } } | null;
  return {
    provider: receipt.provider,
    event_id: key.slice(receipt.provider.length + 1),
    event_type: receipt.eventType,
    intent_id: receipt.intentId ?? null,
    external_ref: receipt.externalRef ?? null,
    status: receipt.status,
    phase: typeof raw?.data?.phase === 'string' ? raw.data.phase : null,
    attempts: receipt.attempts ?? null,
    reference: receipt.reference,
    amount_minor: receipt.amount?.minor ?? null,
    currency: receipt.amount?.currency ?? null,
    failure_code: receipt.failure?.code ?? null,
    failure_message: receipt.failure?.message ?? null,
    occurred_at: receipt.occurredAt,
    payload: strict ? bodyText.replace(/^\uFEFF/, '') : JSON.stringify(receipt.raw),
  };
}
