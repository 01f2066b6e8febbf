/**
 * `liqx-payout-widget/testing`: drive `<liqx-payout-widget>` from your own browser tests without LIQX.
 *
 * The fake frame is a tiny page shipped in this package (`dist/testing/fake-frame.html` + `fake-frame.js`)
 * that runs the real frame SDK. Serve it from your test server's own origin (web-test-runner and Vite already
 * serve `node_modules/`), give the widget a session pointing at it, and the harness reaches into that
 * same-origin iframe to make the frame emit ready, submitted, completed, rejected, expired, error or close.
 * Nothing here talks to a network, and no cross-origin setup is needed.
 *
 * ```ts
 * import { createFakeSession, connectFakeFrame } from 'liqx-payout-widget/testing';
 *
 * const el = document.createElement('liqx-payout-widget');
 * document.body.append(el);
 * el.session = createFakeSession({ frameUrl: '/node_modules/liqx-payout-widget/dist/testing/fake-frame.html' });
 * const frame = await connectFakeFrame(el);
 * await frame.ready();                       // -> liqx-ready
 * await frame.rejected({ code: 'KYC_REQUIRED', message: 'Verify first' }); // -> liqx-payout-rejected
 * ```
 *
 * This entry has no dependency on Lit, React or the element itself: import it only in tests.
 */
import type { Locale, Reason, Theme } from '../protocol/schemas.js';
import type { WidgetSession } from '../protocol/session.js';
import type { HostConnection } from '../frame/index.js';

/**
 * The frame SDK's emitters (`ready()`, `submitted()`, `completed(data)`, `rejected(reason)`, `resize(height)`, ...):
 * the methods of a connection that report an event. The fake frame hands each one through, so an event added to
 * the protocol reaches partners' tests with no change here.
 */
type FakeFrameEmitters = {
  [K in keyof HostConnection as HostConnection[K] extends (...args: never[]) => Promise<boolean> ? K : never]: HostConnection[K];
};

/**
 * What the fake frame page exposes (as `window.liqxFakeFrame`) once the widget has connected to it. Each emitter
 * resolves with whether the widget accepted the event (false: dropped, e.g. after the terminal one).
 */
export interface FakeFrameDriver extends Omit<FakeFrameEmitters, 'rejected' | 'error'> {
  readonly sessionId: string;
  /** The token the widget handed over in its answer to hello (it never travels in a URL). */
  readonly sessionToken: string;
  readonly locale: Locale;
  readonly theme: Theme;
  /** How often the widget asked the frame to close (overlay Esc, `el.requestClose()`). */
  readonly closeRequests: number;
  /** PAYOUT_REJECTED; default reason `{ code: 'USER_DECLINED', ... }`. */
  rejected(reason?: Reason): Promise<boolean>;
  /** WIDGET_ERROR; default `{ code: 'FAKE_FRAME_ERROR', ... }`. */
  error(error?: Reason): Promise<boolean>;
}

export interface FakeSessionOptions {
  /** URL of dist/testing/fake-frame.html as your test server serves it; relative URLs resolve against the page. */
  frameUrl: string | URL;
  sessionId?: string;
  intentId?: string;
  sessionToken?: string;
  /** Milliseconds until the session expires (default 10 minutes); `0` or less gives an expired session. */
  expiresInMs?: number;
  /** Answer `requestClose()` with WIDGET_CLOSE at once (default `true`); `false` leaves it to `frame.close()`. */
  autoClose?: boolean;
}

let counter = 0;

/** A valid widget session whose `widget_url` is the fake frame page. */
export function createFakeSession(options: FakeSessionOptions): WidgetSession {
  counter++;
  const nonce = Math.random().toString(36).slice(2, 10);
  const intentId = options.intentId ?? `int_fake_${counter}_${nonce}`;
  const url = new URL(options.frameUrl, document.baseURI);
  url.searchParams.set('intent', intentId);
  if (options.autoClose === false) url.searchParams.set('autoClose', '0');
  return {
    session_id: options.sessionId ?? `ses_fake_${counter}_${nonce}`,
    widget_url: url.href,
    session_token: options.sessionToken ?? `tok_fake_${counter}_${nonce}`,
    expires_at: new Date(Date.now() + (options.expiresInMs ?? 10 * 60_000)).toISOString(),
    intent_id: intentId,
  };
}

/** The part of the element the harness needs. */
interface WidgetLike {
  readonly frame: HTMLIFrameElement | null;
}

type FakeWindow = Window & { liqxFakeFrame?: FakeFrameDriver; liqxFakeFrameError?: string };

/**
 * Resolves with the driver of the fake frame `el` embeds, once the widget has connected to it (its hello was
 * answered). Rejects after `timeout` ms (default 5000) with the reason, e.g. when the page is not same-origin.
 */
export async function connectFakeFrame(el: WidgetLike, { timeout = 5000 }: { timeout?: number } = {}): Promise<FakeFrameDriver> {
  const end = Date.now() + timeout;
  let problem = 'the widget has no frame yet (set its session first)';
  for (;;) {
    const frame = el.frame;
    if (frame) {
      try {
        const win = frame.contentWindow as FakeWindow | null;
        if (win?.liqxFakeFrameError) throw new Error(`The fake frame failed to connect: ${win.liqxFakeFrameError}`);
        if (win?.liqxFakeFrame) return win.liqxFakeFrame;
        problem = 'the fake frame has not connected yet';
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('The fake frame failed')) throw error;
        problem = 'the frame is not same-origin with the test page (serve fake-frame.html from the test server)';
      }
    }
    if (Date.now() > end) throw new Error(`connectFakeFrame: timed out after ${timeout} ms: ${problem}.`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
