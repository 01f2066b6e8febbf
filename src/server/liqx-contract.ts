/**
 * The LIQX partner API contract, owned by the package: what a partner's backend sends to LIQX and what LIQX
 * answers. The typed client (./liqx-client.ts) parses every answer with these; the demo's mock LIQX parses every
 * request with them and sends what they define.
 *
 *   POST /v1/payout-intents                       CreateIntentRequest, Idempotency-Key -> 201 Intent | 4xx LiqxError
 *   POST /v1/payout-intents/:id/widget-sessions   -> 201 WidgetSession | 404/409 LiqxError
 *
 * The webhooks LIQX sends back are read by liqx-payout-widget/webhooks (LiqxWebhookPayload).
 */
import * as z from 'zod';

const ref = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'Use letters, digits and _ . : - only');

/** The amounts and the failure are the same on the wire as in LIQX's webhooks: one definition (../webhooks). */
export { LiqxAmountKrw as AmountKrw, LiqxAmountUsdt as AmountUsdt, LiqxFailure as Failure } from '../webhooks/providers/liqx.js';
import { LiqxAmountKrw as AmountKrw, LiqxAmountUsdt as AmountUsdt, LiqxFailure as Failure } from '../webhooks/providers/liqx.js';

/** A sandbox scenario name (test keys only); production intents carry none. */
export const ScenarioName = z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'An upper-case scenario name');

/**
 * Whom an intent belongs to on the partner's side: its user or account. The kit's session handler sets it from
 * what `authorize` returns (never from the browser); LIQX echoes it on the intent and on every webhook of it, and
 * the receipts read is scoped by it.
 */
export const Owner = z.string().min(1).max(200);

export const CreateIntentRequest = z.object({
  scenario: ScenarioName.optional(),
  owner: Owner.optional(),
  external_ref: ref,
  external_user_id: ref,
  legal_name: z.string().trim().min(1).max(100),
  user_email: z.email(),
  return_url: z.url({ protocol: /^https?$/ }),
  amount_krw: AmountKrw,
  amount_usdt: AmountUsdt,
});
export type CreateIntentRequest = z.infer<typeof CreateIntentRequest>;

export const IntentStatus = z.enum(['reserved', 'completed', 'failed', 'expired']);
export type IntentStatus = z.infer<typeof IntentStatus>;

export const Intent = z.object({
  intent_id: z.string().min(1),
  status: IntentStatus,
  phase: z.literal('PAYOUT'),
  scenario: ScenarioName.optional(),
  external_ref: z.string(),
  external_user_id: z.string(),
  owner: z.string().optional(),
  amount_krw: z.string(),
  amount_usdt: z.string(),
  return_url: z.string(),
  created_at: z.iso.datetime(),
  expires_at: z.iso.datetime(),
});
export type Intent = z.infer<typeof Intent>;

/**
 * What the browser gets: the element's own schema (../protocol/session.ts), so the kit answers 201 with exactly the
 * sessions the element accepts (bounded lengths, http(s) widget_url) and refuses the rest as UPSTREAM_INVALID_RESPONSE.
 */
export { WidgetSession } from './widget-session.js';

export type Failure = z.infer<typeof Failure>;

/** Every LIQX refusal. */
export const LiqxError = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
  /** Present when the refusal still created an intent (reservation preflight failures). */
  intent_id: z.string().optional(),
  external_ref: z.string().optional(),
});
export type LiqxError = z.infer<typeof LiqxError>;

/** The header that makes intent creation safe to retry: the same key returns the first answer. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/**
 * Recovery: LIQX keeps every webhook event it sends, lists them (`GET /v1/events`) and redelivers one on request
 * (`POST /v1/events/:id/redeliver`), so a partner whose endpoint was down past every retry can fetch what it missed.
 * An event's `id` is the `webhook-id` header of every delivery of it: the receipt store's idempotency key.
 */
export const LiqxEventDeliveryState = z.enum(['pending', 'delivered', 'failed']);
export type LiqxEventDeliveryState = z.infer<typeof LiqxEventDeliveryState>;

export const LiqxEvent = z.object({
  /** The `webhook-id` every delivery of this event carries. */
  id: z.string().min(1),
  type: z.string().min(1),
  /** When LIQX created the event (the body's `timestamp`). */
  created_at: z.iso.datetime(),
  intent_id: z.string().min(1),
  /**
   * The webhook body as LIQX signs it (`{ type, timestamp, data }`; `data.attempt` is the number of attempts made
   * so far, at least 1). Read with the webhook reader (liqx-payout-widget/webhooks), so a field LIQX adds later
   * does not make the whole page unreadable.
   */
  payload: z.record(z.string(), z.unknown()),
  delivery: z.object({
    /** pending: retries remain; delivered: an attempt got a 2xx; failed: retries exhausted, or the endpoint answered 410. */
    state: LiqxEventDeliveryState,
    attempts: z.number().int().min(0),
    last_attempt_at: z.iso.datetime().nullable(),
    last_http_status: z.number().int().nullable(),
  }),
});
export type LiqxEvent = z.infer<typeof LiqxEvent>;

