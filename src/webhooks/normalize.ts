/**
 * One entry point from a provider's parsed webhook payload to a PayoutReceipt. All or nothing: a payload either
 * maps completely and passes the receipt schema, or is refused with a typed error listing every issue path.
 */
import * as z from 'zod';
import { WebhookPayloadError, WebhookPayloadErrorCode, type WebhookIssue } from './errors.js';
import { PayoutReceipt, WebhookProvider } from './receipt.js';
import { CashoutReferencePayload, cashoutToReceipt } from './providers/cashout-reference.js';
import { IpayPayoutPayload, ipayToReceipt } from './providers/ipay.js';
import { LiqxWebhookPayload, liqxToReceipt } from './providers/liqx.js';
import type { ProviderContext } from './providers/shared.js';
import { assertTimeZone } from './time.js';
import { assertPayloadDepth, MAX_PAYLOAD_DEPTH } from './depth.js';

/** Options of {@link normalizePayoutWebhook}. */
export const NormalizeOptions = z.object({
  /**
   * The event id when it travels outside the body: for LIQX, the `webhook-id` header (required there unless the
   * body has an `id`). For providers that define no id it is optional; when given it becomes the `eventId`.
   */
  eventId: z.string().min(1).optional(),
  /**
   * Zone of timestamps that carry none: the cash-out reference's `created_at` ("YYYY-MM-DD HH:mm:ss").
   * `UTC` (default), a fixed offset such as `+09:00`, or an IANA name such as `Asia/Seoul`.
   */
  timeZone: z.string().optional(),
});
export type NormalizeOptions = z.infer<typeof NormalizeOptions>;

type Mapping = Omit<PayoutReceipt, 'provider' | 'raw'>;
const PROVIDERS = {
  liqx: { schema: LiqxWebhookPayload, map: liqxToReceipt },
  'cashout-reference': { schema: CashoutReferencePayload, map: cashoutToReceipt },
  ipay: { schema: IpayPayoutPayload, map: ipayToReceipt },
} satisfies Record<WebhookProvider, { schema: z.ZodType; map: (p: never, ctx: ProviderContext) => Mapping }>;

const toIssues = (error: z.ZodError): WebhookIssue[] =>
  error.issues.map((i) => ({
    path: i.path.map((k) => (typeof k === 'number' ? k : String(k))),
    message: i.message,
    code: i.code,
  }));

/**
 * Reads one provider's parsed webhook payload as a {@link PayoutReceipt}.
 *
 * @param provider `'liqx' | 'cashout-reference' | 'ipay'`
 * @param payload the parsed JSON body (see `parseWebhookBody` for the tolerant reading of raw bodies)
 * @param options `eventId` (LIQX: the `webhook-id` header) and `timeZone` (cash-out timestamps; default UTC)
 * @returns the receipt; its `raw` is a deep copy of `payload`, deep-equal to it
 * @throws {WebhookPayloadError} `UNKNOWN_PROVIDER`, `INVALID_PAYLOAD` (with the zod issue paths; also for a
 *   payload nested deeper than {@link MAX_PAYLOAD_DEPTH}) or `MISSING_EVENT_ID`; nothing else for any JSON value
 * @throws {RangeError} for an invalid `timeZone` option (configuration, not payload)
 *
 * @example
 * const payload = parseWebhookBody(rawBody, 'ipay');
 * const receipt = normalizePayoutWebhook('ipay', payload);
 * await store.insertOnce(await receiptKey(receipt), receipt);
 */
export function normalizePayoutWebhook(provider: string, payload: unknown, options: NormalizeOptions = {}): PayoutReceipt {
  const opts = NormalizeOptions.parse(options);
  const timeZone = opts.timeZone ?? 'UTC';
  assertTimeZone(timeZone);
  const known = WebhookProvider.safeParse(provider);
  if (!known.success) {
    throw new WebhookPayloadError(WebhookPayloadErrorCode.UNKNOWN_PROVIDER, provider, [
      { path: [], message: `Unknown provider "${provider}"; expected one of ${WebhookProvider.options.join(', ')}`, code: 'custom' },
    ]);
  }
  // Before anything recursive (zod, structuredClone) touches it: a 100,000-deep value must be a typed refusal.
  assertPayloadDepth(payload, known.data);
  const { schema, map } = PROVIDERS[known.data];
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    throw new WebhookPayloadError(WebhookPayloadErrorCode.INVALID_PAYLOAD, known.data, toIssues(parsed.error));
  }
  const mapped = (map as (p: unknown, ctx: ProviderContext) => Mapping)(parsed.data, { eventId: opts.eventId, timeZone });
  // The receipt schema is the last gate: whatever a mapping produced must be a whole, valid receipt.
  const receipt = PayoutReceipt.safeParse({ provider: known.data, ...mapped, raw: structuredClone(payload) });
  if (!receipt.success) {
    throw new WebhookPayloadError(WebhookPayloadErrorCode.INVALID_PAYLOAD, known.data, toIssues(receipt.error));
  }
  return receipt.data;
}
