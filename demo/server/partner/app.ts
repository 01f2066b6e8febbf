/**
 * The partner proxy (the partner page's own origin, default 127.0.0.1:4317). It talks to LIQX over HTTP
 * only (./liqx-client.ts) and keeps the durable webhook receipts (../receipt-store.ts).
 *
 *   GET  /                        the Partner CRM simulator page (demo/dist/index.html), /assets/* beside it
 *   GET  /api/config              -> { liqx_origin, scenarios: [{ id, label, description, expected_webhook }] }
 *   POST /api/payouts             { scenario, external_ref?, external_user_id?, legal_name, user_email, return_url,
 *                                   amount_krw: "100000", amount_usdt: "75.000000" }
 *        201 { intent_id, status, external_ref, external_user_id, scenario, expected_webhook,
 *              widget_session: { session_id, widget_url, session_token, expires_at, intent_id },
 *              upstream: { intent, session } }                          (raw LIQX bodies as proof)
 *        400 { error: { code: 'INVALID_REQUEST', message, issues: [{ path, message }] } }
 *        upstream refusal: LIQX's HTTP status, { error: { code, message, upstream_status }, upstream, intent_id?, external_ref }
 *   POST /api/webhooks/liqx       Standard Webhooks; 401 forged/missing/replayed (nothing stored), 400 malformed,
 *                                 200 { received: true, duplicate: false, webhook_id } after the commit,
 *                                 200 { received: true, duplicate: true, webhook_id } for an id already stored,
 *                                 503 for the first 2 deliveries of a PARTNER_ENDPOINT_FLAKY intent
 *   GET  /api/webhooks/liqx/events?limit=20&provider=&intent_id=&external_ref=&type=&status=&since=
 *   GET  /api/webhooks/events      (the same read; the name says it spans every provider)
 *        200 { rows: [...newest first], limit, count }; limit 1..100 (default 20), else 400; blank filters are ignored;
 *        rows of every provider (liqx, cashout-reference, ipay) unless `provider` narrows them
 *   POST /api/webhooks/cashout, POST /api/webhooks/ipay, POST /api/demo/sample-webhook   (./provider-webhooks.ts)
 *
 * Every stored receipt, LIQX's included, is normalized by liqx-payout-widget/webhooks (src/webhooks).
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as z from 'zod';
import { AmountKrw, AmountUsdt, zodIssues, type CreateIntentRequest } from '../liqx-contract.js';
import { builtAssets } from '../http.js';
import { invalidRequest, parseJsonBody } from '../json-body.js';
import type { ReceiptStore } from '../receipt-store.js';
import { SCENARIOS, SEEDED_USER_ID, ScenarioId, scenario } from '../scenarios.js';
import type { LiqxClient } from './liqx-client.js';
import { createWebhookVerifier } from './webhook-verifier.js';
import { normalizePayoutWebhook, parseWebhookBody, ReceiptStatus, WebhookPayloadError, WebhookProvider } from '../../../src/webhooks/index.js';
import { DEMO_PROVIDER_SECRETS, payloadRefusal, registerProviderWebhooks, toNewReceipt } from './provider-webhooks.js';

export interface PartnerOptions {
  liqx: LiqxClient;
  /** The LIQX origin the page's widget frame comes from (CSP frame-src, /api/config). */
  liqxOrigin: () => string;
  webhookSecret: string;
  webhookToleranceSec: number;
  store: ReceiptStore;
  /** Built demo pages (demo/dist). */
  distDir: string;
  /** How many deliveries a PARTNER_ENDPOINT_FLAKY intent refuses before accepting. */
  flakyFailures: number;
  /** Shared HMAC secrets of the cash-out reference and Ipay endpoints; default DEMO_PROVIDER_SECRETS. */
  providerSecrets?: { cashout: string; ipay: string };
  /** This server's own origin, for the sample-webhook sender; without it that route answers 503. */
  selfUrl?: () => string;
}

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalRef = z.preprocess(blankToUndefined, z.string().trim().max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'Use letters, digits and _ . : - only').optional());

/** What the page sends; blank external_ref / external_user_id are filled in by the proxy. */
export const PayoutRequest = z.object({
  scenario: ScenarioId,
  external_ref: optionalRef,
  external_user_id: optionalRef,
  legal_name: z.string().trim().min(1).max(100),
  user_email: z.email(),
  return_url: z.url({ protocol: /^https?$/ }),
  amount_krw: AmountKrw,
  amount_usdt: AmountUsdt,
});
export type PayoutRequest = z.infer<typeof PayoutRequest>;

const filter = z.preprocess(blankToUndefined, z.string().max(200).optional());
export const EventsQuery = z.object({
  limit: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100).default(20)),
  intent_id: filter,
  external_ref: filter,
  provider: z.preprocess(blankToUndefined, WebhookProvider.optional()),
  /** Any provider's raw event type: transaction.completed, CASHOUT_REFERENCE_FAILED, payoutUpdate, ... */
  type: z.preprocess(blankToUndefined, z.string().max(100).optional()),
  status: z.preprocess(blankToUndefined, ReceiptStatus.optional()),
  since: z.preprocess(blankToUndefined, z.iso.datetime({ offset: true }).optional()),
});

function pageCsp(liqxOrigin: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    `frame-src ${liqxOrigin}`,
    "base-uri 'none'",
    "object-src 'none'",
    "form-action 'self'",
  ].join('; ');
}

