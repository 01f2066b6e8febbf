/**
 * Origin enforcement: only the window of our iframe, from exactly the session's origin, on our channel id,
 * is ever heard. Everything else is ignored (penpal checks source, origin and channel before we see it).
 */
import { expect, fixture, html } from '@open-wc/testing';
import { FRAME_ORIGIN, OTHER_ORIGIN } from '/__fixtures/env.js';
import type { LiqxPayoutWidget } from '../../src/index.js';
import { ALL_EVENTS, makeSession, mountConnected, record, sdk, oneEvent } from './helpers.js';

/** Resolves with the first fixture-frame status message coming from `origin`. */
function statusFrom(origin: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== origin || !event.data?.liqxTestStatus) return;
      window.removeEventListener('message', onMessage);
      resolve(event.data);
    };
    window.addEventListener('message', onMessage);
  });
}

describe('origin enforcement', () => {
  it('never trusts a frame that ends up on another origin (redirect): handshake times out, no token leaves', async () => {
    const good = makeSession();
    const target = new URL(good.widget_url.replace(FRAME_ORIGIN, OTHER_ORIGIN));
    // widget_url is on FRAME_ORIGIN, but that page redirects to OTHER_ORIGIN, which runs the real frame SDK.
    const redirecting = `${FRAME_ORIGIN}/redirect?to=${encodeURIComponent(target.href)}`;
    const el = await fixture<LiqxPayoutWidget>(html`<liqx-payout-widget handshake-timeout="1500"></liqx-payout-widget>`);
    const seen = record(el, ALL_EVENTS);
    const otherStatus = statusFrom(OTHER_ORIGIN);
    el.session = { ...good, widget_url: redirecting };
    const error = await oneEvent(el, 'liqx-error');
    expect(error.detail.code).to.equal('HANDSHAKE_TIMEOUT');
    expect(seen.filter((e) => e.type === 'liqx-ready')).to.have.length(0);
    // The impostor frame never got an answer to hello, so never saw the token.
    const raced = await Promise.race([otherStatus, new Promise((r) => setTimeout(() => r('no status'), 300))]);
    if (raced !== 'no status') expect((raced as Record<string, unknown>).token).to.equal(undefined);
    expect(el.frame, 'the untrusted frame is removed').to.equal(null);
  });

  it('ignores a hello the host page posts to itself on the channel (with a port): no answer, no token', async () => {
    const session = makeSession();
    const { el } = await mountConnected(session);
    const seen = record(el, ALL_EVENTS);
    const channel = new URL(el.frame!.src).hash.match(/liqx-channel=([^&]+)/)![1];
    // A forged hello with ready in it, from the host window instead of the iframe.
    const { port1, port2 } = new MessageChannel();
    const answers: unknown[] = [];
    port1.onmessage = (e) => answers.push(e.data);
    const forged = { type: 'PAYOUT_READY', eventId: 'evt_forged', sessionId: session.session_id, intentId: session.intent_id, occurredAt: new Date().toISOString() };
    window.postMessage({ channel, hello: { protocol: 1, sessionId: session.session_id, ready: forged } }, '*', [port2]);
    window.postMessage({ namespace: 'penpal', channel, type: 'CALL', id: 'x', methodPath: ['emit'], args: [{ type: 'PAYOUT_COMPLETED' }] }, '*');
    await new Promise((r) => setTimeout(r, 200));
    expect(seen).to.have.length(0);
    expect(answers).to.deep.equal([]);
    // The real channel is unharmed.
    const ready = oneEvent(el, 'liqx-ready');
    expect((await sdk(el, 'ready')).value).to.equal(true);
    await ready;
  });

  it('ignores another iframe (same origin as the session) that speaks on our channel', async () => {
    const session = makeSession();
    const { el } = await mountConnected(session);
    const seen = record(el, ALL_EVENTS);
    const fragment = new URL(el.frame!.src).hash;
    // An attacker iframe from the session's own origin, knowing our channel id and session id.
    const evilUrl = new URL(`${FRAME_ORIGIN}/frame.html`);
    evilUrl.searchParams.set('parent', location.origin);
    evilUrl.searchParams.set('intent', session.intent_id!);
    evilUrl.searchParams.set('ready', '1');
    evilUrl.hash = fragment.slice(1);
    const evil = document.createElement('iframe');
    const evilStatus = statusFrom(FRAME_ORIGIN);
    evil.src = evilUrl.href;
    document.body.append(evil);
    try {
      const status = await Promise.race([evilStatus, new Promise<Record<string, unknown>>((r) => setTimeout(() => r({ state: 'silent' }), 1500))]);
      expect(status.token, 'the attacker frame never receives the token').to.equal(undefined);
      expect(seen.filter((e) => e.type !== 'liqx-protocol-error')).to.have.length(0);
    } finally {
      evil.remove();
    }
    expect((await sdk(el, 'ready')).value).to.equal(true);
  });

  it('ignores a frame that uses a wrong channel id: the handshake times out', async () => {
    const session = makeSession({ extra: { channel: 'liqx-not-the-right-one' } });
    const el = await fixture<LiqxPayoutWidget>(html`<liqx-payout-widget handshake-timeout="1200"></liqx-payout-widget>`);
    el.session = session;
    const error = await oneEvent(el, 'liqx-error');
    expect(error.detail.code).to.equal('HANDSHAKE_TIMEOUT');
    expect(el.state).to.equal('error');
  });

  it('ignores garbage posted straight from the trusted frame outside penpal', async () => {
    const { el } = await mountConnected(makeSession());
    const seen = record(el, ALL_EVENTS);
    const { frameCommand } = await import('./helpers.js');
    for (const message of [null, 42, 'PAYOUT_COMPLETED', { type: 'PAYOUT_COMPLETED' }, { namespace: 'penpal', type: 'CALL' }, { namespace: 'penpal', channel: 'x', type: 'REPLY' }]) {
      await frameCommand(el, 'post', { message, targetOrigin: location.origin });
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).to.have.length(0);
  });
});

