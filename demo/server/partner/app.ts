/**
 * The partner proxy (the partner page's own origin, default 127.0.0.1:4317), built on liqx-payout-widget/server
 * like any partner's backend: it talks to LIQX over HTTP only (the kit's typed LiqxClient) and keeps the webhook
 * receipts in the kit's ReceiptStore (SQLite, or PostgreSQL with DATABASE_URL).
 *
 *   GET  /                        the Partner CRM simulator page (demo/dist/index.html), /assets/* beside it
 *   GET  /gallery.html            the widget gallery and its fake LIQX frame (../gallery.ts)
 *   GET  /api/config              -> { liqx_origin, scenarios: [{ id, label, description, expected_webhook }] }
 *   POST /api/payouts             createSessionHandler: { scenario, external_ref?, external_user_id?, legal_name,
 *                                 user_email, return_url, amount_krw, amount_usdt }
 *        201 { intent_id, status, external_ref, external_user_id, scenario, expected_webhook, widget_session,
 *              upstream: { intent, session } }   (raw LIQX bodies as proof; Cache-Control: no-store)
 *        400 INVALID_REQUEST with issue paths; LIQX refusal: LIQX's status, { error: { code, message, upstream_status } }
 *   POST /api/webhooks/liqx | /cashout | /ipay   createWebhookHandler, one set of codes for all three:
 *        200 { received, duplicate, provider, webhook_id, status } after the commit; 401 MISSING_HEADERS |
 *        INVALID_TIMESTAMP | STALE_TIMESTAMP | BAD_SIGNATURE; 202 { quarantined, ... } for a verified body the parser
 *        refuses (INVALID_JSON | INVALID_PAYLOAD: kept whole for a replay, ./quarantine.ts); 413; 415;
 *        503 PARTNER_ENDPOINT_UNAVAILABLE for the first deliveries of a PARTNER_ENDPOINT_FLAKY intent
 *   GET  /api/webhooks/liqx/events   createReceiptsHandler, the signed-in demo user's own receipts:
 *        ?limit=20&provider=&intent_id=&external_ref=&type=&status=&since=&cursor= -> { rows, limit, count, next_cursor }
 *   GET  /api/webhooks/events        the same read across owners (the diagnostics panel; the operator's view)
 *   POST /api/webhooks/liqx/reconcile | /redeliver, GET /api/webhooks/liqx/deliveries   recovery (./recovery.ts)
 *   POST /api/demo/sample-webhook   DEMO ONLY (./demo-only-sample-sender.ts)
 *
 * Every POST must be JSON (415 otherwise: a cross-site form cannot send it without a CORS preflight) and is
 * capped (413). Every answer carries nosniff; pages also `frame-ancestors 'self'`.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono, type Context } from 'hono';
import {
  createReceiptsHandler,
  createSessionHandler,
  createWebhookHandler,
  errorResponse,
  isJsonContentType,
  type LiqxClient,
  type ReceiptStore,
} from '../../../src/server/internal.js';
import { DemoConfig, PayoutRequest } from '../../contract/partner.js';
import { builtAssets } from '../http.js';
import { SCENARIOS, SEEDED_USER_ID, scenario } from '../../contract/scenarios.js';
import { DEMO_PROVIDER_SECRETS, registerSampleSender } from './demo-only-sample-sender.js';
import { registerRecoveryRoutes } from './recovery.js';
import { registerGallery } from '../gallery.js';
import { pageCsp } from '../csp.js';

export interface PartnerOptions {
  liqx: LiqxClient;
  /** The LIQX origin the page's widget frame comes from (CSP frame-src, /api/config). */
  liqxOrigin: () => string;
  webhookSecret: string;
  webhookToleranceSec: number;
  store: ReceiptStore<unknown>;
  /** Built demo pages (demo/dist). */
  distDir: string;
  /** How many deliveries a PARTNER_ENDPOINT_FLAKY intent refuses before accepting. */
  flakyFailures: number;
  /** Shared HMAC secrets of the cash-out reference and Ipay endpoints; default DEMO_PROVIDER_SECRETS. */
  providerSecrets?: { cashout: string; ipay: string };
  /** This server's own origin, for the sample-webhook sender; without it that route answers 503. */
  selfUrl?: () => string;
  /** LIQX's base URL and the partner key, for the recovery routes' reads (./recovery.ts); without it they answer 503. */
  liqxApi?: { baseUrl: () => string; apiKey: string };
}

/** Body cap of the partner's JSON POSTs other than webhooks (the kit's handlers cap their own). */
export const MAX_JSON_BYTES = 16 * 1024;
/**
 * Body cap of the webhook endpoints: 256 KiB. Payout events are under 2 KiB; the headroom lets a hostile but
 * signed 100,000-deep payload (200 KB of brackets) reach the depth check and get its 400.
 */
export const MAX_WEBHOOK_BYTES = 256 * 1024;

/** The partner page may frame only LIQX, and only this origin may frame it (clickjacking). */
const partnerPageCsp = (liqxOrigin: string) => pageCsp({ frameSrc: [liqxOrigin], frameAncestors: ["'self'"] });

