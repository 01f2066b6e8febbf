/** Shared helpers for the element's browser tests: sessions for the fixture frame, and its remote control. */
import { fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { FRAME_ORIGIN } from '/__fixtures/env.js';
import '../../src/define.js';
import type { LiqxPayoutWidget } from '../../src/index.js';
import type { WidgetSession } from '../../src/protocol/session.js';

let counter = 0;

export interface FrameOptions {
  origin?: string;
  page?: string;
  intent?: string;
  mode?: 'sdk' | 'raw';
  ready?: boolean;
  extra?: Record<string, string>;
}

/** A fresh, valid session whose widget_url is the fixture frame on FRAME_ORIGIN (or `origin`). */
export function makeSession(opts: FrameOptions = {}, overrides: Partial<WidgetSession> = {}): WidgetSession {
  counter++;
  const intent = opts.intent ?? `int_test_${counter}`;
  const url = new URL(`${opts.origin ?? FRAME_ORIGIN}/${opts.page ?? 'frame.html'}`);
  url.searchParams.set('parent', location.origin);
  url.searchParams.set('intent', intent);
  if (opts.mode) url.searchParams.set('mode', opts.mode);
  if (opts.ready) url.searchParams.set('ready', '1');
  for (const [k, v] of Object.entries(opts.extra ?? {})) url.searchParams.set(k, v);
  return {
    session_id: `ses_test_${counter}`,
    widget_url: url.href,
    session_token: `tok_secret_${counter}_${Math.random().toString(36).slice(2)}`,
    expires_at: new Date(Date.now() + 10 * 60_000).toISOString(),
    intent_id: intent,
    ...overrides,
  };
}

/** Waits for the fixture frame's status message (`connected`, `raw-connected`, `failed`) from `el`'s current frame; `origin` null takes any origin. */
export function frameStatus(el: LiqxPayoutWidget, origin: string | null = FRAME_ORIGIN): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (event: MessageEvent) => {
      if ((origin !== null && event.origin !== origin) || !event.data?.liqxTestStatus) return;
      // Only this element's current frame: a removed frame's late status must not count.
      if (!el.frame || event.source !== el.frame.contentWindow) return;
      window.removeEventListener('message', onMessage);
      resolve(event.data);
    };
    window.addEventListener('message', onMessage);
  });
}

let commandId = 0;
/** Runs a command in the fixture frame and resolves with its result. */
export function frameCommand(el: LiqxPayoutWidget, cmd: string, args: Record<string, unknown> = {}, origin = FRAME_ORIGIN): Promise<{ ok: boolean; value?: unknown; error?: string; code?: string }> {
  const id = ++commandId;
  return new Promise((resolve) => {
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== origin || event.data?.liqxTestResult !== id) return;
      window.removeEventListener('message', onMessage);
      resolve(event.data);
    };
    window.addEventListener('message', onMessage);
    el.frame!.contentWindow!.postMessage({ liqxTest: id, cmd, ...args }, origin);
  });
}

/** Calls a method of the frame SDK inside the fixture frame (`ready`, `completed`, `rejected`, ...). */
export function sdk(el: LiqxPayoutWidget, method: string, ...args: unknown[]) {
  return frameCommand(el, 'sdk', { method, args });
}

/**
 * Mounts a widget for `session` and waits until the fixture frame is connected and quiet: fonts loaded, and the
 * host has seen the frame's settled height. The frame's status (window.postMessage) and its resize reports
 * (penpal's MessagePort) travel on different channels with no order between them, so this waits for the state,
 * not for whichever message comes first.
 */
export async function mountConnected(session: WidgetSession, template = html`<liqx-payout-widget handshake-timeout="20000"></liqx-payout-widget>`) {
  const el = await fixture<LiqxPayoutWidget>(template);
  const heights: number[] = [];
  const onResize = (e: Event) => heights.push((e as CustomEvent<{ height: number }>).detail.height);
  el.addEventListener('liqx-resize', onResize);
  const connected = frameStatus(el, null);
  el.session = session;
  const status = await connected;
  if (typeof status.height === 'number') {
    const height = status.height;
    await waitUntil(() => heights.at(-1) === height, `the host never saw the frame's settled height ${height} (saw ${heights.join(', ') || 'none'})`, { timeout: 5000 });
  }
  el.removeEventListener('liqx-resize', onResize);
  return { el, status };
}

/** Collects every event of the given names fired by `el`. */
export function record(el: HTMLElement, names: string[]) {
  const seen: CustomEvent[] = [];
  for (const name of names) el.addEventListener(name, (e) => seen.push(e as CustomEvent));
  return seen;
}

export const ALL_EVENTS = [
  'liqx-ready', 'liqx-payout-submitted', 'liqx-payout-completed', 'liqx-payout-rejected', 'liqx-payout-expired',
  'liqx-resize', 'liqx-close', 'liqx-error', 'liqx-state-change', 'liqx-protocol-error',
];

export { oneEvent };
