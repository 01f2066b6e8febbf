/**
 * The LIQX wire contract as the demo uses it, shared by the demo's servers and its frame page (demo/contract/ is
 * imported by demo/server and demo/frame and imports neither). The partner API (intents, widget sessions, errors) is the
 * package's own (liqx-payout-widget/server, src/server/liqx-contract.ts): the mock LIQX parses requests and sends
 * answers with those schemas, narrowed here to the demo's scenario catalog. What stays here is the mock LIQX's
 * private widget API (its frame talks to it) and the strict shape of the webhook it sends.
 *
 *   POST /v1/payout-intents                        CreateIntentRequest -> 201 Intent | 4xx LiqxError
 *   POST /v1/payout-intents/:id/widget-sessions    -> 201 WidgetSession | 404/409 LiqxError
 *   GET  /v1/widget/payout          (Bearer token)  -> 200 WidgetPayout | 401
 *   POST /v1/widget/payout/confirm  (Bearer token)  -> 200 WidgetPayout (status completed) | 409
 *   POST /v1/widget/payout/decline  (Bearer token)  DeclineRequest -> 200 WidgetPayout (status failed) | 409
 *   webhook to the partner: WebhookEvent (the package's LiqxWebhookEvent), Standard Webhooks headers
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

/**
 * The package's intent request with the demo's scenario (what the mock LIQX plays). A real partner's backend sends
 * none, so the sandbox plays the claim-ready path (VERIFIED) when it is absent.
 */
export const CreateIntentRequest = PartnerCreateIntentRequest.extend({ scenario: ScenarioId.default('VERIFIED') });
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

/** The signed body the mock LIQX POSTs to the partner: the package's contract, sent as it defines it. */
export { LiqxWebhookEvent as WebhookEvent } from '../../src/webhooks/providers/liqx.js';
