/**
 * Cash-out reference webhooks (event type PAYMENT_REQUEST_CASHOUT, codes 8000-8004), as documented in
 * `cashout-reference-webhooks.txt`. The document defines no event id, no amount and no time zone.
 */
import * as z from 'zod';
import type { PayoutReceipt, ReceiptStatus } from '../receipt.js';
import { isWallClock, isoFromWallClock } from '../time.js';
import { refuse, type ProviderContext } from './shared.js';

/** Each documented sub-type with its webhook notification code and receipt status. */
export const CASHOUT_EVENTS = {
  CASHOUT_REFERENCE_CREATED: { code: 8000, status: 'created' },
  CASHOUT_REFERENCE_COMPLETED: { code: 8001, status: 'completed' },
  CASHOUT_REFERENCE_CANCELED: { code: 8002, status: 'canceled' },
  CASHOUT_REFERENCE_FAILED: { code: 8003, status: 'failed' },
  CASHOUT_REFERENCE_EXPIRED: { code: 8004, status: 'expired' },
} as const satisfies Record<string, { code: number; status: ReceiptStatus }>;
type CashoutEventName = keyof typeof CASHOUT_EVENTS;

/** `YYYY-MM-DD HH:mm:ss`, no zone: the zone is the `timeZone` option of normalize (default UTC). */
const WallClock = z.string().refine(isWallClock, 'Expected a valid "YYYY-MM-DD HH:mm:ss" time');
const Id = z.union([z.string(), z.number()]);

/** The body of a PAYMENT_REQUEST_CASHOUT webhook. Unknown extra fields are allowed and kept in `raw`. */
export const CashoutReferencePayload = z
  .looseObject({
    event_type: z.literal('PAYMENT_REQUEST_CASHOUT'),
    event_type_description: z.enum(Object.keys(CASHOUT_EVENTS) as [CashoutEventName]),
    webhook_notification_code: z.number().int(),
    created_at: WallClock,
    first_sent_at: WallClock.nullish(),
    attempts: z.number().int().positive(),
    account_id: Id,
    /** "if exist" in the document. */
    customer_id: Id.nullish(),
    request_id: Id.nullish(),
    transaction_id: z.string().nullish(),
    details: z.looseObject({
      id: Id.nullish(),
      /** The cash-out reference. Null only on FAILED: the reference failed on being created. */
      code: z.string().min(1).nullable(),
      name: z.string(),
      status: z.string().min(1),
      /** Given on FAILED and EXPIRED. */
      failed_reason: z.string().nullish(),
      failed_message: z.string().nullish(),
    }),
  })
  .superRefine((p, ctx) => {
    // The code and the sub-type say the same thing twice; when they disagree we cannot tell which is meant.
    const expected = CASHOUT_EVENTS[p.event_type_description].code;
    if (p.webhook_notification_code !== expected) {
      ctx.addIssue({
        code: 'custom',
        path: ['webhook_notification_code'],
        message: `${p.event_type_description} is code ${expected}, got ${p.webhook_notification_code}`,
      });
    }
    if (p.details.code === null && p.event_type_description !== 'CASHOUT_REFERENCE_FAILED') {
      ctx.addIssue({ code: 'custom', path: ['details', 'code'], message: 'Only a FAILED reference may have no code' });
    }
  });
export type CashoutReferencePayload = z.infer<typeof CashoutReferencePayload>;

/** Maps a parsed cash-out reference payload to the receipt fields (all but `provider` and `raw`). */
export function cashoutToReceipt(
  p: CashoutReferencePayload,
  ctx: ProviderContext,
): Omit<PayoutReceipt, 'provider' | 'raw'> {
  const occurredAt = isoFromWallClock(p.created_at, ctx.timeZone);
  if (!occurredAt) refuse('cashout-reference', ['created_at'], `Not a time in ${ctx.timeZone} within 1970..9999`);
  const d = p.details;
  return {
    eventId: ctx.eventId ?? null,
    eventType: p.event_type_description,
    status: CASHOUT_EVENTS[p.event_type_description].status,
    providerStatus: d.status,
    reference: d.code,
    ...(p.transaction_id ? { externalRef: p.transaction_id } : {}),
    ...(d.failed_reason ? { failure: { code: d.failed_reason, message: d.failed_message ?? '' } } : {}),
    occurredAt,
    attempts: p.attempts,
  };
}