describe('the session token', () => {
  it('appears in no URL the browser sees and not in window.name; it arrives over the channel', async () => {
    const session = makeSession();
    const { el, status } = await mountConnected(session);
    expect(status.token, 'delivered over the verified channel').to.equal(session.session_token);
    const token = session.session_token;
    expect(el.frame!.src).not.to.contain(token);
    expect(String(status.href)).not.to.contain(token);
    expect(String(status.windowName)).not.to.contain(token);
    expect(el.frame!.name).not.to.contain(token);
    for (const entry of performance.getEntriesByType('resource')) expect(entry.name).not.to.contain(token);
    expect(location.href).not.to.contain(token);
    // Only non-secret routing data is in the fragment.
    const fragment = new URLSearchParams(new URL(el.frame!.src).hash.slice(1));
    expect([...fragment.keys()].sort()).to.deep.equal(['liqx-channel', 'liqx-session']);
    expect(fragment.get('liqx-session')).to.equal(session.session_id);
  });

  it('is answered to hello together with locale and theme', async () => {
    const session = makeSession();
    const { status } = await mountConnected(session, html`<liqx-payout-widget locale="en" theme="dark"></liqx-payout-widget>`);
    expect(status).to.include({ token: session.session_token, locale: 'en', theme: 'dark' });
  });
});

describe('the iframe', () => {
  it('is requested as soon as the session is known: in the document when the first update completes', async () => {
    const el = document.createElement('liqx-payout-widget') as LiqxPayoutWidget;
    el.session = makeSession();
    document.body.append(el);
    try {
      await el.updateComplete;
      expect(el.frame?.isConnected, 'the iframe is in the document').to.equal(true);
      expect(el.frame!.src).to.contain(FRAME_ORIGIN);
    } finally {
      el.remove();
    }
  });

  it('widget-origin (or widget-url) adds one preconnect hint to that origin before any session', async () => {
    const links = () => [...document.head.querySelectorAll('link[rel="preconnect"]')].map((l) => l.getAttribute('href'));
    const before = links().filter((h) => h === OTHER_ORIGIN).length;
    const a = await fixture<LiqxPayoutWidget>(html`<liqx-payout-widget widget-origin=${OTHER_ORIGIN}></liqx-payout-widget>`);
    // The same origin again, from widget-url: still one hint.
    await fixture<LiqxPayoutWidget>(html`<liqx-payout-widget widget-url=${`${OTHER_ORIGIN}/frame.html`}></liqx-payout-widget>`);
    expect(links().filter((h) => h === OTHER_ORIGIN).length, 'one hint per origin').to.equal(before === 0 ? 1 : before);
    expect(a.frame, 'no frame without a session').to.equal(null);
    await fixture<LiqxPayoutWidget>(html`<liqx-payout-widget widget-origin="javascript:alert(1)"></liqx-payout-widget>`);
    expect(links().some((h) => h?.startsWith('javascript')), 'only http(s) origins').to.equal(false);
  });

  it('has a title, a deliberate sandbox, allow and referrerpolicy, and loads exactly widget_url (+ fragment)', async () => {
    const session = makeSession();
    const { el } = await mountConnected(session);
    const frame = el.frame!;
    expect(frame.title).to.equal('LIQX 지급');
    expect(frame.getAttribute('sandbox')).to.equal('allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox');
    expect(frame.getAttribute('allow')).to.equal('clipboard-write');
    expect(frame.getAttribute('referrerpolicy')).to.equal('strict-origin');
    const src = new URL(frame.src);
    src.hash = '';
    expect(src.href).to.equal(session.widget_url);
  });
});
