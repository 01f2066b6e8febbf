/**
 * The partner proxy's own HTTP contract: demo/server/partner serves it, the partner page (demo/app) calls it with
 * type-only imports of what is here. Every shape is the package's, narrowed to the demo's scenario catalog: the
 * payout request is the kit's CreateIntentRequest, the session is the element's WidgetSession, a refusal is the
 * kit's error body.
 *
 *   GET  /api/config    -> DemoConfig
 *   POST /api/payouts   PayoutRequest -> 201 PayoutCreated | 4xx/5xx ApiErrorBody
 */
import * as z from 'zod';
import { CreateIntentRequest, type IssueJson, type Intent, type LiqxError, type WidgetSession } from '../../src/server/internal.js';
import { ScenarioId, ScenarioSummary, type WebhookType } from './scenarios.js';

/** The body of `GET /api/config`: where the frame comes from, and the scenario picker's list. */
export const DemoConfig = z.object({ liqx_origin: z.string(), scenarios: z.array(ScenarioSummary) });
export type DemoConfig = z.infer<typeof DemoConfig>;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/**
 * The body of `POST /api/payouts`: the kit's intent request with one of the demo's scenarios, without `owner` (the
 * proxy's `authorize` sets it, never the browser), and with blank refs meaning "fill it in" (the proxy does).
 */
export const PayoutRequest = CreateIntentRequest.omit({ owner: true }).extend({
  scenario: ScenarioId,
  external_ref: z.preprocess(blankToUndefined, CreateIntentRequest.shape.external_ref.optional()),
  external_user_id: z.preprocess(blankToUndefined, CreateIntentRequest.shape.external_user_id.optional()),
});
export type PayoutRequest = z.infer<typeof PayoutRequest>;

/** The session handler's 201: the intent's ids and status, the session for the element, and the proxy's extras. */
export type PayoutCreated = Pick<Intent, 'intent_id' | 'status' | 'external_ref' | 'external_user_id'> & {
  scenario: ScenarioId;
  expected_webhook: WebhookType;
  /** The kit answers with a session of this intent, so `intent_id` is always there. */
  widget_session: WidgetSession & { intent_id: string };
  /** LIQX's raw answers (`exposeUpstream`), for the proof panels. */
  upstream: { intent: unknown; session: unknown };
};

export type ApiIssue = IssueJson;

/**
 * A refusal: the kit's error body. A LIQX refusal passes on LIQX's own body (its `intent_id` and `external_ref` when
 * the refusal still created an intent) with LIQX's status as `upstream_status`.
 */
export type ApiErrorBody = Omit<LiqxError, 'error'> & {
  error: LiqxError['error'] & { upstream_status?: number };
  upstream?: unknown;
};
