/**
 * Reports a hosted payout page's events to the app around it, when the page runs in a WebView that installed a
 * bridge: React Native (`window.ReactNativeWebView.postMessage`, react-native-webview's onMessage), iOS
 * (`window.webkit.messageHandlers.<name>.postMessage`, a WKScriptMessageHandler added under that name) or Android
 * (`window.<name>Android.postMessage`, an object added with addJavascriptInterface). Each event type is sent at most
 * once, and at most one terminal event (an outcome in the event table: completed, rejected, expired, error) is ever sent: an app can close its
 * WebView on the first terminal message it gets.
 *
 * A message is `{ source: 'liqx', type, intentId, data? }`: a JSON string to React Native and Android (their bridges
 * carry strings), the object itself to WebKit (it arrives as an NSDictionary).
 */
import { isTerminal, type EventType } from '../protocol/events.js';

export type NativeBridgeKind = 'react-native' | 'webkit' | 'android';

export interface NativeBridgeMessage {
  source: 'liqx';
  type: EventType;
  intentId: string;
  data?: unknown;
}

export interface NativeBridge {
  /** Which bridge the page found, or null (a plain browser: nothing is sent). */
  readonly kind: NativeBridgeKind | null;
  /** Sends one event; false when there is no bridge, or the event (or a terminal one) was already sent. */
  send(type: EventType, intentId: string, data?: unknown): boolean;
}

type Poster = { postMessage(message: unknown): void };
const poster = (v: unknown): v is Poster => typeof (v as Poster | undefined)?.postMessage === 'function';

/** Finds the app's bridge in `target` (default `window`); `name` is the WebKit handler's (default `liqx`). */
export function nativeBridge(options: { name?: string; target?: Window } = {}): NativeBridge {
  const name = options.name ?? 'liqx';
  const w = (options.target ?? window) as unknown as Record<string, unknown> & { webkit?: { messageHandlers?: Record<string, unknown> } };
  let post: ((m: NativeBridgeMessage) => void) | null = null;
  let kind: NativeBridgeKind | null = null;
  const rn = w.ReactNativeWebView;
  const wk = w.webkit?.messageHandlers?.[name];
  const android = w[`${name}Android`];
  if (poster(rn)) [kind, post] = ['react-native', (m) => rn.postMessage(JSON.stringify(m))];
  else if (poster(wk)) [kind, post] = ['webkit', (m) => wk.postMessage(m)];
  else if (poster(android)) [kind, post] = ['android', (m) => android.postMessage(JSON.stringify(m))];

  const sent = new Set<EventType>();
  let ended = false;
  return {
    kind,
    send(type, intentId, data) {
      if (!post || sent.has(type) || ended) return false;
      sent.add(type);
      if (isTerminal(type)) ended = true;
      try {
        post({ source: 'liqx', type, intentId, ...(data !== undefined ? { data } : {}) });
      } catch (error) {
        // The app's bridge threw (it went away): the page goes on; the return URL and the webhook still report.
        console.warn('[liqx] native bridge failed:', error);
        return false;
      }
      return true;
    },
  };
}
