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
 * What the browser gets: the element's own schema (../session.ts), so the kit answers 201 with exactly the sessions
 * the element accepts (bounded lengths, http(s) widget_url) and refuses the rest as UPSTREAM_INVALID_RESPONSE.
 */
export { WidgetSession } from '../session.js';

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
