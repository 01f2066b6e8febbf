/**
 * The frame-side SDK the LIQX payout page uses to talk to `<liqx-payout-widget>` in the partner page.
 * It does not import Lit or the element: the frame page should not pay for them.
 *
 * ```ts
 * const host = await connectToHost({ allowedParentOrigins: ['https://partner.example'] });
 * const payout = await fetch('/v1/widget/payout', { headers: { authorization: `Bearer ${host.sessionToken}` } });
 * host.bindIntent(payout.intent_id);
 * host.ready();
 * ```
 */
import { connect, type RemoteProxy } from 'penpal';
import { exactOriginMessenger } from '../exact-origin-messenger.js';
import {
  FRAGMENT_CHANNEL,
  FRAGMENT_SESSION,
  HelloResponse,
  parseFrameEvent,
  PROTOCOL_VERSION,
  issuePaths,
  type EventType,
  type FrameMethods,
  type HostMethods,
  type Locale,
  type Reason,
  type Theme,
} from '../protocol.js';
import { FrameSdkError } from './errors.js';
import { observeHeight } from './resize-reporter.js';

export { FrameSdkError, type FrameSdkErrorCode } from './errors.js';
export { PROTOCOL_VERSION } from '../protocol.js';

export interface ConnectToHostOptions {
  /** Exact origins of the partner pages allowed to embed this frame. `'*'` is refused. */
  allowedParentOrigins: string[];
  /** Defaults to the `liqx-channel` value the host put in this page's URL fragment. */
  channel?: string;
  /** Defaults to the `liqx-session` value in the URL fragment. */
  sessionId?: string;
  /** The intent, when known up front; otherwise call `bindIntent()` once the token has been redeemed. */
  intentId?: string;
  /** Milliseconds to wait for the host. Default 10 000. */
  handshakeTimeout?: number;
  /** Element whose height is reported to the host; `false` turns reporting off. Default `document.body`. */
  resizeTarget?: Element | false;
  /** The host asked to close (overlay Esc). Default: emit WIDGET_CLOSE. */
  onRequestClose?: () => void;
  /** The window the host page is in. Default `window.parent`. */
  parentWindow?: Window;
}

export interface HostConnection {
  readonly sessionId: string;
  /** The session token, received over the verified channel. Send it to LIQX in a header, never a URL. */
  readonly sessionToken: string;
  readonly locale: Locale;
  readonly theme: Theme;
  /** How the host shows the frame (`inline` when the host did not say). */
  readonly display: 'inline' | 'overlay';
  /** The intent the events are about, once known. */
  readonly intentId: string | null;
  /** Sets the intent the events are about and starts height reporting. */
  bindIntent(intentId: string): void;
  ready(): Promise<boolean>;
  submitted(): Promise<boolean>;
  completed(data?: { transactionId?: string }): Promise<boolean>;
  rejected(reason: Reason): Promise<boolean>;
  expired(): Promise<boolean>;
  resize(height: number): Promise<boolean>;
  close(): Promise<boolean>;
  error(error: Reason): Promise<boolean>;
  /** Stops height reporting and closes the channel. */
  destroy(): void;
}

/** The origin of `url`, or null when it is not a URL (URL.parse is too new for some Safari versions still in use). */
function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

function fragmentParam(name: string): string | undefined {
  return new URLSearchParams(location.hash.slice(1)).get(name) ?? undefined;
}

function newEventId(): string {
  return typeof crypto.randomUUID === 'function'
    ? `evt_${crypto.randomUUID()}`
    : `evt_${Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

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

  let destroyed = false;
  let stopResize: (() => void) | undefined;
  let intentId: string | null = options.intentId ?? null;

  const frameMethods: FrameMethods = {
    requestClose: async () => {
      if (options.onRequestClose) options.onRequestClose();
      else await connection.close();
    },
  };
  const messenger = exactOriginMessenger(parentWindow, origins, true);
  const penpal = connect<HostMethods>({ messenger, methods: frameMethods, channel, timeout: options.handshakeTimeout ?? 10_000 });

  let host: RemoteProxy<HostMethods>;
  let hello: HelloResponse;
  try {
    host = await penpal.promise;
    const parsed = HelloResponse.safeParse(await host.hello({ protocol: PROTOCOL_VERSION, sessionId }));
    if (!parsed.success) throw new FrameSdkError('INVALID_HELLO', 'The host answered hello with an invalid message.', issuePaths(parsed.error));
    hello = parsed.data;
  } catch (error) {
    penpal.destroy();
    if (error instanceof FrameSdkError) throw error;
    const code = (error as { code?: string }).code === 'CONNECTION_TIMEOUT' ? 'HANDSHAKE_TIMEOUT' : 'HOST_REFUSED';
    throw new FrameSdkError(code, (error as Error).message);
  }

  const emit = async (type: EventType, data?: object): Promise<boolean> => {
    if (destroyed) throw new FrameSdkError('DESTROYED', 'The connection was destroyed.');
    if (!intentId) throw new FrameSdkError('NO_INTENT', 'Call bindIntent() before emitting events.');
    const parsed = parseFrameEvent({ type, eventId: newEventId(), sessionId, intentId, occurredAt: new Date().toISOString(), data });
    if (!parsed.success) throw new FrameSdkError('INVALID_EVENT', `${type} does not match the protocol.`, issuePaths(parsed.error));
    const answer = await host.emit(parsed.data);
    return answer.accepted;
  };

  // In an overlay, keyboard focus is usually inside this frame, where the host's dialog never sees Esc:
  // treat Esc here as the same close request the host would make.
  const onKeydown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && hello.display === 'overlay' && intentId) void frameMethods.requestClose();
  };
  if (typeof document !== 'undefined') document.addEventListener('keydown', onKeydown);

  const startResize = () => {
    const target = options.resizeTarget ?? document.body;
    if (target === false || stopResize) return;
    stopResize = observeHeight(target, (height) => void emit('WIDGET_RESIZE', { height }).catch(() => {}));
  };
  if (intentId) startResize();

  const connection: HostConnection = {
    sessionId,
    sessionToken: hello.sessionToken,
    locale: hello.locale,
    theme: hello.theme,
    display: hello.display ?? 'inline',
    get intentId() {
      return intentId;
    },
    bindIntent(id: string) {
      intentId = id;
      startResize();
    },
    ready: () => emit('PAYOUT_READY'),
    submitted: () => emit('PAYOUT_SUBMITTED'),
    completed: (data) => emit('PAYOUT_COMPLETED', data ?? {}),
    rejected: (reason) => emit('PAYOUT_REJECTED', { reason }),
    expired: () => emit('PAYOUT_EXPIRED'),
    resize: (height) => emit('WIDGET_RESIZE', { height }),
    close: () => emit('WIDGET_CLOSE'),
    error: (error) => emit('WIDGET_ERROR', { error }),
    destroy() {
      if (destroyed) return;
      destroyed = true;
      stopResize?.();
      if (typeof document !== 'undefined') document.removeEventListener('keydown', onKeydown);
      penpal.destroy();
    },
  };
  return connection;
}
