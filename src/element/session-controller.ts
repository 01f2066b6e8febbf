/**
 * The session lifecycle of `<liqx-payout-widget>`, as a Lit ReactiveController: resolving the session (property or
 * attributes, a refresh through `fetchSession` when it has expired), creating the iframe, the handshake timer, the
 * channel's hello and calls (every message parsed, matched to this session and intent, admitted once by the
 * OutcomeGate), and tearing all of it down on disconnect or when the session inputs change.
 *
 * The element keeps what the page sees: it draws the chrome, holds the state and the error shown, and turns what this
 * controller reports (a state, an admitted frame event, an error, a dropped message) into DOM events and callbacks.
 *
 * Every asynchronous step is bound to a generation: a teardown increments it, so a late refresh, hello or timer of an
 * earlier session does nothing.
 */
import { supportsAdoptingStyleSheets, type ReactiveController, type ReactiveControllerHost } from '@lit/reactive-element';
import { HelloRequest, parseFrameEvent, PROTOCOL_VERSION, issuePaths, type FrameEvent, type HelloResponse, type Locale } from '../protocol/schemas.js';
import type { WireError } from '../protocol/port-channel.js';
import {
  frameSrc,
  isExpired,
  resolveAttributeSession,
  resolveSession,
  type ResolvedSession,
  type SessionResult,
  type WidgetSession,
} from '../protocol/session.js';
import type { WidgetState } from '../protocol/events.js';
import { HostChannel, newChannelId } from './host-channel.js';
import { OutcomeGate } from './outcome-gate.js';
import { HostErrorCode, ProtocolErrorCode } from './errors.js';
import type { ErrorDetail, ProtocolErrorDetail } from './events.js';
import { handshakeTimeoutMessage, t } from './messages.js';

/** The iframe's sandbox: scripts and its own origin (storage, fetch to LIQX), forms, and popups for bank pages. */
const FRAME_SANDBOX = 'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox';
/** Only what a payout UI needs: copying a reference. No camera, payment, geolocation. */
const FRAME_ALLOW = 'clipboard-write';

/** The element's public inputs the lifecycle reads. */
export interface SessionHost extends ReactiveControllerHost, HTMLElement {
  readonly session: WidgetSession | null;
  readonly widgetUrl: string;
  readonly sessionToken: string;
  readonly sessionId: string;
  readonly intentId: string;
  readonly expiresAt: string;
  readonly locale: Locale;
  readonly handshakeTimeout: number;
  readonly fetchSession: (() => Promise<WidgetSession>) | null;
  readonly hasUpdated: boolean;
}

/** What the controller tells the element (its private side, so none of it is public API). */
export interface SessionReports {
  /** A new attempt begins: the error shown for the previous one goes. */
  started(): void;
  /** What the frame may know besides its token: hello's answer. */
  settings(): Omit<HelloResponse, 'protocol' | 'sessionToken'>;
  /** Draws the chrome and puts the new iframe in it (once per session, outside any later update). */
  mount(iframe: HTMLIFrameElement): void;
  state(next: WidgetState): void;
  /** A frame event that passed every check and the gate. */
  relay(event: FrameEvent): void;
  /** A terminal error raised by the host. */
  error(detail: ErrorDetail): void;
  /** A message from the frame was dropped (diagnostic; the session goes on). */
  dropped(detail: ProtocolErrorDetail): void;
}

interface ActiveSession {
  readonly session: ResolvedSession;
  /** Created per session and managed outside the element's updates, so a new session always gets a fresh browsing context. */
  readonly iframe: HTMLIFrameElement;
  /** Pinned from the session, or from the frame's first hello when the attribute form had no session-id. */
  sessionId: string | null;
  /** The iframe's `load` fired (for a page, or for the error page a browser shows instead of a refused one). */
  loaded?: boolean;
}

