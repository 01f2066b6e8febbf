/**
 * The fake LIQX payout page of `liqx-payout-widget/testing` (built to dist/testing/fake-frame.js, loaded by
 * dist/testing/fake-frame.html). It runs the real frame SDK, so the widget sees genuine protocol traffic, and
 * exposes a driver as `window.liqxFakeFrame` for the harness in the (same-origin) test page.
 *
 * Query: `intent` (the intent id its events carry), `parent` (the host origin it trusts; default: its own),
 * `autoClose=0` to answer requestClose() only when the test calls `close()`.
 */
import { connectToHost, type HostConnection } from '../frame/index.js';
import type { FakeFrameDriver } from './index.js';

/** The connection's methods that are not emitters; every other method reports an event and is handed through. */
const NOT_EMITTERS = new Set(['bindIntent', 'destroy']);

/** The driver's emitters: everything but its fields. */
type Emitters = Omit<FakeFrameDriver, 'sessionId' | 'sessionToken' | 'locale' | 'theme' | 'closeRequests'>;

/** The connection's emitters, bound, read from the connection itself (no list of events here). */
const emittersOf = (connection: HostConnection): Emitters =>
  Object.fromEntries(
    Object.entries(Object.getOwnPropertyDescriptors(connection)).flatMap(([name, { value }]) =>
      typeof value === 'function' && !NOT_EMITTERS.has(name) ? [[name, value.bind(connection)]] : [],
    ),
  ) as Emitters;

const q = new URLSearchParams(location.search);
const status = document.getElementById('status');
const say = (text: string) => {
  if (status) status.textContent = text;
};

let closeRequests = 0;
let host: HostConnection | null = null;

connectToHost({
  allowedParentOrigins: [q.get('parent') || location.origin],
  intentId: q.get('intent') || undefined,
  onRequestClose: () => {
    closeRequests++;
    if (q.get('autoClose') !== '0') void host?.close();
  },
}).then(
  (connection) => {
    host = connection;
    const driver: FakeFrameDriver = {
      ...emittersOf(connection),
      sessionId: connection.sessionId,
      sessionToken: connection.sessionToken,
      // Getters: they follow the widget's live updates.
      get locale() {
        return connection.locale;
      },
      get theme() {
        return connection.theme;
      },
      get closeRequests() {
        return closeRequests;
      },
      rejected: (reason = { code: 'USER_DECLINED', message: 'The user declined the payout.' }) => connection.rejected(reason),
      error: (error = { code: 'FAKE_FRAME_ERROR', message: 'The fake frame reported an error.' }) => connection.error(error),
    };
    (window as unknown as { liqxFakeFrame: FakeFrameDriver }).liqxFakeFrame = driver;
    say(`Fake LIQX payout frame: connected (${connection.sessionId})`);
  },
  (error: Error & { code?: string }) => {
    (window as unknown as { liqxFakeFrameError: string }).liqxFakeFrameError = `${error.code ?? 'ERROR'}: ${error.message}`;
    say(`Fake LIQX payout frame: ${error.message}`);
  },
);
