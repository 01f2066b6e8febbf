/**
 * The demo scenario catalog: plain data both servers and the host page agree on.
 *
 * It is the demo's script, not mock-LIQX code: the partner proxy reads it for `GET /api/config` and
 * `expected_webhook`, and the mock LIQX reads it to decide what each scenario does. Imports zod and the package's
 * LIQX webhook and failure schemas (a scenario ends in one of its event types).
 *
 *   VERIFIED                    reserved; Confirm in the widget -> transaction.completed (phase PAYOUT)
 *   USER_DECLINES               reserved; Decline in the widget  -> transaction.failed (USER_DECLINED)
 *   KYC_NOT_VERIFIED            422 at create                     -> transaction.failed
 *   BANK_ACCOUNT_MISSING        422 at create                     -> transaction.failed
 *   BROKER_POLICY_BLOCKED       422 at create                     -> transaction.failed
 *   MERCHANT_CAPACITY_EXCEEDED  409 at create                     -> transaction.failed
 *   EXPIRES                     reserved with a short TTL         -> transaction.expired
 *   PARTNER_ENDPOINT_FLAKY      like VERIFIED; the partner endpoint answers 503 twice -> one receipt, attempts 3
 */
import * as z from 'zod';
import { LiqxWebhookEvent, ReceiptFailure } from '../../src/webhooks/internal.js';

export const SCENARIO_IDS = [
  'VERIFIED',
  'USER_DECLINES',
  'KYC_NOT_VERIFIED',
  'BANK_ACCOUNT_MISSING',
  'BROKER_POLICY_BLOCKED',
  'MERCHANT_CAPACITY_EXCEEDED',
  'EXPIRES',
  'PARTNER_ENDPOINT_FLAKY',
] as const;
export const ScenarioId = z.enum(SCENARIO_IDS);
export type ScenarioId = z.infer<typeof ScenarioId>;

/** The webhook a scenario ends in: one of LIQX's event types, as the package's webhook schema names them. */
export const WebhookType = LiqxWebhookEvent.shape.type;
export type WebhookType = z.infer<typeof WebhookType>;

/** One scenario as `GET /api/config` lists it (the page's scenario picker). */
export const ScenarioSummary = z.object({
  id: ScenarioId,
  label: z.string().min(1),
  description: z.string().min(1),
  expected_webhook: WebhookType,
});
export type ScenarioSummary = z.infer<typeof ScenarioSummary>;

/** A catalog entry: the summary plus what only the mock LIQX reads. */
export const Scenario = ScenarioSummary.extend({
  /** Set for the reservation preflight failures: the upstream error (the package's failure) LIQX answers with at create time. */
  preflight: ReceiptFailure.extend({ http_status: z.union([z.literal(409), z.literal(422)]) }).optional(),
});
export type Scenario = z.infer<typeof Scenario>;

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'VERIFIED',
    label: 'Claim-ready reservation',
    description:
      'Uses the seeded mapped user with KYC, bank account, broker policy, and merchant capacity prerequisites in place. Create returns a reserved intent; completion proof arrives later as transaction.completed with phase=PAYOUT.',
    expected_webhook: 'transaction.completed',
  },
  {
    id: 'USER_DECLINES',
    label: 'User declines in the widget',
    description:
      'The reservation succeeds and the widget opens; the user declines with a reason code. The browser sees PAYOUT_REJECTED (onPayoutRejected); the durable proof is transaction.failed.',
    expected_webhook: 'transaction.failed',
  },
  {
    id: 'KYC_NOT_VERIFIED',
    label: 'Preflight: KYC not verified',
    description:
      'LIQX refuses the reservation because the mapped user has not completed KYC. The upstream error is shown in the widget panel; LIQX still sends transaction.failed.',
    expected_webhook: 'transaction.failed',
    preflight: { http_status: 422, code: 'KYC_NOT_VERIFIED', message: 'The recipient has not completed identity verification (KYC).' },
  },
  {
    id: 'BANK_ACCOUNT_MISSING',
    label: 'Preflight: no bank account',
    description:
      'LIQX refuses the reservation because no verified KRW bank account is registered for the user. Upstream error plus transaction.failed.',
    expected_webhook: 'transaction.failed',
    preflight: { http_status: 422, code: 'BANK_ACCOUNT_MISSING', message: 'No verified KRW bank account is registered for the recipient.' },
  },
  {
    id: 'BROKER_POLICY_BLOCKED',
    label: 'Preflight: broker policy',
    description:
      "LIQX refuses the reservation because the partner's broker policy blocks this payout. Upstream error plus transaction.failed.",
    expected_webhook: 'transaction.failed',
    preflight: { http_status: 422, code: 'BROKER_POLICY_BLOCKED', message: 'The broker policy does not allow this payout for the recipient.' },
  },
  {
    id: 'MERCHANT_CAPACITY_EXCEEDED',
    label: 'Preflight: merchant capacity',
    description:
      'LIQX refuses the reservation because the merchant has no remaining PAYOUT capacity. Upstream 409 plus transaction.failed.',
    expected_webhook: 'transaction.failed',
    preflight: { http_status: 409, code: 'MERCHANT_CAPACITY_EXCEEDED', message: 'The merchant has no remaining PAYOUT capacity for this amount.' },
  },
  {
    id: 'EXPIRES',
    label: 'Reservation expires',
    description:
      'The reservation succeeds with a short TTL. If nobody confirms, LIQX expires it: the widget shows PAYOUT_EXPIRED and the durable proof is transaction.expired.',
    expected_webhook: 'transaction.expired',
  },
  {
    id: 'PARTNER_ENDPOINT_FLAKY',
    label: 'Partner webhook endpoint flaky',
    description:
      'Completes like the claim-ready case, but the partner webhook endpoint answers 503 to the first two deliveries. LIQX retries with exponential backoff; one receipt is stored with attempts=3.',
    expected_webhook: 'transaction.completed',
  },
];

export function scenario(id: ScenarioId): Scenario {
  return SCENARIOS.find((s) => s.id === id)!;
}

/** The user the partner maps a blank external_user_id to (KYC, bank account and policy all in place). */
export const SEEDED_USER_ID = 'usr_seed_0001';