export class SessionController implements ReactiveController {
  readonly #host: SessionHost;
  readonly #reports: SessionReports;
  #active: ActiveSession | null = null;
  #generation = 0;
  #gate = new OutcomeGate();
  #channel: HostChannel | null = null;
  #helloed = false;
  #handshakeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(host: SessionHost, reports: SessionReports) {
    this.#host = host;
    this.#reports = reports;
    host.addController(this);
  }

  /** The iframe currently embedded, if any. */
  get iframe(): HTMLIFrameElement | null {
    return this.#active?.iframe ?? null;
  }

  /** True while a frame's hello is accepted on the channel. */
  get connected(): boolean {
    return !!this.#channel?.connected;
  }

  /** Calls a frame method (`requestClose`, `update`); rejects when no frame is connected. */
  call(method: string, arg?: unknown): Promise<unknown> {
    return this.#channel ? this.#channel.call(method, arg) : Promise.reject(new Error('NOT_CONNECTED'));
  }

  hostConnected(): void {
    // Re-attachment (React StrictMode, moving the node): the first connection starts from the element's first update.
    if (this.#host.hasUpdated) this.restart();
  }

  hostDisconnected(): void {
    this.#teardown();
  }

  /** Starts over from the current session inputs: tears down whatever ran before. */
  restart(): void {
    this.#teardown();
    const generation = this.#generation;
    this.#gate = new OutcomeGate();
    this.#reports.started();
    const result = this.#read();
    if (!result) return this.#reports.state('idle');
    // Without adoptable stylesheets the element has no styles (see its `styles`): no frame is opened.
    if (!supportsAdoptingStyleSheets) return this.#fail(HostErrorCode.UNSUPPORTED_BROWSER, 'This browser cannot adopt stylesheets (Safari < 16.4, Firefox < 101).');
    if (!result.ok) return this.#fail(HostErrorCode.INVALID_SESSION, 'The widget session is malformed.', result.issues);
    if (!isExpired(result.session)) return this.#open(result.session);
    if (!this.#host.fetchSession) return this.#fail(HostErrorCode.SESSION_EXPIRED, 'The widget session has expired.');
    this.#reports.state('loading');
    void this.#refresh(generation);
  }

  #read(): SessionResult | null {
    const host = this.#host;
    if (host.session != null) return resolveSession(host.session);
    if (!host.widgetUrl && !host.sessionToken) return null;
    return resolveAttributeSession({
      widget_url: host.widgetUrl,
      session_token: host.sessionToken,
      session_id: host.sessionId,
      intent_id: host.intentId,
      expires_at: host.expiresAt,
    });
  }

  async #refresh(generation: number): Promise<void> {
    let result: SessionResult;
    try {
      result = resolveSession(await this.#host.fetchSession!());
    } catch (error) {
      if (generation !== this.#generation) return;
      return this.#fail(HostErrorCode.SESSION_REFRESH_FAILED, `fetchSession() failed: ${String((error as Error)?.message ?? error)}`);
    }
    if (generation !== this.#generation) return;
    if (!result.ok) return this.#fail(HostErrorCode.SESSION_REFRESH_FAILED, 'fetchSession() returned a malformed session.', result.issues);
    if (isExpired(result.session)) return this.#fail(HostErrorCode.SESSION_REFRESH_FAILED, 'fetchSession() returned an expired session.');
    this.#open(result.session);
  }

  #open(session: ResolvedSession): void {
    const channelId = newChannelId();
    const iframe = document.createElement('iframe');
    iframe.setAttribute('part', 'frame');
    iframe.title = t(this.#host.locale, 'frameTitle');
    iframe.setAttribute('sandbox', FRAME_SANDBOX);
    iframe.allow = FRAME_ALLOW;
    iframe.referrerPolicy = 'strict-origin';
    iframe.src = frameSrc(session, channelId);
    const active: ActiveSession = (this.#active = { session, iframe, sessionId: session.sessionId });
    this.#host.requestUpdate();
    iframe.onload = () => (active.loaded = true);
    const generation = this.#generation;
    // Listening before the frame exists, then the iframe into the document now, not after a render: the frame's
    // request goes out as soon as the session is known.
    this.#channel = new HostChannel({
      iframe,
      origin: session.origin,
      channel: channelId,
      hello: (raw) => this.#hello(generation, active, raw),
      handle: (method, raw) => this.#handle(generation, active, method, raw),
    });
    this.#reports.state('loading');
    // A state-change listener may have removed the element: this session is over then.
    if (generation !== this.#generation) return;
    this.#reports.mount(iframe);
    // A garbled attribute (NaN, negative) must not time out at once: fall back to the default.
    const requested = this.#host.handshakeTimeout;
    const timeout = Number.isFinite(requested) && requested > 0 ? requested : 10_000;
    this.#handshakeTimer = setTimeout(() => {
      if (generation !== this.#generation || this.#helloed) return;
      this.#destroyFrame();
      this.#fail(HostErrorCode.HANDSHAKE_TIMEOUT, handshakeTimeoutMessage(timeout, !!active.loaded, session.origin));
    }, timeout);
  }

  /**
   * The frame's hello, bound to one generation: a stale frame is refused. Parsed once; a PAYOUT_READY it carries
   * passes the same session, intent and once-only checks as an emitted event, and a hello whose ready fails them is
   * refused whole (no token).
   */
  #hello(generation: number, active: ActiveSession, raw: unknown): HelloResponse {
    if (generation !== this.#generation || this.#active !== active) throw { code: 'STALE_SESSION', message: 'This frame belongs to an earlier session.' };
    const parsed = HelloRequest().safeParse(raw);
    if (!parsed.success) throw this.#drop('hello', ProtocolErrorCode.INVALID_MESSAGE, 'hello() arguments are invalid.', issuePaths(parsed.error));
    const { protocol, sessionId, ready } = parsed.data;
    if (protocol !== PROTOCOL_VERSION) {
      this.#destroyFrame();
      this.#fail(HostErrorCode.PROTOCOL_MISMATCH, `The frame speaks protocol ${protocol}; this host speaks ${PROTOCOL_VERSION}.`);
      throw { code: HostErrorCode.PROTOCOL_MISMATCH, message: `This host speaks protocol ${PROTOCOL_VERSION}.` };
    }
    if (active.sessionId !== null && sessionId !== active.sessionId) {
      throw this.#drop('hello', ProtocolErrorCode.SESSION_MISMATCH, `hello() names session ${sessionId}, not ${active.sessionId}.`, ['sessionId']);
    }
    if (ready) this.#check('hello', active, ready, sessionId);
    active.sessionId = sessionId;
    this.#helloed = true;
    clearTimeout(this.#handshakeTimer);
    if (ready) this.#admit('hello', active, ready);
    return { protocol: PROTOCOL_VERSION, sessionToken: active.session.token, ...this.#reports.settings() };
  }

  /** The frame's calls after its hello (only `emit`). */
  #handle(generation: number, active: ActiveSession, method: string, raw: unknown): { accepted: boolean } {
    if (generation !== this.#generation || this.#active !== active) throw { code: 'STALE_SESSION', message: 'This frame belongs to an earlier session.' };
    if (method !== 'emit') throw { code: 'UNKNOWN_METHOD', message: `No method ${method}.` };
    const parsed = parseFrameEvent(raw);
    if (!parsed.success) throw this.#drop('emit', ProtocolErrorCode.INVALID_MESSAGE, 'emit() event is invalid.', issuePaths(parsed.error));
    this.#check('emit', active, parsed.data, active.sessionId);
    return { accepted: this.#admit('emit', active, parsed.data) };
  }

  /** The event names this element's session and intent; throws the refusal otherwise. */
  #check(method: 'hello' | 'emit', active: ActiveSession, event: FrameEvent, sessionId: string | null): void {
    if (event.sessionId !== sessionId) {
      throw this.#drop(method, ProtocolErrorCode.SESSION_MISMATCH, `Event names session ${event.sessionId}, not ${sessionId}.`, ['sessionId']);
    }
    if (active.session.intentId !== null && event.intentId !== active.session.intentId) {
      throw this.#drop(method, ProtocolErrorCode.SESSION_MISMATCH, `Event names intent ${event.intentId}, not ${active.session.intentId}.`, ['intentId']);
    }
  }

  /** Once per eventId, nothing after the outcome (OutcomeGate); reports what is admitted. */
  #admit(method: 'hello' | 'emit', active: ActiveSession, event: FrameEvent): boolean {
    const admission = this.#gate.admit(event.type, event.eventId);
    if (admission !== 'admit') {
      this.#drop(method, admission, `${event.type} ${event.eventId} dropped: ${admission}.`, []);
      return false;
    }
    // CSSOM, not a style attribute: stays clean under a strict style-src CSP.
    if (event.type === 'WIDGET_RESIZE' && this.#active === active) active.iframe.style.height = `${Math.ceil(event.data.height)}px`;
    this.#reports.relay(event);
    return true;
  }

  /** A host-raised terminal error. Ignored when the session already has its outcome. */
  #fail(code: HostErrorCode, message: string, issues?: string[]): void {
    if (!this.#gate.terminate()) return;
    this.#reports.error({
      code, message, source: 'host',
      sessionId: this.#active?.sessionId ?? null,
      intentId: this.#active?.session.intentId ?? null,
      ...(issues ? { issues } : {}),
    });
  }

  /** Reports a dropped message and returns the refusal sent back to the frame. */
  #drop(method: 'hello' | 'emit', code: ProtocolErrorCode, message: string, issues: string[]): WireError {
    this.#reports.dropped({ code, method, message, issues });
    return { code, message, issues };
  }

  #destroyFrame(): void {
    clearTimeout(this.#handshakeTimer);
    this.#channel?.destroy();
    this.#channel = null;
    if (!this.#active) return;
    this.#active.iframe.remove();
    this.#active = null;
    this.#host.requestUpdate();
  }

  /** Destroys channel, timers and iframe; invalidates every pending async step. */
  #teardown(): void {
    this.#generation++;
    this.#helloed = false;
    this.#destroyFrame();
  }
}
