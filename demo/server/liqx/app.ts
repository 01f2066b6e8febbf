/**
 * The mock LIQX server (its own loopback origin, default 127.0.0.1:4318). Real in-memory state; the
 * partner reaches it over HTTP only. Wire types: ../liqx-contract.ts.
 *
 * Partner API (Authorization: Bearer <partner API key>; a wrong key -> 401 UNAUTHORIZED):
 *   POST /v1/payout-intents                       -> 201 { intent_id, status: 'reserved', expires_at, external_ref, ... }
 *        400 INVALID_REQUEST { issues: [{ path, message }] }
 *        422 KYC_NOT_VERIFIED | BANK_ACCOUNT_MISSING | BROKER_POLICY_BLOCKED, 409 MERCHANT_CAPACITY_EXCEEDED
 *            { error: { code, message }, intent_id, external_ref } + a transaction.failed webhook
 *   POST /v1/payout-intents/:id/widget-sessions   -> 201 { session_id, widget_url, session_token, expires_at, intent_id }
 *        404 INTENT_NOT_FOUND, 409 INTENT_EXPIRED; a completed or declined intent gets a read-only session (its outcome)
 *   GET  /v1/payout-intents/:id                   -> 200 intent
 *   GET  /v1/events, GET /v1/events/:id, POST /v1/events/:id/redeliver, GET /v1/webhook-deliveries: ./events.ts
 *   POST /v1/payout-intents/:id/hosted-links, GET /hosted/start, /hosted/:session_id, /hosted/:session_id/return: ./hosted.ts
 * Widget (same origin as the frame, so no CORS; Authorization: Bearer <session token>, never in a URL):
 *   GET  /widget/:session_id                      -> the frame page (CSP frame-ancestors = partner origin)
 *   GET  /v1/widget/payout                        -> 200 WidgetPayout (while a confirm settles: once it has)
 *   POST /v1/widget/payout/confirm                -> 200 WidgetPayout (completed) | 409 INTENT_EXPIRED | INTENT_NOT_PENDING
 *   POST /v1/widget/payout/decline { reason_code, message? } -> 200 WidgetPayout (failed) | 400 | 409
 *   each of them: 401 INVALID_SESSION_TOKEN | SESSION_EXPIRED | SESSION_REVOKED, { error } only (payouts.ts)
 *   GET  /openapi.json                            -> this API as OpenAPI 3.1 (./openapi.ts, from the zod schemas)
 * CDN (the widget's script-tag file, CORS, versioned; ./cdn.ts):
 *   GET  /cdn/liqx-payout-widget@<version>/liqx-payout-widget.js(.sri|.map)
 * Each outcome (completed, declined, preflight failure, expiry) sends exactly one signed webhook.
 */
import { timingSafeEqual } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { CreateIntentRequest, DeclineRequest, type Failure, type Intent, type WebhookEvent } from '../../contract/liqx.js';
import { IDEMPOTENCY_HEADER } from '../../../src/server/liqx-contract.js';
import { builtAssets } from '../http.js';
import { bearer, parseJsonBody } from '../json-body.js';
import { scenario } from '../../contract/scenarios.js';
import { WebhookDispatcher } from './dispatcher.js';
import { registerEventRoutes } from './events.js';
import { registerHostedRoutes } from './hosted.js';
import { frameCsp, renderFramePage, renderGalleryFramePage } from './frame-page.js';
import { openApiDocument } from './openapi.js';
import { scriptTagCdn } from './cdn.js';
import { IdempotencyKeys, fingerprint } from './idempotency.js';
import { PayoutBook, SESSION_REFUSAL_MESSAGES, type IntentRecord, type SessionRecord, type SessionRefusal, type Transition } from './payouts.js';

export interface LiqxOptions {
  apiKey: string;
  webhookSecret: string;
  /** The secret being rotated out (WEBHOOK_SECRET_PREVIOUS): while set, every delivery is signed with both. */
  previousWebhookSecret?: string;
  /** Where webhooks go; read at dispatch time. */
  webhookUrl: () => string;
  /** Partner page origins allowed to embed the widget; read per request. */
  partnerOrigins: () => string[];
  /** This server's public origin, for widget_url; defaults to the request's origin. */
  publicOrigin?: () => string | undefined;
  /** Built demo pages (demo/dist). */
  distDir: string;
  intentTtlMs: number;
  expiresTtlMs: number;
  sessionTtlMs: number;
  retryBaseMs: number;
  maxAttempts: number;
  /** Simulated settlement time between Confirm and "completed". */
  confirmDelayMs: number;
  /** The clock of every intent and session deadline (tests move it forward). Default Date.now. */
  now?: () => number;
}

const DECLINE_MESSAGES: Record<DeclineRequest['reason_code'], string> = {
  USER_DECLINED: 'The recipient declined the payout.',
  AMOUNT_INCORRECT: 'The recipient reported that the amount is incorrect.',
  ACCOUNT_INCORRECT: 'The recipient reported that the bank account is incorrect.',
  NOT_REQUESTED: 'The recipient did not request this payout.',
};

