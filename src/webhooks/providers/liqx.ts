/**
 * LIQX transaction webhooks (PAYOUT phase): a Standard Webhooks message whose id travels in the `webhook-id` header
 * and whose body is `{ type, timestamp, data }`. The package owns this contract: `LiqxWebhookEvent` is exactly what
 * LIQX sends (the demo's mock LIQX builds every delivery with it and refuses to send anything else), and
 * `LiqxWebhookPayload` is the reader, lenient where senders are known to vary (Unix timestamps, numeric amounts).
 */
import * as z from 'zod';
import { ReceiptFailure, type PayoutReceipt, type ReceiptStatus } from '../receipt.js';
import { isoFromMs, isoFromUnix } from '../time.js';
import { refuse, type ProviderContext } from './shared.js';

/** The LIQX event types a PAYOUT ends with, and the receipt status each maps to. */
export const LIQX_EVENT_STATUS = {
  'transaction.completed': 'completed',
  'transaction.failed': 'failed',
  'transaction.expired': 'expired',
} as const satisfies Record<string, ReceiptStatus>;

/** The failure LIQX reports on a failed payout: the receipt's own `{ code, message }` shape, defined once. */
export const LiqxFailure = ReceiptFailure;

/** What LIQX sends as amounts: whole won, no separators ("100000"); USDT with at most 6 decimals ("75.000000"). */
export const LiqxAmountKrw = z.string().regex(/^[1-9][0-9]{0,11}$/, 'A whole KRW amount as a decimal string, e.g. "100000"');
export const LiqxAmountUsdt = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,11})(\.[0-9]{1,6})?$/, { error: 'A USDT amount with at most 6 decimals, e.g. "75.000000"', abort: true })
  .refine((v) => Number(v) > 0, 'Must be greater than 0');

/** The signed body LIQX POSTs to the partner after each PAYOUT outcome, exactly as LIQX sends it. */
export const LiqxWebhookEvent = z.strictObject({
  type: z.enum(Object.keys(LIQX_EVENT_STATUS) as [keyof typeof LIQX_EVENT_STATUS]),
  timestamp: z.iso.datetime(),
  data: z.strictObject({
    intent_id: z.string().min(1),
    external_ref: z.string().min(1),
    external_user_id: z.string().min(1),
    phase: z.literal('PAYOUT'),
    status: z.enum(['completed', 'failed', 'expired']),
    amount_krw: LiqxAmountKrw,
    amount_usdt: LiqxAmountUsdt,
    transaction_id: z.string().min(1).optional(),
    failure: LiqxFailure.optional(),
    /** The partner's owner of the intent (its `owner`), echoed on every webhook of it. */
    owner: z.string().min(1).optional(),
    /** 1 on the first delivery; the receipt records the attempt that got through. */
    attempt: z.number().int().min(1),
  }),
});
export type LiqxWebhookEvent = z.infer<typeof LiqxWebhookEvent>;

/** Whole won: KRW has no minor unit, so the amount is already in minor units. A `.0`/`.00` tail is tolerated. */
const KRW_TEXT = /^\d{1,15}(\.0+)?$/;
const AmountKrw = z.union([
  z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  z.string().regex(KRW_TEXT, 'Expected whole won, e.g. "100000"'),
]);
/** USDT is carried as a decimal string ("75.000000"); it is checked, not mapped (the receipt holds the KRW amount). */
const USDT_TEXT = /^\d{1,15}(\.\d{1,18})?$/;
const AmountUsdt = z.union([z.number().nonnegative().finite(), z.string().regex(USDT_TEXT)]);

/** The body of a LIQX PAYOUT transaction webhook. Unknown extra fields are allowed and kept in `raw`. */
export const LiqxWebhookPayload = z.looseObject({
  /** Some senders repeat the Standard Webhooks message id in the body; the header wins. */
  id: z.string().min(1).optional(),
  type: z.enum(Object.keys(LIQX_EVENT_STATUS) as [keyof typeof LIQX_EVENT_STATUS]),
  /** ISO 8601 with zone (Standard Webhooks convention), or Unix seconds / milliseconds. */
  timestamp: z.union([z.iso.datetime({ offset: true }), z.number().int().nonnegative()]),
  data: z.looseObject({
    intent_id: z.string().min(1),
    external_ref: z.string(),
    external_user_id: z.string(),
    /** Only PAYOUT events belong here; a PAYIN event sent to a payout endpoint is refused. */
    phase: z.literal('PAYOUT'),
    status: z.string().min(1),
    amount_krw: AmountKrw,
    amount_usdt: AmountUsdt,
    /** LIQX's transaction id, on completed payouts. */
    transaction_id: z.string().min(1).optional(),
    failure: LiqxFailure.nullish(),
    attempt: z.number().int().positive(),
    /** The intent's owner on the partner's side, as the partner set it when creating the intent. */
    owner: z.string().min(1).optional(),
  }),
});
export type LiqxWebhookPayload = z.infer<typeof LiqxWebhookPayload>;

