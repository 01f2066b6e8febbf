/**
 * The LIQX PAYOUT wire contract as the demo's mock LIQX publishes it: request and response bodies,
 * the webhook event, the widget API. Both sides of the HTTP boundary parse with these schemas, the
 * way a partner would use a provider's published types; neither imports the other's code.
 * Imports only zod and the scenario catalog. Browser code imports types only (`import type`).
 *
 *   POST /v1/payout-intents                        CreateIntentRequest -> 201 Intent | 4xx LiqxError
 *   POST /v1/payout-intents/:id/widget-sessions    -> 201 WidgetSession | 404/409 LiqxError
 *   GET  /v1/widget/payout          (Bearer token)  -> 200 WidgetPayout | 401
 *   POST /v1/widget/payout/confirm  (Bearer token)  -> 200 WidgetPayout (status completed) | 409
 *   POST /v1/widget/payout/decline  (Bearer token)  DeclineRequest -> 200 WidgetPayout (status failed) | 409
 *   webhook to the partner: WebhookEvent, Standard Webhooks headers
 */
import * as z from 'zod';
import { ScenarioId } from './scenarios.js';

const ref = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'Use letters, digits and _ . : - only');

/** Whole won, no separators: "100000". */
export const AmountKrw = z
  .string()
  .regex(/^[1-9][0-9]{0,11}$/, 'A whole KRW amount as a decimal string, e.g. "100000"');
/** Up to 6 decimals, positive: "75.000000". */
export const AmountUsdt = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,11})(\.[0-9]{1,6})?$/, { error: 'A USDT amount with at most 6 decimals, e.g. "75.000000"', abort: true })
  .refine((v) => Number(v) > 0, 'Must be greater than 0');

export const CreateIntentRequest = z.object({
  scenario: ScenarioId,
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
  intent_id: z.string(),
  status: IntentStatus,
  phase: z.literal('PAYOUT'),
  scenario: ScenarioId,
  external_ref: z.string(),
  external_user_id: z.string(),
  amount_krw: z.string(),
  amount_usdt: z.string(),
  return_url: z.string(),
  created_at: z.iso.datetime(),
  expires_at: z.iso.datetime(),
});
export type Intent = z.infer<typeof Intent>;

export const WidgetSession = z.object({
  session_id: z.string(),
  widget_url: z.url(),
  session_token: z.string(),
  expires_at: z.iso.datetime(),
  intent_id: z.string(),
});
export type WidgetSession = z.infer<typeof WidgetSession>;

export const Failure = z.object({ code: z.string().min(1), message: z.string() });
export type Failure = z.infer<typeof Failure>;

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

/** `[{ path: 'amount_krw', message }]` from a zod error, as every 400 in the demo reports it. */
export function zodIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
}
