/**
 * One entry point from a provider's parsed webhook payload to a PayoutReceipt. All or nothing: a payload either
 * maps completely and passes the receipt schema, or is refused with a typed error listing every issue path.
 */
import * as z from 'zod';
import { WebhookPayloadError, WebhookPayloadErrorCode, type WebhookIssue } from './errors.js';
import { WebhookProvider, type PayoutReceipt } from './receipt.js';
import { CashoutReferencePayload, cashoutToReceipt } from './providers/cashout-reference.js';
import { IpayPayoutPayload, ipayToReceipt } from './providers/ipay.js';
import { LiqxWebhookPayload, liqxPayloadFastPath, liqxToReceipt } from './providers/liqx.js';
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
/**
 * Per provider: its payload schema, the mapping to receipt fields, and the event's phase (the stage of the payout
 * flow the event reports; only LIQX has one, and only PAYOUT events are accepted there).
 */
const PROVIDERS = {
  liqx: { schema: LiqxWebhookPayload, map: liqxToReceipt, phase: (p: LiqxWebhookPayload) => p.data.phase },
  'cashout-reference': { schema: CashoutReferencePayload, map: cashoutToReceipt, phase: () => null },
  ipay: { schema: IpayPayoutPayload, map: ipayToReceipt, phase: () => null },
} satisfies Record<WebhookProvider, { schema: z.ZodType; map: (p: never, ctx: ProviderContext) => Mapping; phase: (p: never) => string | null }>;

const toIssues = (error: z.ZodError): WebhookIssue[] =>
  error.issues.map((i) => ({
    path: i.path.map((k) => (typeof k === 'number' ? k : String(k))),
    message: i.message,
    code: i.code,
  }));

/** A normalized event: the receipt and what the store needs beside it. */
export interface Normalized {
  receipt: PayoutReceipt;
  /** The event's phase (LIQX: `PAYOUT`); null for providers without one. */
  phase: string | null;
}

/**
 * The one normalization step, for a payload whose depth was already checked. With `copy` false, `raw` becomes the
 * receipt's `raw` as is: for a value the caller owns, such as a body it has just parsed.
 *
 * @throws {WebhookPayloadError} `INVALID_PAYLOAD` or `MISSING_EVENT_ID`
 */
export function normalizeChecked(provider: WebhookProvider, raw: unknown, ctx: ProviderContext, copy = false): Normalized {
  const { schema, map, phase } = PROVIDERS[provider];
  // A body this pipeline has just parsed (not a caller's value, which may hold getters) that LIQX's schema would
  // return unchanged skips the schema; anything else is the schema's to accept or refuse.
  const fast = provider === 'liqx' && !copy ? liqxPayloadFastPath(raw) : undefined;
  const parsed = fast ? { success: true as const, data: fast } : schema.safeParse(raw);
  if (!parsed.success) throw new WebhookPayloadError(WebhookPayloadErrorCode.INVALID_PAYLOAD, provider, toIssues(parsed.error));
  const mapped = (map as (p: unknown, ctx: ProviderContext) => Mapping)(parsed.data, ctx);
  // The payload schema is the one validation: each mapping builds a valid receipt from any payload that passed it
  // (typed here; values held by the fast-check properties in test/node/package/webhooks-properties.test.ts, which check
  // every accepted receipt against the PayoutReceipt schema). Validating the receipt again cost as much as the
  // payload schema itself on every delivery.
  const receipt: PayoutReceipt = { provider, ...mapped, raw: copy ? structuredClone(raw) : raw };
  return { receipt, phase: (phase as (p: unknown) => string | null)(parsed.data) };
}

/** The provider name checked, or the typed refusal. */
export function knownProvider(provider: string): WebhookProvider {
  const known = WebhookProvider.safeParse(provider);
  if (known.success) return known.data;
  throw new WebhookPayloadError(WebhookPayloadErrorCode.UNKNOWN_PROVIDER, provider, [
    { path: [], message: `Unknown provider "${provider}"; expected one of ${WebhookProvider.options.join(', ')}`, code: 'custom' },
  ]);
}

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
 * const key = await receiptKey(receipt); // store the receipt under this key, once
 */
export function normalizePayoutWebhook(provider: string, payload: unknown, options: NormalizeOptions = {}): PayoutReceipt {
  const opts = NormalizeOptions.parse(options);
  const timeZone = opts.timeZone ?? 'UTC';
  assertTimeZone(timeZone);
  const known = knownProvider(provider);
  // Before anything recursive (zod, structuredClone) touches it: a 100,000-deep value must be a typed refusal.
  assertPayloadDepth(payload, known);
  // The caller keeps its value: the receipt gets a copy.
  return normalizeChecked(known, payload, { eventId: opts.eventId, timeZone }, true).receipt;
}