const ISO_TIMESTAMP = LiqxWebhookPayload.shape.timestamp.options[0];
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown) => typeof v === 'string' && v.length > 0;
const optionalNonEmpty = (v: unknown) => v === undefined || nonEmpty(v);

/**
 * `LiqxWebhookPayload`'s answer for the payload LIQX sends, checked field by field without the whole schema
 * (which cost more per delivery than anything else in normalization): the payload itself when every field is one
 * the schema accepts and returns unchanged, `undefined` for anything else (a failure object included), which the
 * schema then accepts or refuses with its issue paths. The amounts' patterns are the schema's own constants, and
 * the timestamp string is read by the schema's own member. A fast-check property (test/node/package/webhooks-liqx-fast-path.test.ts) holds it to
 * `LiqxWebhookPayload.safeParse`.
 */
export function liqxPayloadFastPath(raw: unknown): LiqxWebhookPayload | undefined {
  if (!isRecord(raw) || !isRecord(raw.data)) return undefined;
  const d = raw.data;
  const ts = raw.timestamp;
  if (
    optionalNonEmpty(raw.id) &&
    typeof raw.type === 'string' &&
    Object.hasOwn(LIQX_EVENT_STATUS, raw.type) &&
    (typeof ts === 'number' ? Number.isSafeInteger(ts) && ts >= 0 : typeof ts === 'string' && ISO_TIMESTAMP.safeParse(ts).success) &&
    nonEmpty(d.intent_id) &&
    typeof d.external_ref === 'string' &&
    typeof d.external_user_id === 'string' &&
    d.phase === 'PAYOUT' &&
    nonEmpty(d.status) &&
    (typeof d.amount_krw === 'number' ? Number.isSafeInteger(d.amount_krw) && d.amount_krw >= 0 : typeof d.amount_krw === 'string' && KRW_TEXT.test(d.amount_krw)) &&
    (typeof d.amount_usdt === 'number' ? Number.isFinite(d.amount_usdt) && d.amount_usdt >= 0 : typeof d.amount_usdt === 'string' && USDT_TEXT.test(d.amount_usdt)) &&
    optionalNonEmpty(d.transaction_id) &&
    (d.failure === undefined || d.failure === null) &&
    Number.isSafeInteger(d.attempt) &&
    (d.attempt as number) > 0 &&
    optionalNonEmpty(d.owner)
  ) {
    return raw as LiqxWebhookPayload;
  }
  return undefined;
}

/** Maps a parsed LIQX payload to the receipt fields (all but `provider` and `raw`). */
export function liqxToReceipt(p: LiqxWebhookPayload, ctx: ProviderContext): Omit<PayoutReceipt, 'provider' | 'raw'> {
  const eventId = ctx.eventId ?? p.id;
  if (!eventId) refuse('liqx', ['id'], 'No event id: pass the webhook-id header as options.eventId', 'MISSING_EVENT_ID');
  const occurredAt = typeof p.timestamp === 'number' ? isoFromUnix(p.timestamp) : isoFromMs(Date.parse(p.timestamp));
  if (!occurredAt) refuse('liqx', ['timestamp'], 'Timestamp is outside 1970..9999');
  const d = p.data;
  return {
    eventId,
    eventType: p.type,
    status: LIQX_EVENT_STATUS[p.type],
    providerStatus: d.status,
    reference: d.intent_id,
    intentId: d.intent_id,
    ...(d.external_ref ? { externalRef: d.external_ref } : {}),
    ...(d.owner ? { owner: d.owner } : {}),
    amount: { minor: Math.trunc(Number(d.amount_krw)), currency: 'KRW' },
    ...(d.failure ? { failure: { code: d.failure.code, message: d.failure.message } } : {}),
    occurredAt,
    attempts: d.attempt,
  };
}
