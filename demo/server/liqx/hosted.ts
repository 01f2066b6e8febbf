/**
 * Hosted mode on the mock LIQX: the payout page opened top-level (full page, new tab, a WebView) instead of in the
 * partner's iframe.
 *
 *   POST /v1/payout-intents/:id/hosted-links  (partner API key) -> 201 HostedLink { url, expires_at, intent_id, session_id }
 *        opens a widget session for the intent (revoking older ones) and a single-use code for it; 404/409 as for
 *        widget sessions
 *   GET  /hosted/start?code=...   exchanges the code (once, within HOSTED_CODE_TTL_MS) for an HttpOnly cookie scoped
 *        to /hosted/<session_id>, then 303 to /hosted/<session_id>: the code never becomes a history entry, and the
 *        session token is never in any URL (410 when the code is unknown, used or expired)
 *   GET  /hosted/:session_id           the payout page (demo/frame/hosted.html; the token in a meta tag of the
 *        no-store body); 401 without the cookie
 *   GET  /hosted/:session_id/return    once the payout has ended: 303 to the intent's return_url with liqx_result and
 *        liqx_sig (src/server/hosted-return.ts), signed with the webhook secret(s); 409 while it is still open
 * Every answer: Cache-Control no-store, Referrer-Policy no-referrer (return_url's server sees no LIQX URL).
 * The outcome's webhook is the one the payout book sends, exactly as for the framed page.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { signHostedReturn } from '../../../src/server/hosted-return.js';
import { HOSTED_RETURN_PARAMS, type HostedLink, type HostedOutcome } from '../../../src/server/liqx-contract.js';
import { pageCsp } from '../csp.js';
import type { IntentRecord, PayoutBook } from './payouts.js';

/** How long a hosted link's code may wait to be opened. */
export const HOSTED_CODE_TTL_MS = 120_000;
/** How long after the session's end "Done" still returns: the user may read the result screen for a while. */
export const HOSTED_RETURN_GRACE_MS = 15 * 60_000;
const COOKIE = 'liqx_hosted';

export interface HostedOptions {
  app: Hono;
  /** The partner API sub-app (mounted at /v1 after this registers). */
  partner: Hono;
  apiKey: MiddlewareHandler;
  book: PayoutBook;
  /** The webhook secret, and the one being rotated out while set: the return is signed with each. */
  secrets: () => string[];
  distDir: string;
  origin: (c: Context) => string;
  now: () => number;
}

interface HostedSession {
  session_id: string;
  intent_id: string;
  token: string;
  expires_at: number;
  /** The cookie value of the browser that exchanged the code; undefined until then. */
  visit?: string;
}

const rid = (bytes: number) => randomBytes(bytes).toString('base64url');
const escapeAttr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
const escapeText = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function setMeta(html: string, name: string, value: string): string {
  return html.replace(new RegExp(`(<meta\\s+name="${name}"\\s+content=")[^"]*(")`), `$1${escapeAttr(value)}$2`);
}

const OUTCOME: Partial<Record<IntentRecord['status'], HostedOutcome>> = { completed: 'completed', failed: 'rejected', expired: 'expired' };

