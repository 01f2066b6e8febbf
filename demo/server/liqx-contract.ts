/**
 * The LIQX wire contract as the demo uses it. The partner API (intents, widget sessions, errors) is the
 * package's own (liqx-payout-widget/server, src/server/liqx-contract.ts): the mock LIQX parses requests and sends
 * answers with those schemas, narrowed here to the demo's scenario catalog. What stays here is the mock LIQX's
 * private widget API (its frame talks to it) and the strict shape of the webhook it sends.
 *
 *   POST /v1/payout-intents                        CreateIntentRequest -> 201 Intent | 4xx LiqxError
 *   POST /v1/payout-intents/:id/widget-sessions    -> 201 WidgetSession | 404/409 LiqxError
 *   GET  /v1/widget/payout          (Bearer token)  -> 200 WidgetPayout | 401
 *   POST /v1/widget/payout/confirm  (Bearer token)  -> 200 WidgetPayout (status completed) | 409
 *   POST /v1/widget/payout/decline  (Bearer token)  DeclineRequest -> 200 WidgetPayout (status failed) | 409
 *   webhook to the partner: WebhookEvent, Standard Webhooks headers
 */
import * as z from 'zod';
import {
  AmountKrw,
  AmountUsdt,
  CreateIntentRequest as PartnerCreateIntentRequest,
  Failure,
  Intent as PartnerIntent,
  IntentStatus,
  LiqxError,
  WidgetSession,
} from '../../src/server/liqx-contract.js';
import { ScenarioId } from './scenarios.js';

export { AmountKrw, AmountUsdt, Failure, IntentStatus, LiqxError, WidgetSession };
export { zodIssues } from '../../src/server/errors.js';

/** The package's intent request with the demo's scenario required (the mock LIQX needs to know what to play). */
export const CreateIntentRequest = PartnerCreateIntentRequest.extend({ scenario: ScenarioId });
export type CreateIntentRequest = z.infer<typeof CreateIntentRequest>;
export const Intent = PartnerIntent.extend({ scenario: ScenarioId });
export type Intent = z.infer<typeof Intent>;

export const DECLINE_REASONS = ['USER_DECLINED', 'AMOUNT_INCORRECT', 'ACCOUNT_INCORRECT', 'NOT_REQUESTED'] as const;
export const DeclineRequest = z.object({
  reason_code: z.enum(DECLINE_REASONS),
  message: z.string().trim().max(500).optional(),
});
export type DeclineRequest = z.infer<typeof DeclineRequest>;

/** What the widget frame shows: the payout, the recipient, the masked account. */
export const WidgetPayout = z.object({
  intent_id: z.string(),
  session_id: z.string(),
  status: IntentStatus,
  external_ref: z.string(),
  amount_krw: z.string(),
  amount_usdt: z.string(),
  legal_name: z.string(),
  bank: z.object({ name_ko: z.string(), name_en: z.string(), masked_account: z.string() }),
  expires_at: z.iso.datetime(),
  /** When this session stops working (never after expires_at); at or past it the token is refused with SESSION_EXPIRED. */
  session_expires_at: z.iso.datetime(),
  /** Lets the frame correct its countdown for clock skew; the server's expiry timer is authoritative. */
  server_time: z.iso.datetime(),
  transaction_id: z.string().optional(),
  failure: Failure.optional(),
});
export type WidgetPayout = z.infer<typeof WidgetPayout>;

export const WEBHOOK_TYPES = ['transaction.completed', 'transaction.failed', 'transaction.expired'] as const;
export const WebhookType = z.enum(WEBHOOK_TYPES);

/** The signed body LIQX POSTs to the partner after each outcome. */
export const WebhookEvent = z.object({
  type: WebhookType,
  timestamp: z.iso.datetime(),
  data: z.object({
    intent_id: z.string().min(1),
    external_ref: z.string().min(1),
    external_user_id: z.string().min(1),
    phase: z.literal('PAYOUT'),
    status: z.enum(['completed', 'failed', 'expired']),
    amount_krw: AmountKrw,
    amount_usdt: AmountUsdt,
    transaction_id: z.string().optional(),
    failure: Failure.optional(),
    /** 1 on the first delivery; the receipt records the attempt that got through. */
    attempt: z.number().int().min(1),
  }),
});
export type WebhookEvent = z.infer<typeof WebhookEvent>;
