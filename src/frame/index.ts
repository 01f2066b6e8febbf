/**
 * The frame-side SDK the LIQX payout page uses to talk to `<liqx-payout-widget>` in the partner page.
 * It does not import Lit, the element, penpal or zod: the frame page should not pay for them. It validates what it
 * receives (the host's answer to hello, later updates) and leaves what it sends to the host, which parses every
 * message it hears.
 *
 * The handshake is one message each way: the frame posts its hello (with PAYOUT_READY in it when `ready: true`)
 * and a MessagePort to the host page; the host answers on the port, and every later call travels on it.
 *
 * ```ts
 * const host = await connectToHost({ allowedParentOrigins: ['https://partner.example'], onUpdate: redraw });
 * const payout = await fetch('/v1/widget/payout', { headers: { authorization: `Bearer ${host.sessionToken}` } });
 * host.bindIntent(payout.intent_id);
 * host.ready();
 * ```
 */
import { portChannel, type PortChannel, type WireError } from '../protocol/port-channel.js';
import {
  FRAGMENT_CHANNEL,
  FRAGMENT_SESSION,
  PROTOCOL_VERSION,
  settingsIssues,
  type Appearance,
  type FrameSettings,
  type HelloResponse,
} from '../protocol/wire.js';
import type { Locale, Reason, Theme } from '../protocol/schemas.js';
import type { EventType } from '../protocol/events.js';
import { FrameSdkError } from './errors.js';
import { observeHeight } from './resize-reporter.js';

export { FrameSdkError, type FrameSdkErrorCode } from './errors.js';
export { FONT_FAMILIES, PROTOCOL_VERSION, type Appearance, type FontFamily, type FrameSettings } from '../protocol/wire.js';
export { nativeBridge, type NativeBridge, type NativeBridgeKind, type NativeBridgeMessage } from './native-bridge.js';

export interface ConnectToHostOptions {
  /** Exact origins of the partner pages allowed to embed this frame. `'*'` is refused. */
  allowedParentOrigins: string[];
  /** Defaults to the `liqx-channel` value the host put in this page's URL fragment. */
  channel?: string;
  /** Defaults to the `liqx-session` value in the URL fragment. */
  sessionId?: string;
  /** The intent, when known up front; otherwise call `bindIntent()` once the token has been redeemed. */
  intentId?: string;
  /**
   * The frame shows the payout as soon as it is connected: PAYOUT_READY goes in the hello itself, so the host is
   * ready one round trip sooner (`ready()` then sends nothing more). Needs `intentId`.
   */
  ready?: boolean;
  /** Milliseconds to wait for the host. Default 10 000. */
  handshakeTimeout?: number;
  /** Element whose height is reported to the host; `false` turns reporting off. Default `document.body`. */
  resizeTarget?: Element | false;
  /** The host asked to close (overlay Esc). Default: emit WIDGET_CLOSE. */
  onRequestClose?: () => void;
  /** The host changed locale, theme or display after connect (already applied to the connection's fields). */
  onUpdate?: (changes: FrameSettings) => void;
  /** The window the host page is in. Default `window.parent`. */
  parentWindow?: Window;
}

export interface HostConnection {
  readonly sessionId: string;
  /** The session token, received over the verified channel. Send it to LIQX in a header, never a URL. */
  readonly sessionToken: string;
  /** Current locale, theme and display: they follow the host's updates. */
  readonly locale: Locale;
  readonly theme: Theme;
  /** How the host shows the frame (`inline` when the host did not say). */
  readonly display: 'inline' | 'overlay';
  /** The partner's appearance (colours, radius, font), checked by the element and here; null for none. */
  readonly appearance: Appearance | null;
  /** The intent the events are about, once known. */
  readonly intentId: string | null;
  /** Sets the intent the events are about and starts height reporting. */
  bindIntent(intentId: string): void;
  ready(): Promise<boolean>;
  submitted(): Promise<boolean>;
  /** Terminal events take `replay` when the intent had already ended before this frame loaded (see Replay). */
  completed(data?: { transactionId?: string }, replay?: Replay): Promise<boolean>;
  rejected(reason: Reason, replay?: Replay): Promise<boolean>;
  expired(replay?: Replay): Promise<boolean>;
  resize(height: number): Promise<boolean>;
  close(): Promise<boolean>;
  error(error: Reason): Promise<boolean>;
  /** Stops height reporting and closes the channel. */
  destroy(): void;
}

/**
 * A terminal outcome reported again (the intent ended before this frame loaded): sent with `replayed: true` and, when
 * the frame knows it, the original event's id, so the host can tell it from a new outcome.
 */
export interface Replay {
  eventId?: string;
}

/** The origin of `url`, or null when it is not a URL (URL.parse is too new for some Safari versions still in use). */
function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

const fragmentParam = (name: string): string | undefined => new URLSearchParams(location.hash.slice(1)).get(name) ?? undefined;

const newEventId = (): string => `evt_${Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')}`;

/** The host refused a call: typed for the frame page (an invalid event is INVALID_EVENT with the host's issue paths). */
const refused = (e: WireError): FrameSdkError =>
  e.code === 'INVALID_MESSAGE'
    ? new FrameSdkError('INVALID_EVENT', e.message, e.issues)
    : new FrameSdkError(e.code === 'DESTROYED' ? 'DESTROYED' : 'HOST_REFUSED', `${e.code}: ${e.message}`, e.issues);

