/**
 * The PayoutReceipt: one shape for a payout webhook, whichever provider sent it. A partner stores receipts and
 * treats a payout as delivered when it holds a verified receipt with status `completed`.
 */
import * as z from 'zod';

/** The payout providers whose webhooks this module reads. */
export const WebhookProvider = z.enum(['liqx', 'cashout-reference', 'ipay']);
export type WebhookProvider = z.infer<typeof WebhookProvider>;
/** Every provider, in a stable order. */
export const WEBHOOK_PROVIDERS: readonly WebhookProvider[] = WebhookProvider.options;

/**
 * Normalized payout status. Terminal: `completed`, `failed`, `canceled`, `expired`.
 * Each provider's own status is kept in `providerStatus`.
 */
export const ReceiptStatus = z.enum([
  'created',
  'awaiting',
  'pending',
  'in_progress',
  'completed',
  'failed',
  'canceled',
  'expired',
]);
export type ReceiptStatus = z.infer<typeof ReceiptStatus>;

/** Statuses after which a payout does not change any more. */
export const TERMINAL_RECEIPT_STATUSES: readonly ReceiptStatus[] = ['completed', 'failed', 'canceled', 'expired'];

/** An amount in the currency's minor units (KRW: won; AUD: cents), so it is always an integer. */
export const ReceiptAmount = z.object({
  /** Integer amount in minor units. */
  minor: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  /** ISO 4217 code, upper case (`KRW`, `AUD`). */
  currency: z.string().regex(/^[A-Z]{3}$/),
});
export type ReceiptAmount = z.infer<typeof ReceiptAmount>;

/** A failure reason as the provider gave it. */
export const ReceiptFailure = z.object({ code: z.string().min(1), message: z.string() });
export type ReceiptFailure = z.infer<typeof ReceiptFailure>;

/** One normalized payout webhook. */
export const PayoutReceipt = z.object({
  provider: WebhookProvider,
  /**
   * The provider's id of this event (LIQX: the `webhook-id` header), or null where the provider's document
   * defines none (cash-out reference, Ipay). Deduplicate with `receiptKey(receipt)`, which hashes the payload then.
   */
  eventId: z.string().min(1).nullable(),
  /** The event type exactly as sent: `transaction.completed`, `CASHOUT_REFERENCE_FAILED`, `payoutUpdate`, ... */
  eventType: z.string().min(1),
  status: ReceiptStatus,
  /** The provider's own status value as sent (`COMPLETED`, `success`, `successful`, ...). */
  providerStatus: z.string(),
  /**
   * The provider's id of the payout: LIQX intent_id, the cash-out reference code (null on a FAILED reference,
   * which never got one), Ipay payout_id.
   */
  reference: z.string().min(1).nullable(),
  /** The LIQX intent id (LIQX only; equal to `reference`). */
  intentId: z.string().min(1).optional(),
  /** The partner's own reference, when the provider echoes one: LIQX external_ref, cash-out transaction_id, Ipay reference. */
  externalRef: z.string().min(1).optional(),
  /**
   * Whom the payout belongs to on the partner's side (its user or account), when the provider echoes it: LIQX
   * `data.owner`, set by the partner's session handler on the intent. Receipts reads are scoped by it.
   */
  owner: z.string().min(1).optional(),
  /** Amount, when the payload carries one (the cash-out reference events do not). */
  amount: ReceiptAmount.optional(),
  /** Failure code and message, when the provider gives them. */
  failure: ReceiptFailure.optional(),
  /** When the event happened, ISO 8601 in UTC (`...Z`). */
  occurredAt: z.iso.datetime(),
  /** Delivery attempt number, when the provider sends one. */
  attempts: z.number().int().positive().optional(),
  /** The payload exactly as received (a deep copy of the parsed JSON). */
  raw: z.unknown(),
});
export type PayoutReceipt = z.infer<typeof PayoutReceipt>;