const WEBHOOK_TYPE = {
  completed: 'transaction.completed',
  failed: 'transaction.failed',
  expired: 'transaction.expired',
} as const satisfies Record<string, WebhookEvent['type']>;

function publicIntent(i: IntentRecord): Intent {
  const { intent_id, status, phase, scenario, external_ref, external_user_id, owner, amount_krw, amount_usdt, return_url, created_at, expires_at } = i;
  return { intent_id, status, phase, scenario, external_ref, external_user_id, ...(owner !== undefined ? { owner } : {}), amount_krw, amount_usdt, return_url, created_at, expires_at };
}

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const fail = (c: Context, status: 401 | 404 | 409 | 422 | 503, code: string, message: string, extra: object = {}) =>
  c.json({ error: { code, message }, ...extra }, status);

export interface LiqxServer {
  app: Hono;
  book: PayoutBook;
  dispatcher: WebhookDispatcher;
  close(): void;
}

export function createLiqxApp(opts: LiqxOptions): LiqxServer {
  const dispatcher = new WebhookDispatcher({
    url: opts.webhookUrl,
    secret: opts.previousWebhookSecret ? [opts.webhookSecret, opts.previousWebhookSecret] : opts.webhookSecret,
    retryBaseMs: opts.retryBaseMs,
    maxAttempts: opts.maxAttempts,
  });
  const book = new PayoutBook({
    intentTtlMs: opts.intentTtlMs,
    expiresTtlMs: opts.expiresTtlMs,
    sessionTtlMs: opts.sessionTtlMs,
    now: opts.now,
    onOutcome: (i) => {
      const status = i.status as keyof typeof WEBHOOK_TYPE;
      dispatcher.dispatch({
        type: WEBHOOK_TYPE[status],
        data: {
          intent_id: i.intent_id,
          external_ref: i.external_ref,
          external_user_id: i.external_user_id,
          // The partner's owner of the intent comes back on every webhook of it (its receipts are scoped by it).
          ...(i.owner !== undefined ? { owner: i.owner } : {}),
          phase: 'PAYOUT',
          status,
          amount_krw: i.amount_krw,
          amount_usdt: i.amount_usdt,
          ...(i.transaction_id ? { transaction_id: i.transaction_id } : {}),
          ...(i.failure ? { failure: i.failure } : {}),
        },
      });
    },
  });

  const app = new Hono();
  const origin = (c: Context) => opts.publicOrigin?.() || new URL(c.req.url).origin;

  // Partner API: server to server, API key only.
  // (Per-route middleware: a sub-app's use('*') would also cover /v1/widget once mounted.)
  const partner = new Hono();
  const apiKey: MiddlewareHandler = async (c, next) => {
    const key = bearer(c);
    if (!key || !sameSecret(key, opts.apiKey)) return fail(c, 401, 'UNAUTHORIZED', 'A valid partner API key is required (Authorization: Bearer).');
    await next();
  };

  // Idempotency-Key: the same key and request answer the first answer again (a retry, a double submit, a second
  // tab make one intent); the same key with another request is refused. Requests refused as invalid are not kept.
  const idempotency = new IdempotencyKeys({ now: opts.now });
  partner.post('/payout-intents', apiKey, async (c) => {
    const key = c.req.header(IDEMPOTENCY_HEADER);
    if (key !== undefined && (key.length < 1 || key.length > 255)) {
      return c.json({ error: { code: 'INVALID_REQUEST', message: 'The Idempotency-Key must be 1..255 characters.', issues: [{ path: 'Idempotency-Key', message: '1..255 characters' }] } }, 400);
    }
    const body = await parseJsonBody(c, CreateIntentRequest);
    if (!body.ok) return body.response;
    // From here to remember() nothing awaits: a concurrent request with the same key sees the first one's answer.
    const print = fingerprint(body.data);
    if (key !== undefined) {
      const prior = idempotency.lookup(key, print);
      if (prior.kind === 'conflict') {
        return fail(c, 422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with another request: use a new key (your order reference) for a new order.');
      }
      if (prior.kind === 'replay') {
        c.header('idempotent-replayed', 'true');
        return c.json(prior.answer.body as object, prior.answer.status as 201);
      }
    }
    let answer: { status: 201 | 409 | 422; body: object };
    const preflight = scenario(body.data.scenario).preflight;
    if (preflight) {
      const failure: Failure = { code: preflight.code, message: preflight.message };
      const intent = book.create(body.data, failure);
      answer = { status: preflight.http_status, body: { error: { code: failure.code, message: failure.message }, intent_id: intent.intent_id, external_ref: intent.external_ref } };
    } else {
      answer = { status: 201, body: publicIntent(book.create(body.data)) };
    }
    if (key !== undefined) idempotency.remember(key, print, answer);
    return c.json(answer.body, answer.status);
  });

  partner.get('/payout-intents/:id', apiKey, (c) => {
    const intent = book.get(c.req.param('id'));
    return intent ? c.json(publicIntent(intent)) : fail(c, 404, 'INTENT_NOT_FOUND', 'No such PAYOUT intent.');
  });

  partner.post('/payout-intents/:id/widget-sessions', apiKey, (c) => {
    const intent = book.get(c.req.param('id'));
    if (!intent) return fail(c, 404, 'INTENT_NOT_FOUND', 'No such PAYOUT intent.');
    if (intent.status === 'expired') return fail(c, 409, 'INTENT_EXPIRED', 'The PAYOUT intent has expired.', { intent_id: intent.intent_id });
    // A completed or declined intent opens a read-only session: a reload shows the outcome instead of an error.
    return c.json(book.openSession(intent, origin(c)), 201);
  });

  // Recovery: the events sent, redelivery, the delivery log (./events.ts).
  registerEventRoutes(partner, { dispatcher, apiKey });
  // Hosted mode: hosted links, the top-level payout page and its signed return (./hosted.ts).
  registerHostedRoutes({ app, partner, apiKey, book, distDir: opts.distDir, origin, now: opts.now ?? Date.now, secrets: () => [opts.webhookSecret, ...(opts.previousWebhookSecret ? [opts.previousWebhookSecret] : [])] });

  // Widget API: called by the frame page with the session token it received over the verified channel.
  const widget = new Hono<{ Variables: { redeemed: { session: SessionRecord; intent: IntentRecord } } }>();
  const refuseSession = (c: Context, code: SessionRefusal) => fail(c, 401, code, SESSION_REFUSAL_MESSAGES[code]);
  widget.use('*', async (c, next) => {
    c.header('cache-control', 'no-store');
    const token = bearer(c);
    const redeemed = token ? book.redeem(token) : ({ ok: false, code: 'INVALID_SESSION_TOKEN' } as const);
    if (!redeemed.ok) return refuseSession(c, redeemed.code);
    c.set('redeemed', redeemed);
    await next();
  });

  widget.get('/payout', async (c) => {
    const { session, intent } = c.get('redeemed');
    // A confirm is settling (the page was reloaded during its delay): answer with its outcome, not "reserved".
    await book.settling(intent.intent_id);
    return c.json(book.view(session, intent));
  });

  // A refusal names the reason only: no status, amount or name (the token may be a stale one).
  const answer = (c: Context, session: SessionRecord, result: Transition) => {
    if (result.ok) return c.json(book.view(session, result.intent));
    if (result.code === 'INTENT_EXPIRED') return fail(c, 409, result.code, 'The PAYOUT reservation has expired.');
    if (result.code === 'INTENT_NOT_PENDING') return fail(c, 409, result.code, 'The PAYOUT is no longer pending.');
    return refuseSession(c, result.code);
  };

  widget.post('/payout/confirm', async (c) => {
    const { session } = c.get('redeemed');
    // confirm() settles once per intent; a second confirm during the delay gets the same outcome.
    return answer(c, session, await book.confirm(session, opts.confirmDelayMs));
  });

  widget.post('/payout/decline', async (c) => {
    const body = await parseJsonBody(c, DeclineRequest);
    if (!body.ok) return body.response;
    const { session } = c.get('redeemed');
    const failure = { code: body.data.reason_code, message: body.data.message || DECLINE_MESSAGES[body.data.reason_code] };
    return answer(c, session, book.decline(session, failure));
  });

  app.route('/v1', partner);
  app.route('/v1/widget', widget);

  app.get('/widget/:session_id', async (c) => {
    const parentOrigins = opts.partnerOrigins();
    const intentId = book.intentOfSession(c.req.param('session_id')) ?? '';
    const html = await renderFramePage(opts.distDir, { parentOrigins, intentId });
    if (html === null) return c.text('The demo pages are not built: run `npm run demo` (it runs vite build first).', 503);
    c.header('content-security-policy', frameCsp(parentOrigins));
    c.header('cache-control', 'no-store');
    c.header('referrer-policy', 'no-referrer');
    c.header('x-content-type-options', 'nosniff');
    return c.html(html, intentId ? 200 : 404);
  });
  // The widget gallery's payout screens (fixed data, frozen clock): ./frame-page.ts.
  app.get('/gallery/frame', async (c) => {
    const parentOrigins = opts.partnerOrigins();
    const html = await renderGalleryFramePage(opts.distDir, parentOrigins);
    if (html === null) return c.text('The demo pages are not built: run `npm run demo` (it runs vite build first).', 503);
    c.header('content-security-policy', frameCsp(parentOrigins));
    c.header('cache-control', 'no-store');
    c.header('x-content-type-options', 'nosniff');
    return c.html(html);
  });
  app.use('/assets/*', builtAssets(opts.distDir));
  // The script-tag file, versioned and with CORS, as a CDN serves it for a pinned <script integrity> (./cdn.ts).
  app.use('/cdn/*', scriptTagCdn());
  app.get('/', (c) => c.json({ service: 'mock LIQX', partner_api: '/v1/payout-intents', widget: '/widget/:session_id', openapi: '/openapi.json' }));
  app.get('/openapi.json', (c) => c.json(openApiDocument(origin(c))));

  return {
    app,
    book,
    dispatcher,
    close() {
      book.close();
      dispatcher.close();
    },
  };
}