export function createPartnerApp(opts: PartnerOptions): Hono {
  const app = new Hono();
  const secrets = opts.providerSecrets ?? DEMO_PROVIDER_SECRETS;
  /** intent_id -> deliveries still to refuse (PARTNER_ENDPOINT_FLAKY). In memory: it is a simulated outage. */
  const flaky = new Map<string, number>();

  app.use('*', async (c, next) => {
    // Every POST is JSON: a cross-site <form> can only send form encodings or text/plain, so this also blocks
    // cross-site requests that would otherwise create intents or sign sample webhooks.
    if (c.req.method === 'POST' && !isJsonContentType(c.req.header('content-type') ?? null)) {
      return errorResponse('UNSUPPORTED_MEDIA_TYPE', 'Send the body as JSON (Content-Type: application/json).');
    }
    await next();
    c.res.headers.set('x-content-type-options', 'nosniff');
  });

  app.get('/api/config', (c) =>
    // Parsed with the contract's schema: it drops what only the mock LIQX reads (preflight).
    c.json(DemoConfig.parse({ liqx_origin: opts.liqxOrigin(), scenarios: SCENARIOS })),
  );

  const session = createSessionHandler({
    liqx: opts.liqx,
    // The demo has one signed-in user and no login; a real partner resolves its session cookie here. The owner
    // goes on the intent, comes back on its webhooks, and scopes the receipts read below.
    authorize: () => ({ owner: SEEDED_USER_ID }),
    body: PayoutRequest,
    maxBodyBytes: MAX_JSON_BYTES,
    intent: (user, body) => ({
      ...body,
      external_ref: body.external_ref ?? `ext_${randomBytes(8).toString('hex')}`,
      external_user_id: body.external_user_id ?? user.owner,
    }),
    respond: ({ body, intent }) => {
      if (body.scenario === 'PARTNER_ENDPOINT_FLAKY') flaky.set(intent.intent_id, opts.flakyFailures);
      return { scenario: body.scenario, expected_webhook: scenario(body.scenario).expected_webhook };
    },
    // The demo's proof panels show LIQX's raw answers; a production backend leaves this off.
    exposeUpstream: true,
  });
  app.post('/api/payouts', (c) => session(c.req.raw));

  const webhooks = createWebhookHandler({
    providers: { liqx: 'liqx', cashout: 'cashout-reference', ipay: 'ipay' },
    secrets: {
      liqx: { secret: opts.webhookSecret },
      'cashout-reference': { secret: secrets.cashout },
      ipay: { secret: secrets.ipay },
    },
    store: opts.store,
    maxBodyBytes: MAX_WEBHOOK_BYTES,
    toleranceSec: opts.webhookToleranceSec,
    // The simulated outage of PARTNER_ENDPOINT_FLAKY: refused inside the receipt's transaction, so nothing is
    // stored and LIQX retries. A duplicate never reaches here (it is acknowledged as already stored).
    onReceipt(receipt) {
      const intentId = receipt.intentId;
      if (!intentId) return;
      const refusals = flaky.get(intentId) ?? 0;
      if (refusals > 0) {
        flaky.set(intentId, refusals - 1);
        throw errorResponse('PARTNER_ENDPOINT_UNAVAILABLE', `Simulated outage (PARTNER_ENDPOINT_FLAKY): ${refusals} more refusal(s).`, { status: 503 });
      }
      flaky.delete(intentId);
    },
    onError: (error) => console.error('webhook endpoint:', error),
  });
  app.post('/api/webhooks/:provider', (c) => webhooks(c.req.raw));

  // The signed-in user's own receipts: those of the intents it created (owner = SEEDED_USER_ID).
  const ownReceipts = createReceiptsHandler({ store: opts.store, authorize: () => ({ owner: SEEDED_USER_ID }) });
  app.get('/api/webhooks/liqx/events', (c) => ownReceipts(c.req.raw));
  // The diagnostics panel's read across owners: the demo's one user is also its sandbox's operator, and the
  // sample cash-out reference and Ipay webhooks carry no owner. A production backend gates this on an operator
  // role; a user's page reads the route above.
  const operatorReceipts = createReceiptsHandler({ store: opts.store, authorize: () => ({ allOwners: true }) });
  app.get('/api/webhooks/events', (c) => operatorReceipts(c.req.raw));

  // Recovery after missed webhooks: reconcile, redeliver, the delivery log (./recovery.ts).
  registerRecoveryRoutes(app, { liqx: opts.liqx, liqxApi: opts.liqxApi, store: opts.store, owner: SEEDED_USER_ID, maxBodyBytes: MAX_JSON_BYTES });
  registerSampleSender(app, { secrets, liqxSecret: opts.webhookSecret, selfUrl: opts.selfUrl, maxBodyBytes: MAX_JSON_BYTES });

  app.get('/', (c) => servePage(c, opts.distDir, partnerPageCsp(opts.liqxOrigin())));
  app.get('/index.html', (c) => servePage(c, opts.distDir, partnerPageCsp(opts.liqxOrigin())));
  registerGallery(app, { distDir: opts.distDir, liqxOrigin: opts.liqxOrigin });
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
  c.header('x-frame-options', 'SAMEORIGIN');
  c.header('cache-control', 'no-store');
  c.header('x-content-type-options', 'nosniff');
  return c.html(html);
}
