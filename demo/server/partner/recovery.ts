/**
 * The diagnostics panel's recovery routes: what a partner backend runs after its webhook endpoint missed deliveries,
 * through the LIQX API with the partner key (docs/recovery.md). JSON only, like every partner POST.
 *
 *   POST /api/webhooks/liqx/reconcile   { since: ISO 8601 with zone } -> 200 ReconcileResult (the kit's `reconcile`
 *        into the demo's receipt store); LIQX refusing the events list: 502/504 with `partial`, what was stored first
 *   POST /api/webhooks/liqx/redeliver   { event_id } -> 200 LiqxDeliveryAttempt (LIQX sends the event once more, now,
 *        with the same webhook-id: the endpoint stores it once) | 404 EVENT_NOT_FOUND
 *   GET  /api/webhooks/liqx/deliveries?intent_id= -> 200 LiqxDeliveryLog, every attempt for that intent, oldest first
 *        | 404 INTENT_NOT_FOUND
 *   400 INVALID_REQUEST with the zod issue paths on a bad body or query.
 *   GET  /api/webhooks/quarantine, POST /api/webhooks/quarantine/replay   verified deliveries the kit could not
 *        read, listed and replayed (./quarantine.ts)
 *
 * Scoping: redeliver and the delivery log act on one intent, so they answer only for an intent of the signed-in
 * user (LIQX's `owner` of it); another owner's intent is answered as not found, never as forbidden, so ids cannot
 * be probed. Reconcile is the sandbox operator's action (like the cross-owner receipts read): it stores every
 * event LIQX lists, each under its own owner, and answers only counts and event ids.
 */
import type { Hono } from 'hono';
import * as z from 'zod';
import {
  BodyTooLargeError,
  Intent,
  LiqxDeliveryLog,
  LiqxError,
  LiqxEvent,
  ReconcileError,
  errorResponse,
  readCappedBody,
  reconcile,
  zodIssues,
  type LiqxClient,
  type LiqxRefusal,
  type ReceiptStore,
  type ReconcileResult,
} from '../../../src/server/internal.js';
import { registerQuarantineRoutes } from './quarantine.js';

export interface RecoveryOptions {
  liqx: LiqxClient;
  /**
   * LIQX's base URL and the partner key, for the two reads LiqxClient has no method for (one event, the delivery
   * log). Without it those routes answer 503 NOT_CONFIGURED.
   */
  liqxApi: { baseUrl: () => string; apiKey: string } | undefined;
  store: ReceiptStore<unknown>;
  /** The signed-in user (the demo has one): intents of any other owner are not found. */
  owner: string;
  maxBodyBytes: number;
  /** Per LIQX read, ms; default 10000. */
  timeoutMs?: number;
}

export const ReconcileRequest = z.object({ since: z.iso.datetime({ offset: true }) });
export const RedeliverRequest = z.object({ event_id: LiqxEvent.shape.id.max(200) });
export const DeliveriesQuery = z.object({ intent_id: Intent.shape.intent_id.max(200) });

/** LIQX's refusal as this proxy answers it: its own 4xx pass through; a refused key or a 5xx is the proxy's 502. */
function refusalResponse(r: LiqxRefusal, extra?: Record<string, unknown>): Response {
  const opts = { upstreamStatus: r.status, ...(extra ? { extra } : {}) };
  if (r.status === 401 || r.status === 403) {
    return errorResponse('UPSTREAM_AUTH_REFUSED', 'LIQX refused the partner API key: check the key the server is configured with.', opts);
  }
  if (r.code.startsWith('UPSTREAM_')) return errorResponse(r.code, r.message, { ...opts, status: r.status });
  if (r.status >= 400 && r.status < 500) return errorResponse(r.code, r.message, { ...opts, status: r.status, ...(r.issues ? { issues: r.issues } : {}) });
  return errorResponse('UPSTREAM_ERROR', `LIQX answered HTTP ${r.status}: ${r.message}`, opts);
}

async function readJsonBody<S extends z.ZodType>(req: Request, schema: S, maxBytes: number, hint: string): Promise<z.output<S> | Response> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(await readCappedBody(req, maxBytes)));
  } catch (error) {
    if (error instanceof BodyTooLargeError) return errorResponse('PAYLOAD_TOO_LARGE', error.message);
    return errorResponse('INVALID_REQUEST', 'The body is not JSON.', { issues: [{ path: '(root)', message: 'The body must be a JSON object.' }] });
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : errorResponse('INVALID_REQUEST', hint, { issues: zodIssues(parsed.error) });
}