/** One page of `GET /v1/events`: oldest first; pass `next_cursor` as `cursor` for the next page (null: no more now). */
export const LiqxEventPage = z.object({ data: z.array(LiqxEvent), next_cursor: z.string().nullable() });
export type LiqxEventPage = z.infer<typeof LiqxEventPage>;

/** The largest `limit` of `GET /v1/events`. */
export const MAX_EVENTS_PAGE = 100;

/** The query of `GET /v1/events` (query-string values; `limit` defaults to 50). */
export const LiqxEventsQuery = z.object({
  /** ISO 8601 with zone: events created at or after it. */
  since: z.iso.datetime({ offset: true }).optional(),
  /** `next_cursor` of the previous page. */
  cursor: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_EVENTS_PAGE).default(50),
});
export type LiqxEventsQuery = z.output<typeof LiqxEventsQuery>;

/** One webhook delivery attempt as LIQX logs it (`GET /v1/webhook-deliveries`, `POST /v1/events/:id/redeliver`). */
export const LiqxDeliveryAttempt = z.object({
  /** The event's id (its `webhook-id`). */
  webhook_id: z.string().min(1),
  event_type: z.string().min(1),
  intent_id: z.string(),
  /** The URL attempted; null when no endpoint was configured (nothing was sent). */
  endpoint: z.string().nullable(),
  /** 1-based, per event, counting scheduled retries and redeliveries alike. */
  attempt: z.number().int().min(1),
  trigger: z.enum(['schedule', 'redeliver']),
  started_at: z.iso.datetime(),
  duration_ms: z.number().int().min(0),
  /** HTTP status, or null on a network error or timeout. */
  http_status: z.number().int().nullable(),
  error: z.string().nullable(),
  ok: z.boolean(),
  /** The endpoint's `Retry-After` (on 429/503), in ms, when it sent one. */
  retry_after_ms: z.number().int().min(0).nullable(),
  /** Wait before the next scheduled attempt; null when none follows (delivered, 410, retries exhausted, redelivery). */
  next_delay_ms: z.number().int().min(0).nullable(),
});
export type LiqxDeliveryAttempt = z.infer<typeof LiqxDeliveryAttempt>;

export const LiqxDeliveryLog = z.object({ deliveries: z.array(LiqxDeliveryAttempt) });
export type LiqxDeliveryLog = z.infer<typeof LiqxDeliveryLog>;

/**
 * Hosted mode: the payout screen opened top-level (full page, new tab, WebView) on LIQX's origin.
 *
 *   POST /v1/payout-intents/:id/hosted-links   -> 201 HostedLink | 404/409 LiqxError
 *
 * `url` carries a single-use code that expires at `expires_at` (never the session token); LIQX exchanges it when the
 * browser opens the link. Opening a hosted link opens a new widget session for the intent (older ones are revoked).
 * At the payout's end the browser is sent to the intent's `return_url` with HOSTED_RETURN_PARAMS: the payload
 * (base64url JSON, HostedReturnPayload) and its signature (`v1,<base64url HMAC-SHA256>`, one per secret while a
 * secret is rotated, space-separated), signed with the partner's webhook secret. The webhook stays the proof.
 */
export const HostedLink = z.object({
  url: z.url({ protocol: /^https?$/ }),
  expires_at: z.iso.datetime(),
  intent_id: z.string().min(1),
  session_id: z.string().min(1),
});
export type HostedLink = z.infer<typeof HostedLink>;

export const HOSTED_RETURN_PARAMS = { result: 'liqx_result', signature: 'liqx_sig' } as const;

/** How a hosted payout ended, as the return says it: an intent that `failed` was rejected by the recipient. */
export const HostedOutcome = z.enum(['completed', 'rejected', 'expired']);
export type HostedOutcome = z.infer<typeof HostedOutcome>;

export const HostedReturnPayload = z.strictObject({
  v: z.literal(1),
  /** Unique per signed return: a partner that keeps it can refuse a replayed return. */
  return_id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  intent_id: z.string().min(1).max(64),
  session_id: z.string().min(1).max(64),
  external_ref: z.string().min(1).max(64),
  outcome: HostedOutcome,
  transaction_id: z.string().min(1).max(64).optional(),
  /** The failure code of a rejected or expired payout (e.g. USER_DECLINED, INTENT_EXPIRED). */
  reason_code: z.string().min(1).max(64).optional(),
  /** Unix seconds when LIQX signed the return. */
  issued_at: z.number().int().nonnegative(),
});
export type HostedReturnPayload = z.infer<typeof HostedReturnPayload>;