export function createPartnerApp(opts: PartnerOptions): Hono {
  const app = new Hono();
  const verify = createWebhookVerifier(opts.webhookSecret, opts.webhookToleranceSec);
  /** intent_id -> deliveries still to refuse (PARTNER_ENDPOINT_FLAKY). In memory: it is a simulated outage. */
  const flaky = new Map<string, number>();

  app.get('/api/config', (c) =>
    c.json({
      liqx_origin: opts.liqxOrigin(),
      scenarios: SCENARIOS.map(({ id, label, description, expected_webhook }) => ({ id, label, description, expected_webhook })),
    }),
  );

  app.post('/api/payouts', async (c) => {
    const body = await parseJsonBody(c, PayoutRequest);
    if (!body.ok) return body.response;
    const req: CreateIntentRequest = {
      ...body.data,
      external_ref: body.data.external_ref ?? `ext_${randomBytes(8).toString('hex')}`,
      external_user_id: body.data.external_user_id ?? SEEDED_USER_ID,
    };
    const upstreamError = (status: number, code: string, message: string, raw: unknown, intentId?: string) =>
      c.json(
        { error: { code, message, upstream_status: status }, upstream: raw, ...(intentId ? { intent_id: intentId } : {}), external_ref: req.external_ref },
        status as ContentfulStatusCode,
      );

    const intent = await opts.liqx.createIntent(req);
    if (!intent.ok) {
      const intentId = (intent.raw as { intent_id?: unknown } | null)?.intent_id;
      return upstreamError(intent.status, intent.code, intent.message, intent.raw, typeof intentId === 'string' ? intentId : undefined);
    }
    if (req.scenario === 'PARTNER_ENDPOINT_FLAKY') flaky.set(intent.data.intent_id, opts.flakyFailures);

    const session = await opts.liqx.openWidgetSession(intent.data.intent_id);
    if (!session.ok) return upstreamError(session.status, session.code, session.message, session.raw, intent.data.intent_id);

    return c.json(
      {
        intent_id: intent.data.intent_id,
        status: intent.data.status,
        external_ref: intent.data.external_ref,
        external_user_id: intent.data.external_user_id,
        scenario: req.scenario,
        expected_webhook: scenario(req.scenario).expected_webhook,
        widget_session: session.data,
        upstream: { intent: intent.raw, session: session.raw },
      },
      201,
    );
  });

  app.post('/api/webhooks/liqx', async (c) => {
    const raw = await c.req.text();
    const result = verify(
      { 'webhook-id': c.req.header('webhook-id'), 'webhook-timestamp': c.req.header('webhook-timestamp'), 'webhook-signature': c.req.header('webhook-signature') },
      raw,
    );
    if (!result.ok) {
      return c.json({ error: { code: result.code, message: result.message, ...(result.issues ? { issues: result.issues } : {}) } }, result.status);
    }
    if (opts.store.get('liqx', result.webhookId)) return c.json({ received: true, duplicate: true, webhook_id: result.webhookId });

    const { data } = result.event;
    const refusals = flaky.get(data.intent_id) ?? 0;
    if (refusals > 0) {
      flaky.set(data.intent_id, refusals - 1);
      return c.json({ error: { code: 'PARTNER_ENDPOINT_UNAVAILABLE', message: `Simulated outage (PARTNER_ENDPOINT_FLAKY): ${refusals} more refusal(s).` } }, 503);
    }
    let receipt;
    try {
      receipt = normalizePayoutWebhook('liqx', parseWebhookBody(result.raw, 'liqx'), { eventId: result.webhookId });
    } catch (err) {
      if (err instanceof WebhookPayloadError) return c.json(payloadRefusal(err), 400);
      throw err;
    }
    // commit() resolves after the (group) commit, WAL, synchronous NORMAL or FULL (see receipt-store.ts): only then
    // is the delivery acknowledged.
    const { inserted } = await opts.store.commit(await toNewReceipt(receipt, result.raw));
    flaky.delete(data.intent_id);
    return c.json({ received: true, duplicate: !inserted, webhook_id: result.webhookId });
  });

  const listEvents = (c: Context) => {
    const query = EventsQuery.safeParse(c.req.query());
    if (!query.success) return invalidRequest(c, zodIssues(query.error), 'Invalid receipt query.');
    const { limit, type, ...filters } = query.data;
    const rows = opts.store.list({ limit, event_type: type, ...filters });
    return c.json({ rows, limit, count: rows.length });
  };
  app.get('/api/webhooks/liqx/events', listEvents);
  app.get('/api/webhooks/events', listEvents);

  registerProviderWebhooks(app, {
    store: opts.store,
    secrets: opts.providerSecrets ?? DEMO_PROVIDER_SECRETS,
    liqxSecret: opts.webhookSecret,
    selfUrl: opts.selfUrl,
  });

  app.get('/', (c) => servePage(c, opts.distDir, pageCsp(opts.liqxOrigin())));
  app.get('/index.html', (c) => servePage(c, opts.distDir, pageCsp(opts.liqxOrigin())));
  app.use('/assets/*', builtAssets(opts.distDir));
  return app;
}

async function servePage(c: Context, distDir: string, csp: string) {
  let html: string;
  try {
    html = await readFile(join(distDir, 'index.html'), 'utf8');
  } catch {
    return c.text('The demo pages are not built: run `npm run demo` (it runs vite build first).', 503);
  }
  c.header('content-security-policy', csp);
  c.header('cache-control', 'no-store');
  c.header('x-content-type-options', 'nosniff');
  return c.html(html);
}