export function registerRecoveryRoutes(app: Hono, opts: RecoveryOptions): void {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  registerQuarantineRoutes(app, { store: opts.store, maxBodyBytes: opts.maxBodyBytes });

  /** A typed GET of the LIQX API for the reads LiqxClient lacks; the same refusal shape as LiqxClient's. */
  async function liqxGet<S extends z.ZodType>(api: NonNullable<RecoveryOptions['liqxApi']>, path: string, schema: S): Promise<{ ok: true; data: z.output<S> } | LiqxRefusal> {
    let res: Response;
    let raw: unknown;
    try {
      res = await fetch(`${api.baseUrl()}${path}`, {
        headers: { authorization: `Bearer ${api.apiKey}`, accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
      raw = await res.json().catch(() => null);
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      return { ok: false, status: timedOut ? 504 : 502, code: timedOut ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_UNAVAILABLE', message: `LIQX: ${(error as Error).message}`, raw: null };
    }
    if (!res.ok) {
      const err = LiqxError.safeParse(raw);
      return err.success
        ? { ok: false, status: res.status, code: err.data.error.code, message: err.data.error.message, raw }
        : { ok: false, status: res.status, code: 'UPSTREAM_ERROR', message: `LIQX answered HTTP ${res.status}.`, raw };
    }
    const parsed = schema.safeParse(raw);
    return parsed.success
      ? { ok: true, data: parsed.data }
      : { ok: false, status: 502, code: 'UPSTREAM_INVALID_RESPONSE', message: 'LIQX answered with a body that does not match its contract.', raw };
  }

  /** The intent if it is the signed-in user's; a 404 (also for another owner's intent) or LIQX's refusal otherwise. */
  async function ownIntent(intentId: string): Promise<Intent | Response> {
    const intent = await opts.liqx.getIntent(intentId);
    if (!intent.ok) {
      return intent.status === 404 ? errorResponse('INTENT_NOT_FOUND', 'No such payout intent.', { status: 404 }) : refusalResponse(intent);
    }
    if (intent.data.owner !== opts.owner) return errorResponse('INTENT_NOT_FOUND', 'No such payout intent.', { status: 404 });
    return intent.data;
  }

  const notConfigured = () => errorResponse('NOT_CONFIGURED', 'The recovery routes need the LIQX API base URL and key (liqxApi).', { status: 503 });

  app.post('/api/webhooks/liqx/reconcile', async (c) => {
    const body = await readJsonBody(c.req.raw, ReconcileRequest, opts.maxBodyBytes, 'Send { "since": "<ISO 8601 date-time with zone>" }.');
    if (body instanceof Response) return body;
    try {
      // No onReceipt: the webhook endpoint's one is the simulated outage of PARTNER_ENDPOINT_FLAKY, which is
      // exactly what reconciling recovers from.
      const result: ReconcileResult = await reconcile({ liqx: opts.liqx, store: opts.store, since: body.since });
      return c.json(result);
    } catch (error) {
      if (!(error instanceof ReconcileError)) throw error;
      if (error.refusal) return refusalResponse(error.refusal, { partial: error.partial });
      return errorResponse('INVALID_REQUEST', error.message, { issues: [{ path: 'since', message: error.message }] });
    }
  });

  app.post('/api/webhooks/liqx/redeliver', async (c) => {
    const body = await readJsonBody(c.req.raw, RedeliverRequest, opts.maxBodyBytes, 'Send { "event_id": "<the event\'s webhook-id>" }.');
    if (body instanceof Response) return body;
    if (!opts.liqxApi) return notConfigured();
    const event = await liqxGet(opts.liqxApi, `/v1/events/${encodeURIComponent(body.event_id)}`, LiqxEvent);
    if (!event.ok) return event.status === 404 ? errorResponse('EVENT_NOT_FOUND', 'No such event.', { status: 404 }) : refusalResponse(event);
    const intent = await ownIntent(event.data.intent_id);
    if (intent instanceof Response) {
      return intent.status === 404 ? errorResponse('EVENT_NOT_FOUND', 'No such event.', { status: 404 }) : intent;
    }
    const attempt = await opts.liqx.redeliver(body.event_id);
    return attempt.ok ? c.json(attempt.data) : refusalResponse(attempt);
  });

  app.get('/api/webhooks/liqx/deliveries', async (c) => {
    const query = DeliveriesQuery.safeParse(c.req.query());
    if (!query.success) return errorResponse('INVALID_REQUEST', 'Send ?intent_id=<a payout intent id>.', { issues: zodIssues(query.error) });
    if (!opts.liqxApi) return notConfigured();
    const intent = await ownIntent(query.data.intent_id);
    if (intent instanceof Response) return intent;
    const log = await liqxGet(opts.liqxApi, `/v1/webhook-deliveries?${new URLSearchParams({ intent_id: intent.intent_id })}`, LiqxDeliveryLog);
    if (!log.ok) return refusalResponse(log);
    const answer: LiqxDeliveryLog = log.data;
    return c.json(answer, 200, { 'cache-control': 'no-store' });
  });
}
