/**
 * The element's visible states, set up deterministically for the visual-regression and accessibility tests:
 * fixed width, English strings, motion frozen (the spinner and the frame's fade), the frame at a fixed height,
 * focus rings suppressed.
 */
import { fixture, html, oneEvent } from '@open-wc/testing';
import { FRAME_ORIGIN } from '/__fixtures/env.js';
import type { LiqxPayoutWidget } from '../../src/index.js';
import { frameCommand, makeSession, mountConnected } from './helpers.js';

// Self-hosted fonts (Pretendard and JetBrains Mono, OFL, from npm) for the element's own text, as the fixture frame uses: the
// screenshots must not depend on which fonts the machine has.
const FROZEN = `
  @font-face {
    font-family: 'Fixture Sans';
    font-weight: 45 920;
    font-display: block;
    src: url('/node_modules/pretendard/dist/web/variable/woff2/PretendardVariable.woff2') format('woff2-variations');
  }
  @font-face {
    font-family: 'Fixture Mono';
    font-weight: 100 800;
    font-display: block;
    src: url('/node_modules/@fontsource-variable/jetbrains-mono/files/jetbrains-mono-latin-wght-normal.woff2') format('woff2-variations');
  }
  body { font-family: 'Fixture Sans', sans-serif; }
  liqx-payout-widget { --liqx-font-family: 'Fixture Sans', sans-serif; --liqx-font-family-mono: 'Fixture Mono', monospace; }
  liqx-payout-widget::part(spinner), liqx-payout-widget::part(loading) { animation: none !important; }
  liqx-payout-widget::part(frame) { transition: none !important; }
  * { caret-color: transparent !important; }
  /* Focus rings depend on what had focus before (a full run vs. one file, the engine's focus-visible heuristics). */
  :focus, :focus-visible { outline: none !important; }
  liqx-payout-widget::part(dialog):focus, liqx-payout-widget::part(dialog):focus-visible,
  liqx-payout-widget::part(frame):focus, liqx-payout-widget::part(frame):focus-visible { outline: none !important; }
`;

/**
 * A test-only stylesheet that stops every animation the element has, sets one font and hides focus rings:
 * screenshots must not depend on timing, on the machine's fonts, or on what had focus before.
 */
export function freezeMotion(): void {
  if (document.getElementById('liqx-frozen-motion')) return;
  const style = document.createElement('style');
  style.id = 'liqx-frozen-motion';
  style.textContent = FROZEN;
  document.head.append(style);
}

const template = () => html`<liqx-payout-widget locale="en" handshake-timeout="600000" style="width: 360px"></liqx-payout-widget>`;

/** `loading`: a frame that never says hello (the fixture server answers 404), handshake timeout far away. */
export async function mountLoading(): Promise<LiqxPayoutWidget> {
  const el = await fixture<LiqxPayoutWidget>(template());
  el.session = makeSession({ page: 'silent-frame.html' });
  await settleFonts(el);
  if (el.state !== 'loading') throw new Error(`expected loading, got ${el.state}`);
  return el;
}

/** `ready`: the fixture frame connected through the real SDK, PAYOUT_READY relayed, content height fixed. */
export async function mountReady(): Promise<LiqxPayoutWidget> {
  const { el } = await mountConnected(makeSession(), template());
  const ready = oneEvent(el, 'liqx-ready');
  await frameCommand(el, 'sdk', { method: 'ready', args: [] });
  await ready;
  await settleHeight(el, 180);
  return el;
}

/** `error`: a malformed session (INVALID_SESSION), rendered by the host without any frame. */
export async function mountError(): Promise<LiqxPayoutWidget> {
  const el = await fixture<LiqxPayoutWidget>(template());
  const failed = oneEvent(el, 'liqx-error');
  el.session = { session_id: 'ses_bad', widget_url: 'javascript:alert(1)', session_token: 'x', expires_at: 'soon' } as never;
  await failed;
  await settleFonts(el);
  return el;
}

/**
 * `overlay`: `display="overlay"` over a small page, ready. Returns the full-viewport stage to screenshot: the
 * modal dialog lives in the top layer, outside the element's own box.
 */
export async function mountOverlay(): Promise<{ el: LiqxPayoutWidget; stage: HTMLElement }> {
  const stage = await fixture<HTMLElement>(html`<div style="position: fixed; inset: 0; background: #f1f5f9; font: 16px 'Fixture Sans', sans-serif">
    <h1 style="margin: 24px; font-size: 20px">Partner page</h1>
    <button type="button" style="margin: 0 24px; font: inherit">Withdraw</button>
    <liqx-payout-widget display="overlay" locale="en" handshake-timeout="600000"></liqx-payout-widget>
  </div>`);
  const el = stage.querySelector<LiqxPayoutWidget>('liqx-payout-widget')!;
  const connected = new Promise<void>((resolve) => {
    const onMessage = (event: MessageEvent) => {
      if (!event.data?.liqxTestStatus || event.source !== el.frame?.contentWindow) return;
      window.removeEventListener('message', onMessage);
      resolve();
    };
    window.addEventListener('message', onMessage);
  });
  el.session = makeSession();
  await connected;
  const ready = oneEvent(el, 'liqx-ready');
  await frameCommand(el, 'sdk', { method: 'ready', args: [] });
  await ready;
  await settleHeight(el, 180);
  return { el, stage };
}

/** Sets the fixture frame's content height and waits until the iframe has been resized to it. */
export async function settleHeight(el: LiqxPayoutWidget, height: number): Promise<void> {
  const resized = new Promise<void>((resolve) => {
    const onResize = (e: Event) => {
      if ((e as CustomEvent<{ height: number }>).detail.height < height) return;
      el.removeEventListener('liqx-resize', onResize);
      resolve();
    };
    el.addEventListener('liqx-resize', onResize);
  });
  await frameCommand(el, 'setHeight', { height });
  await resized;
  await settleFonts(el);
}

/** Waits until the page's and the connected frame's fonts have loaded, then for two frames to be painted. */
export async function settleFonts(el: LiqxPayoutWidget): Promise<void> {
  await el.updateComplete;
  await document.fonts.ready;
  if (el.state === 'ready') await frameCommand(el, 'fontsReady');
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
}

export { FRAME_ORIGIN };
