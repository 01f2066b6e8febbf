/**
 * Ipay payout webhooks, as documented in `ipay-payout-webhooks.txt`: events payoutCreated / payoutUpdated /
 * payoutFailure, amounts in cents, Unix timestamps, and no event id.
 */
import * as z from 'zod';
import type { PayoutReceipt, ReceiptStatus } from '../receipt.js';
import { UNIX_MS_THRESHOLD, isoFromUnix } from '../time.js';
import { refuse, type ProviderContext } from './shared.js';

/**
 * Documented events. `payoutUpdate` is what the document's own example sends where its table says
 * `payoutUpdated`; both are accepted and the receipt keeps the spelling that was sent.
 */
export const IPAY_EVENTS = ['payoutCreated', 'payoutUpdated', 'payoutUpdate', 'payoutFailure'] as const;

/** Documented statuses and the receipt status of each. */
export const IPAY_STATUS = {
  awaiting: 'awaiting',
  pending: 'pending',
  in_progress: 'in_progress',
  successful: 'completed',
  cancelled: 'canceled',
  failed: 'failed',
} as const satisfies Record<string, ReceiptStatus>;

/**
 * A Unix timestamp in seconds or milliseconds: the document says "Unix timestamp" and its example is in
 * milliseconds. Told apart by magnitude (below 1e11: seconds; see `UNIX_MS_THRESHOLD`).
 */
const UnixTime = z
  .number()
  .int()
  .nonnegative()
  .refine((v) => isoFromUnix(v) !== null, `Expected Unix seconds (< ${UNIX_MS_THRESHOLD}) or milliseconds up to year 9999`);

/** The body of an Ipay payout webhook. Unknown extra fields are allowed and kept in `raw`. */
export const IpayPayoutPayload = z.looseObject({
  event: z.enum(IPAY_EVENTS),
  /** In cents, i.e. minor units. */
  amount: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  currency: z.string().regex(/^[A-Za-z]{3}$/, 'Expected an ISO 4217 currency code'),
  payout_id: z.string().min(1),
  batch_id: z.string().nullish(),
  batch_run_time: UnixTime.nullish(),
  receiver_account_id: z.string(),
  receiver_id: z.string(),
  reference: z.string(),
  status: z.enum(Object.keys(IPAY_STATUS) as [keyof typeof IPAY_STATUS]),
  /** Spelled `subccount_id` in both the table and the example; `subaccount_id` is accepted in case it gets fixed. */
  subccount_id: z.string().optional(),
  subaccount_id: z.string().optional(),
  timestamp: UnixTime,
});
export type IpayPayoutPayload = z.infer<typeof IpayPayoutPayload>;

/** Maps a parsed Ipay payload to the receipt fields (all but `provider` and `raw`). */
export function ipayToReceipt(p: IpayPayoutPayload, ctx: ProviderContext): Omit<PayoutReceipt, 'provider' | 'raw'> {
  const occurredAt = isoFromUnix(p.timestamp);
  if (!occurredAt) refuse('ipay', ['timestamp'], 'Timestamp out of range');
  return {
    eventId: ctx.eventId ?? null,
    eventType: p.event,
    status: IPAY_STATUS[p.status],
    providerStatus: p.status,
    reference: p.payout_id,
    ...(p.reference ? { externalRef: p.reference } : {}),
    amount: { minor: p.amount, currency: p.currency.toUpperCase() },
    occurredAt,
  };
}