export function registerHostedRoutes(o: HostedOptions): void {
  const codes = new Map<string, { session_id: string; expires_at: number }>();
  const sessions = new Map<string, HostedSession>();

  /** Drops spent state: codes past their TTL, sessions past their deadline. */
  const prune = () => {
    const now = o.now();
    for (const [code, entry] of codes) if (entry.expires_at <= now) codes.delete(code);
    for (const [id, s] of sessions) if (s.expires_at + HOSTED_RETURN_GRACE_MS <= now) sessions.delete(id);
  };

  const plain = (c: Context, status: 401 | 404 | 409 | 410 | 503, title: string, text: string) => {
    c.header('content-security-policy', pageCsp({ frameSrc: [], frameAncestors: [], formAction: "'none'" }));
    return c.html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeText(title)}</title></head><body><h1>${escapeText(title)}</h1><p>${escapeText(text)}</p></body></html>`, status);
  };

  o.partner.post('/payout-intents/:id/hosted-links', o.apiKey, (c) => {
    const intent = o.book.get(c.req.param('id'));
    if (!intent) return c.json({ error: { code: 'INTENT_NOT_FOUND', message: 'No such PAYOUT intent.' } }, 404);
    if (intent.status === 'expired') return c.json({ error: { code: 'INTENT_EXPIRED', message: 'The PAYOUT intent has expired.' }, intent_id: intent.intent_id }, 409);
    if (intent.status !== 'reserved') {
      return c.json({ error: { code: 'INTENT_NOT_RESERVED', message: `The PAYOUT intent is ${intent.status}; only a reserved intent opens a hosted link.` }, intent_id: intent.intent_id }, 409);
    }
    prune();
    const session = o.book.openSession(intent, o.origin(c));
    sessions.set(session.session_id, { session_id: session.session_id, intent_id: intent.intent_id, token: session.session_token, expires_at: Date.parse(session.expires_at) });
    const code = rid(24);
    const expires = Math.min(o.now() + HOSTED_CODE_TTL_MS, Date.parse(session.expires_at));
    codes.set(code, { session_id: session.session_id, expires_at: expires });
    const link: HostedLink = {
      url: `${o.origin(c)}/hosted/start?code=${code}`,
      expires_at: new Date(expires).toISOString(),
      intent_id: intent.intent_id,
      session_id: session.session_id,
    };
    c.header('cache-control', 'no-store');
    return c.json(link, 201);
  });

  o.app.use('/hosted/*', async (c, next) => {
    c.header('cache-control', 'no-store');
    c.header('referrer-policy', 'no-referrer');
    c.header('x-content-type-options', 'nosniff');
    await next();
  });

  o.app.get('/hosted/start', (c) => {
    const code = c.req.query('code') ?? '';
    const entry = codes.get(code);
    // Single use: the code is gone whether or not it was still valid.
    codes.delete(code);
    const session = entry && sessions.get(entry.session_id);
    if (!entry || !session || entry.expires_at <= o.now() || session.visit) {
      return plain(c, 410, 'This payout link cannot be opened', 'The link was already used or has expired. Go back to the app and open the payout again.');
    }
    session.visit = rid(32);
    setCookie(c, COOKIE, session.visit, {
      path: `/hosted/${session.session_id}`,
      httpOnly: true,
      // Lax: the first request after the redirect is a top-level navigation that another site started.
      sameSite: 'Lax',
      secure: new URL(c.req.url).protocol === 'https:',
      // The session ends at the payout's deadline, and an expired payout still returns: the cookie outlives it.
      maxAge: Math.max(1, Math.ceil((session.expires_at + HOSTED_RETURN_GRACE_MS - o.now()) / 1000)),
    });
    return c.redirect(`/hosted/${session.session_id}`, 303);
  });

  /** The session whose cookie this browser holds, or undefined. */
  const visitOf = (c: Context): HostedSession | undefined => {
    const session = sessions.get(c.req.param('session_id') ?? '');
    const cookie = getCookie(c, COOKIE);
    // The grace bounds the visit whether or not a prune has run since (the cookie's Max-Age says the same).
    const live = session && session.expires_at + HOSTED_RETURN_GRACE_MS > o.now();
    return live && session.visit && cookie === session.visit ? session : undefined;
  };

  o.app.get('/hosted/:session_id', async (c) => {
    const session = visitOf(c);
    if (!session) return plain(c, 401, 'This payout page is not open in this browser', 'Open the payout from the app again.');
    let html: string;
    try {
      html = await readFile(join(o.distDir, 'frame', 'hosted.html'), 'utf8');
    } catch {
      return plain(c, 503, 'Not built', 'The demo pages are not built: run `npm run demo` (it runs vite build first).');
    }
    html = setMeta(html, 'liqx-session-token', session.token);
    html = setMeta(html, 'liqx-session-id', session.session_id);
    html = setMeta(html, 'liqx-intent-id', session.intent_id);
    html = setMeta(html, 'liqx-return-path', `/hosted/${session.session_id}/return`);
    // Top-level only: no page may frame it (clickjacking); the page's own forms post nowhere.
    c.header('content-security-policy', pageCsp({ frameSrc: [], frameAncestors: [], formAction: "'none'" }));
    return c.html(html);
  });

  o.app.get('/hosted/:session_id/return', async (c) => {
    const session = visitOf(c);
    if (!session) return plain(c, 401, 'This payout page is not open in this browser', 'Open the payout from the app again.');
    const intent = o.book.get(session.intent_id);
    const outcome = intent && OUTCOME[intent.status];
    if (!intent || !outcome) return plain(c, 409, 'The payout is still open', 'Go back and confirm or decline the payout first.');
    const signed = await signHostedReturn(
      {
        v: 1,
        return_id: rid(16),
        intent_id: intent.intent_id,
        session_id: session.session_id,
        external_ref: intent.external_ref,
        outcome,
        ...(intent.transaction_id ? { transaction_id: intent.transaction_id } : {}),
        ...(intent.failure ? { reason_code: intent.failure.code } : {}),
        issued_at: Math.floor(o.now() / 1000),
      },
      o.secrets(),
    );
    // The visit ends here: a second return (Back, reload) is refused rather than signed again.
    session.visit = undefined;
    deleteCookie(c, COOKIE, { path: `/hosted/${session.session_id}` });
    const target = new URL(intent.return_url);
    target.searchParams.set(HOSTED_RETURN_PARAMS.result, signed.liqx_result);
    target.searchParams.set(HOSTED_RETURN_PARAMS.signature, signed.liqx_sig);
    return c.redirect(target.toString(), 303);
  });
}