/** Connects to the embedding `<liqx-payout-widget>`, says hello and returns typed emitters. */
export async function connectToHost(options: ConnectToHostOptions): Promise<HostConnection> {
  const origins = options.allowedParentOrigins ?? [];
  if (!origins.length || origins.some((o) => o === '*' || o === 'null' || o !== originOf(o))) {
    throw new FrameSdkError('INVALID_OPTIONS', 'allowedParentOrigins must list exact origins (scheme://host[:port]), never "*".');
  }
  const parentWindow = options.parentWindow ?? window.parent;
  if (parentWindow === window) throw new FrameSdkError('NOT_IN_IFRAME', 'The payout frame must be embedded by <liqx-payout-widget>.');
  const channel = options.channel ?? fragmentParam(FRAGMENT_CHANNEL);
  const sessionId = options.sessionId ?? fragmentParam(FRAGMENT_SESSION);
  if (!channel || !sessionId) throw new FrameSdkError('INVALID_OPTIONS', 'channel and sessionId are required (normally from the URL fragment).');
  let intentId: string | null = options.intentId ?? null;
  if (options.ready && !intentId) throw new FrameSdkError('INVALID_OPTIONS', 'ready: true needs intentId.');

  let destroyed = false;
  let stopResize: (() => void) | undefined;
  let settings: HelloResponse;
  let connection: HostConnection | undefined;

  const envelope = (type: EventType, data?: object, replay?: Replay) => ({
    type, eventId: replay?.eventId ?? newEventId(), sessionId, intentId, occurredAt: new Date().toISOString(), data, ...(replay ? { replayed: true } : {}),
  });
  const readyInHello = options.ready ? envelope('PAYOUT_READY') : undefined;

  // What the host may call on the port.
  const handle = async (method: string, arg: unknown): Promise<void> => {
    if (method === 'requestClose') {
      if (options.onRequestClose) options.onRequestClose();
      else await connection?.close();
    } else if (method === 'update') {
      const issues = settingsIssues(arg, true);
      if (issues.length) throw { code: 'INVALID_UPDATE', message: 'The host sent an invalid update.', issues };
      const changes = arg as FrameSettings;
      settings = { ...settings, ...changes };
      options.onUpdate?.(changes);
    } else {
      throw { code: 'UNKNOWN_METHOD', message: `No method ${method}.` };
    }
  };

  // One hello per allowed origin, each with its own port: the browser delivers only the one whose targetOrigin is
  // the parent's, so only that port is ever answered.
  const ports = origins.map((targetOrigin) => {
    const { port1, port2 } = new MessageChannel();
    const rpc = portChannel(port1, handle);
    parentWindow.postMessage({ channel, hello: { protocol: PROTOCOL_VERSION, sessionId, ready: readyInHello } }, { targetOrigin, transfer: [port2] });
    return rpc;
  });
  let port: PortChannel;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = options.handshakeTimeout ?? 10_000;
    const answer = await Promise.race([
      ...ports.map((rpc) => rpc.reply(0).then((result) => ((port = rpc), result))),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new FrameSdkError('HANDSHAKE_TIMEOUT', `No answer from the host within ${timeout} ms.`)), timeout))),
    ]);
    const issues = settingsIssues(answer, false);
    if (issues.length) throw new FrameSdkError('INVALID_HELLO', 'The host answered hello with an invalid message.', issues);
    settings = answer as HelloResponse;
  } catch (error) {
    for (const rpc of ports) rpc.close();
    throw error instanceof FrameSdkError ? error : refused(error as WireError);
  } finally {
    clearTimeout(timer);
  }
  for (const rpc of ports) if (rpc !== port!) rpc.close();

  const emit = async (type: EventType, data?: object, replay?: Replay): Promise<boolean> => {
    if (destroyed) throw new FrameSdkError('DESTROYED', 'The connection was destroyed.');
    if (!intentId) throw new FrameSdkError('NO_INTENT', 'Call bindIntent() before emitting events.');
    try {
      return ((await port.call('emit', envelope(type, data, replay))) as { accepted: boolean }).accepted;
    } catch (error) {
      throw refused(error as WireError);
    }
  };

  // In an overlay, keyboard focus is usually inside this frame, where the host's dialog never sees Esc:
  // treat Esc here as the same close request the host would make.
  const onKeydown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && settings.display === 'overlay' && intentId) void handle('requestClose', undefined);
  };
  document.addEventListener('keydown', onKeydown);

  const startResize = () => {
    const target = options.resizeTarget ?? document.body;
    if (target === false || stopResize) return;
    stopResize = observeHeight(target, (height) => void emit('WIDGET_RESIZE', { height }).catch(() => {}));
  };
  if (intentId) startResize();

  return (connection = {
    sessionId,
    sessionToken: settings.sessionToken,
    get locale() {
      return settings.locale;
    },
    get theme() {
      return settings.theme;
    },
    get display() {
      return settings.display ?? 'inline';
    },
    get appearance() {
      return settings.appearance ?? null;
    },
    get intentId() {
      return intentId;
    },
    bindIntent(id: string) {
      intentId = id;
      startResize();
    },
    ready: () => (readyInHello ? Promise.resolve(true) : emit('PAYOUT_READY')),
    submitted: () => emit('PAYOUT_SUBMITTED'),
    completed: (data, replay) => emit('PAYOUT_COMPLETED', data ?? {}, replay),
    rejected: (reason, replay) => emit('PAYOUT_REJECTED', { reason }, replay),
    expired: (replay) => emit('PAYOUT_EXPIRED', undefined, replay),
    resize: (height) => emit('WIDGET_RESIZE', { height }),
    close: () => emit('WIDGET_CLOSE'),
    error: (error) => emit('WIDGET_ERROR', { error }),
    destroy() {
      if (destroyed) return;
      destroyed = true;
      stopResize?.();
      document.removeEventListener('keydown', onKeydown);
      port.close();
    },
  });
}
