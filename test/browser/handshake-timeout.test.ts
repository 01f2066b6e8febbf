/**
 * HANDSHAKE_TIMEOUT explains itself: its message says whether the iframe ever fired `load`, and names the likely
 * causes (this page's origin not registered with LIQX, so frame-ancestors refuses the frame; widget_url unreachable).
 *
 * The element's handshake timer is taken in hand instead of waited out: `setTimeout` is wrapped while the session
 * is set, the callback for the handshake delay is kept, and the test runs it once the state it wants holds (the
 * iframe loaded, or a server that never answers). So no result depends on how fast this machine loads a page.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { ENGINE, FRAME_ORIGIN } from '/__fixtures/env.js';
import { PAGE_ORIGIN } from 'liqx-test-pages';
import type { LiqxPayoutWidget } from '../../src/index.js';
import { makeSession, oneEvent } from './helpers.js';

/** `it` on Chromium, `it.skip` elsewhere; the title carries the reason (as test/browser/engine.ts does). */
const itChromiumOnly = (title: string, reason: string, fn: Mocha.Func) => (ENGINE === 'chromium' ? it : it.skip)(`${title} [Chromium only: ${reason}]`, fn);

/** A delay no other timer in the element uses: the wrapper recognises the handshake timer by it. */
const HANDSHAKE_MS = 987_654;

/** Sets the session and returns the element's handshake-timeout callback (the real timer is cleared). */
async function openWithHeldTimer(el: LiqxPayoutWidget, session: ReturnType<typeof makeSession>): Promise<() => void> {
  const realSetTimeout = window.setTimeout;
  let held: (() => void) | null = null;
  window.setTimeout = ((fn: TimerHandler, ms?: number, ...args: unknown[]) => {
    const id = realSetTimeout(fn, ms, ...args);
    if (ms === HANDSHAKE_MS && typeof fn === 'function') {
      held = fn as () => void;
      clearTimeout(id);
    }
    return id;
  }) as typeof window.setTimeout;
  try {
    el.session = session;
    await el.updateComplete;
  } finally {
    window.setTimeout = realSetTimeout;
  }
  expect(held, 'the element armed its handshake timer').to.be.a('function');
  return held!;
}

async function widget(): Promise<LiqxPayoutWidget> {
  return fixture<LiqxPayoutWidget>(html`<liqx-payout-widget handshake-timeout=${HANDSHAKE_MS}></liqx-payout-widget>`);
}

/** The iframe's own `load`, observed from outside the element. */
function loaded(iframe: HTMLIFrameElement): () => boolean {
  let fired = false;
  iframe.addEventListener('load', () => (fired = true), { once: true });
  return () => fired;
}

function expectCauses(message: string, frameOrigin: string): void {
  expect(message).to.include(`${HANDSHAKE_MS} ms`);
  expect(message, 'names this page as the origin to register').to.include(location.origin);
  expect(message).to.include('registered with LIQX');
  expect(message).to.include('frame-ancestors');
  expect(message).to.include('console');
  expect(message, 'names widget_url as the other suspect').to.include(frameOrigin);
}

describe('HANDSHAKE_TIMEOUT message', () => {
  it('a frame page that loads but never says hello: "loaded but did not say hello", with the likely causes', async () => {
    const el = await widget();
    const timeout = await openWithHeldTimer(el, makeSession({ page: 'silent.html' }));
    const didLoad = loaded(el.frame!);
    await waitUntil(didLoad, 'the silent page fired load', { timeout: 20_000 });
    const error = oneEvent(el, 'liqx-error');
    timeout();
    const { detail } = await error;
    expect(detail.code).to.equal('HANDSHAKE_TIMEOUT');
    expect(detail.message).to.match(/^The frame loaded but did not say hello within/);
    expectCauses(detail.message, FRAME_ORIGIN);
    expect(el.frame, 'the frame is removed').to.equal(null);
  });

  it('a widget_url whose server never answers: "did not load", with the likely causes', async () => {
    const el = await widget();
    const timeout = await openWithHeldTimer(el, makeSession({ origin: PAGE_ORIGIN, page: 'hang' }));
    expect(el.frame, 'the iframe is in the page').to.not.equal(null);
    const error = oneEvent(el, 'liqx-error');
    // The server holds the request open until the test server stops: `load` cannot have fired.
    timeout();
    const { detail } = await error;
    expect(detail.code).to.equal('HANDSHAKE_TIMEOUT');
    expect(detail.message).to.match(/^The frame did not load within/);
    expectCauses(detail.message, PAGE_ORIGIN);
  });

  itChromiumOnly(
    'a frame refused by frame-ancestors still fires load: the message says "loaded", and names the unregistered origin',
    'engines differ in whether a refused frame fires load; Chromium commits an error page and fires it',
    async () => {
      const el = await widget();
      const session = makeSession({ origin: PAGE_ORIGIN, page: 'pages/refused.html', extra: { embed: 'deny' } });
      const timeout = await openWithHeldTimer(el, session);
      const didLoad = loaded(el.frame!);
      await waitUntil(didLoad, 'the refused frame fired load', { timeout: 20_000 });
      const error = oneEvent(el, 'liqx-error');
      timeout();
      const { detail } = await error;
      expect(detail.code).to.equal('HANDSHAKE_TIMEOUT');
      expect(detail.message).to.match(/^The frame loaded but did not say hello within/);
      expectCauses(detail.message, PAGE_ORIGIN);
    },
  );

  it('the page shows the short localized text and the code, not the developer message', async () => {
    const el = await widget();
    el.locale = 'en';
    const timeout = await openWithHeldTimer(el, makeSession({ origin: PAGE_ORIGIN, page: 'hang' }));
    const error = oneEvent(el, 'liqx-error');
    timeout();
    await error;
    await el.updateComplete;
    const text = el.shadowRoot!.querySelector('[part~="error"]')?.textContent ?? '';
    expect(text).to.include('HANDSHAKE_TIMEOUT');
    expect(text).to.include('did not respond in time');
    expect(text).to.not.include('frame-ancestors');
  });
});
