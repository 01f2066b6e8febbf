import { ReactiveElement, supportsAdoptingStyleSheets, type PropertyValues } from '@lit/reactive-element';
import {
  HelloRequest,
  parseFrameEvent,
  type FrameEvent,
  PROTOCOL_VERSION,
  issuePaths,
  type HelloResponse,
  type Locale,
  type Theme,
} from './protocol.js';
import type { WireError } from './port-channel.js';
import type { Appearance } from './wire.js';
import { appearanceVars, checkAppearance } from './appearance.js';
import { frameSrc, isExpired, resolveAttributeSession, resolveSession, type ResolvedSession, type SessionResult, type WidgetSession } from './session.js';
import { HostChannel, newChannelId } from './host-channel.js';
import { OutcomeGate } from './outcome-gate.js';
import { HostErrorCode, ProtocolErrorCode } from './errors.js';
import {
  EVENTS,
  LiqxEvent,
  RELAYED_AS,
  detailOf,
  type DetailOf,
  type ErrorDetail,
  type LiqxCallbacks,
  type LiqxEventName,
  type LiqxWidgetEvent,
  type ProtocolErrorDetail,
  type WidgetState,
} from './events.js';
import { handshakeTimeoutMessage, hasMessage, t } from './messages.js';
import { styles } from './payout-widget.styles.js';
import { OverlayController } from './overlay-controller.js';
import { overlayStyles } from './overlay-controller.styles.js';
import { ChromeView } from './chrome-view.js';

/** Adds `<link rel="preconnect">` for the origin of `url` (http(s) only, once per document). */
function preconnect(url: string): void {
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    return;
  }
  if (!/^https?:/.test(origin) || document.head.querySelector(`link[rel=preconnect][href="${origin}"]`)) return;
  const link = document.createElement('link');
  link.rel = 'preconnect';
  link.href = origin;
  document.head.append(link);
}

/** Properties whose change means "a different session": the widget restarts cleanly. */
// `display` too: the overlay re-parents the chrome, and a moved iframe reloads into a new browsing context.
const SESSION_INPUTS = ['session', 'widgetUrl', 'sessionToken', 'sessionId', 'intentId', 'expiresAt', 'display'] as const;

/** The iframe's sandbox: scripts and its own origin (storage, fetch to LIQX), forms, and popups for bank pages. */
const FRAME_SANDBOX = 'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox';
/** Only what a payout UI needs: copying a reference. No camera, payment, geolocation. */
const FRAME_ALLOW = 'clipboard-write';

interface ActiveSession {
  readonly session: ResolvedSession;
  readonly channelId: string;
  /** Created per session and managed outside Lit's template, so a new session always gets a fresh browsing context. */
  readonly iframe: HTMLIFrameElement;
  /** Pinned from the session, or from the frame's first hello when the attribute form had no session-id. */
  sessionId: string | null;
  /** The iframe's `load` fired (for a page, or for the error page a browser shows instead of a refused one). */
  loaded?: boolean;
}

/** The callback properties (`onReady`, `onPayoutRejected`, ...) come from the event table: see LiqxCallbacks. */
export interface LiqxPayoutWidget extends LiqxCallbacks {}

/**
 * Embeds the LIQX payout UI for one widget session in a cross-origin iframe and relays what it reports.
 *
 * @tagname liqx-payout-widget
 * @summary LIQX PAYOUT widget.
 *
 * Events and their callback properties are listed once, in `EVENTS` (src/events.ts); the manifest's events and
 * callback members are generated from it (custom-elements-manifest.config.mjs).
 *
 * @csspart base - The box around everything.
 * @csspart frame - The LIQX iframe.
 * @csspart loading - The loading indicator shown until the frame is ready.
 * @csspart spinner - The spinner inside `loading`.
 * @csspart error - The error message shown on `liqx-error`.
 * @csspart close - `display="overlay"`: the close button of the error message (closes the dialog; a backdrop tap and Esc do too).
 * @csspart overlay - `display="overlay"`: the modal `<dialog>` covering the viewport (style its backdrop with `::part(overlay)::backdrop` or `--liqx-overlay-backdrop`).
 * @csspart dialog - `display="overlay"`: the panel inside the overlay that holds `base`.
 *
 * @cssprop --liqx-font-family - Font of the element's own chrome.
 * @cssprop --liqx-font-family-mono - Font of the error code (default `ui-monospace, monospace`).
 * @cssprop --liqx-text-color - Text colour.
 * @cssprop --liqx-muted-color - Secondary text colour.
 * @cssprop --liqx-accent-color - Spinner and focus colour.
 * @cssprop --liqx-background - Background of the box.
 * @cssprop --liqx-border - Border of the box.
 * @cssprop --liqx-border-radius - Corner radius of the box.
 * @cssprop --liqx-min-height - Minimum height while loading.
 * @cssprop --liqx-frame-height - Iframe height until the frame reports its own.
 * @cssprop --liqx-error-color - Error text colour.
 * @cssprop --liqx-error-background - Error background.
 * @cssprop --liqx-spinner-track - Spinner track colour.
 * @cssprop --liqx-overlay-backdrop - Overlay backdrop (default `rgba(15, 23, 42, 0.55)`).
 * @cssprop --liqx-overlay-padding - Space between the viewport edge and the dialog (default `16px`).
 * @cssprop --liqx-dialog-width - Dialog width (default `480px`, never wider than the viewport).
 * @cssprop --liqx-dialog-max-height - Dialog maximum height (default `calc(100dvh - 32px)`); taller content scrolls.
 * @cssprop --liqx-dialog-shadow - Dialog shadow.
 */
// Lit's ReactiveElement (properties, attributes, update cycle, controllers, adopted styles) without lit-html:
// the chrome is built in chrome-view.ts, which keeps the script-tag file within budget.
export class LiqxPayoutWidget extends ReactiveElement {
  // Where Lit cannot adopt stylesheets (Safari < 16.4, Firefox < 101) it would add `<style>` elements, which a
  // partner's strict `style-src` blocks: no styles there, and a session fails with UNSUPPORTED_BROWSER (#restart).
  static override styles = supportsAdoptingStyleSheets ? [styles, overlayStyles] : [];

  // Declared here rather than with decorators: the decorator helpers cost bytes in the script-tag file.
  static override properties = {
    session: { attribute: false },
    widgetUrl: { attribute: 'widget-url' },
    sessionToken: { attribute: 'session-token' },
    sessionId: { attribute: 'session-id' },
    intentId: { attribute: 'intent-id' },
    expiresAt: { attribute: 'expires-at' },
    widgetOrigin: { attribute: 'widget-origin' },
    appearance: { attribute: false, noAccessor: true },
    locale: { reflect: true },
    theme: { reflect: true },
    display: { reflect: true },
    handshakeTimeout: { type: Number, attribute: 'handshake-timeout' },
    fetchSession: { attribute: false },
    _active: { state: true },
    _error: { state: true },
  };

  /** The widget session from your backend (`{ session_id, widget_url, session_token, expires_at, intent_id }`). Validated; takes precedence over the attributes. */
  session: WidgetSession | null = null;

  /** Attribute form: the session's widget_url. */
  widgetUrl = '';
  /** Attribute form: the session token. Sent to the frame only over the verified channel, never in a URL. */
  sessionToken = '';
  /** Attribute form, optional: the session id; when absent it is pinned from the frame's first hello. */
  sessionId = '';
  /** Attribute form, optional: the intent id the frame's events must carry. */
  intentId = '';
  /** Attribute form, optional: ISO 8601 expiry. */
  expiresAt = '';
  /**
   * The LIQX widget origin when it is known before the session (e.g. `https://widget.liqx.io`): the element adds a
   * `<link rel="preconnect">` to it once connected, so the frame's connection is open by the time the session
   * arrives. `widget-url` does the same.
   */
  widgetOrigin = '';

  /** Language of the element and the frame. */
  locale: Locale = 'ko';
  /**
   * Colour theme of the element's own box and of the frame; `auto` follows the user's `prefers-color-scheme`, live.
   * A change after connect reaches the frame without a reconnect.
   */
  theme: Theme | 'auto' = 'light';
  /** `inline` renders in place; `overlay` renders a modal dialog. */
  display: 'inline' | 'overlay' = 'inline';
  #appearance: Appearance | null = null;
  /**
   * The partner's brand on the element's box and inside the frame: colours (`#rgb`/`#rrggbb`), radius, a font from
   * an allowed list. Checked when set: an invalid value, or text under 4.5:1 contrast on the background (in either
   * theme), throws a LiqxAppearanceError (code INVALID_APPEARANCE) and nothing of it is drawn. Changes reach a
   * connected frame live.
   */
  get appearance(): Appearance | null {
    return this.#appearance;
  }
  set appearance(value: Appearance | null) {
    const old = this.#appearance;
    this.#appearance = checkAppearance(value);
    this.requestUpdate('appearance', old);
  }

  /** Milliseconds the frame has to say hello before `liqx-error` HANDSHAKE_TIMEOUT. */
  handshakeTimeout = 10_000;

  /** Called when the session has expired; resolve with a fresh widget session from your backend. */
  fetchSession: (() => Promise<WidgetSession>) | null = null;

  /** Called with every relayed event (ready, submitted, completed, rejected, expired, resize, close, error). */
  onEvent: ((event: LiqxWidgetEvent) => void) | null = null;

  constructor() {
    super();
    // The callback properties start as null, like `onclick`.
    for (const { callback } of Object.values(EVENTS)) (this as Record<string, unknown>)[callback] = null;
  }

  private _active: ActiveSession | null = null;
  private _error: ErrorDetail | null = null;

  #state: WidgetState = 'idle';
  #generation = 0;
  #gate = new OutcomeGate();
  #channel: HostChannel | null = null;
  #helloed = false;
  #handshakeTimer: ReturnType<typeof setTimeout> | undefined;
  // display="overlay": the modal dialog, Esc -> requestClose(), focus return (src/overlay-controller.ts).
  #overlay = new OverlayController(this);
  #view: ChromeView | null = null;
  /** The colour-scheme query, while `theme="auto"` and connected. */
  #scheme: MediaQueryList | null = null;

  /** The lifecycle state, reflected as the `state` attribute. Read-only. */
  get state(): WidgetState {
    return this.#state;
  }

  /**
   * Asks the frame to close (what Esc does in `display="overlay"`); the frame answers with `liqx-close`.
   * Resolves `false` when no frame is connected.
   */
  async requestClose(): Promise<boolean> {
    const channel = this.#channel;
    if (!channel?.connected) return false;
    try {
      await channel.call('requestClose');
      return true;
    } catch {
      return false;
    }
  }

  /** The iframe currently embedded, if any (for tests and advanced hosts). */
  get frame(): HTMLIFrameElement | null {
    return this._active?.iframe ?? null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.setAttribute('state', this.#state);
    preconnect(this.widgetOrigin || this.widgetUrl);
    this.#watchScheme();
    // Re-attachment (React StrictMode, moving the node): the first connection starts from willUpdate.
    if (this.hasUpdated) this.#restart();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#teardown();
    this.#watchScheme();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.#watchScheme();
    if (this.isConnected && SESSION_INPUTS.some((k) => changed.has(k))) this.#restart();
    else if (changed.has('locale') || changed.has('theme') || changed.has('appearance')) this.#sendSettings();
  }

  /** The theme drawn: `auto` resolved against the user's colour scheme. */
  #theme(): Theme {
    return this.theme === 'dark' || (this.theme === 'auto' && !!this.#scheme?.matches) ? 'dark' : 'light';
  }

  /** Live locale and theme: the connected frame redraws in place (no reconnect, the payout's state stays). */
  #sendSettings(): void {
    if (this.#channel?.connected) this.#channel.call('update', { locale: this.locale, theme: this.#theme(), appearance: this.#appearance }).catch(() => {});
  }

  /** While `theme="auto"`, follows prefers-color-scheme: the element's box and the frame. */
  #watchScheme(): void {
    const auto = this.theme === 'auto' && this.isConnected;
    if (auto === !!this.#scheme) return;
    if (auto) {
      this.#scheme = matchMedia('(prefers-color-scheme: dark)');
      this.#scheme.addEventListener('change', this.#onScheme);
    } else {
      this.#scheme!.removeEventListener('change', this.#onScheme);
      this.#scheme = null;
    }
  }

  #onScheme = (): void => {
    this.requestUpdate();
    this.#sendSettings();
  };

  protected override updated(): void {
    this._active?.iframe.classList.toggle('pending', this.#state === 'loading');
  }

  protected override update(changed: PropertyValues<this>): void {
    super.update(changed);
    this.#render();
  }

  #render(): void {
    const locale = this.locale;
    const error = this._error;
    (this.#view ??= new ChromeView(this.renderRoot)).render({
      dark: this.#theme() === 'dark',
      overlay: this.display === 'overlay',
      label: t(locale, 'frameTitle'),
      loading: this.#state === 'loading' ? t(locale, 'loading') : null,
      error: error && {
        title: t(locale, 'errorTitle'),
        text: error.source === 'host' && hasMessage(error.code) ? t(locale, error.code) : error.message,
        code: error.code,
        close: this.display === 'overlay' ? t(locale, 'close') : null,
      },
    });
    // CSSOM on the box, not a style attribute: clean under a strict style-src CSP.
    const style = this.#view.base.style;
    for (const [name, value] of appearanceVars(this.#appearance)) style.setProperty(name, value);
  }

  /** Starts over from the current session inputs: tears down whatever ran before. */
  #restart(): void {
    this.#teardown();
    const generation = this.#generation;
    this.#gate = new OutcomeGate();
    this._error = null;
    const result = this.#readSession();
    if (!result) return this.#setState('idle');
    if (!supportsAdoptingStyleSheets) return this.#fail(HostErrorCode.UNSUPPORTED_BROWSER, 'This browser cannot adopt stylesheets (Safari < 16.4, Firefox < 101).');
    if (!result.ok) return this.#fail(HostErrorCode.INVALID_SESSION, 'The widget session is malformed.', result.issues);
    if (!isExpired(result.session)) return this.#open(result.session);
    if (!this.fetchSession) return this.#fail(HostErrorCode.SESSION_EXPIRED, 'The widget session has expired.');
    this.#setState('loading');
    void this.#refresh(generation);
  }

  #readSession(): SessionResult | null {
    if (this.session != null) return resolveSession(this.session);
    if (!this.widgetUrl && !this.sessionToken) return null;
    return resolveAttributeSession({
      widget_url: this.widgetUrl,
      session_token: this.sessionToken,
      session_id: this.sessionId,
      intent_id: this.intentId,
      expires_at: this.expiresAt,
    });
  }

  async #refresh(generation: number): Promise<void> {
    let result: SessionResult;
    try {
      result = resolveSession(await this.fetchSession!());
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
    iframe.title = t(this.locale, 'frameTitle');
    iframe.setAttribute('sandbox', FRAME_SANDBOX);
    iframe.allow = FRAME_ALLOW;
    iframe.referrerPolicy = 'strict-origin';
    iframe.src = frameSrc(session, channelId);
    const active: ActiveSession = (this._active = { session, channelId, iframe, sessionId: session.sessionId });
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
    this.#setState('loading');
    // A state-change listener may have removed the element: this session is over then.
    if (generation !== this.#generation) return;
    this.#render();
    iframe.classList.add('pending');
    this.#view!.base.prepend(iframe);
    // A garbled attribute (NaN, negative) must not time out at once: fall back to the default.
    const timeout = Number.isFinite(this.handshakeTimeout) && this.handshakeTimeout > 0 ? this.handshakeTimeout : 10_000;
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
    if (generation !== this.#generation || this._active !== active) throw { code: 'STALE_SESSION', message: 'This frame belongs to an earlier session.' };
    const parsed = HelloRequest.safeParse(raw);
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
    if (ready) this.#admit('hello', ready);
    return { protocol: PROTOCOL_VERSION, sessionToken: active.session.token, locale: this.locale, theme: this.#theme(), display: this.display, appearance: this.#appearance };
  }

  /** The frame's calls after its hello (only `emit`). */
  #handle(generation: number, active: ActiveSession, method: string, raw: unknown): { accepted: boolean } {
    if (generation !== this.#generation || this._active !== active) throw { code: 'STALE_SESSION', message: 'This frame belongs to an earlier session.' };
    if (method !== 'emit') throw { code: 'UNKNOWN_METHOD', message: `No method ${method}.` };
    const parsed = parseFrameEvent(raw);
    if (!parsed.success) throw this.#drop('emit', ProtocolErrorCode.INVALID_MESSAGE, 'emit() event is invalid.', issuePaths(parsed.error));
    this.#check('emit', active, parsed.data, active.sessionId);
    return { accepted: this.#admit('emit', parsed.data) };
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

  /** Once per eventId, nothing after the outcome (OutcomeGate); relays what is admitted. */
  #admit(method: 'hello' | 'emit', event: FrameEvent): boolean {
    const admission = this.#gate.admit(event.type, event.eventId);
    if (admission !== 'admit') {
      this.#drop(method, admission, `${event.type} ${event.eventId} dropped: ${admission}.`, []);
      return false;
    }
    this.#relay(event);
    return true;
  }

  #relay(event: FrameEvent): void {
    // CSSOM, not a style attribute: stays clean under a strict style-src CSP.
    if (event.type === 'WIDGET_RESIZE' && this._active) this._active.iframe.style.height = `${Math.ceil(event.data.height)}px`;
    if (event.type === 'WIDGET_ERROR') {
      const { code, message } = event.data.error;
      const detail: ErrorDetail = {
        code, message, source: 'frame', sessionId: event.sessionId, intentId: event.intentId, eventId: event.eventId, occurredAt: event.occurredAt,
      };
      this._error = detail;
      this.#setState('error');
      this.#notify('liqx-error', detail);
      return;
    }
    const name: LiqxEventName = RELAYED_AS[event.type];
    const { state } = EVENTS[name];
    if (state) this.#setState(state);
    // The detail shape is fixed per type by the schema; the cast only joins the union back to one name.
    this.#notify(name, detailOf(event) as DetailOf<typeof name>);
  }

  /** A host-raised terminal error. Ignored when the session already has its outcome. */
  #fail(code: HostErrorCode, message: string, issues?: string[]): void {
    if (!this.#gate.terminate()) return;
    const detail: ErrorDetail = {
      code, message, source: 'host',
      sessionId: this._active?.sessionId ?? null,
      intentId: this._active?.session.intentId ?? null,
      ...(issues ? { issues } : {}),
    };
    this._error = detail;
    this.#setState('error');
    this.#notify('liqx-error', detail);
  }

  /** Reports a dropped message and returns the refusal sent back to the frame. */
  #drop(method: 'hello' | 'emit', code: ProtocolErrorCode, message: string, issues: string[]): WireError {
    const detail: ProtocolErrorDetail = { code, method, message, issues };
    this.#notify('liqx-protocol-error', detail);
    return { code, message, issues };
  }

  /** Dispatches the event, then calls its callback property, then `onEvent` for events relayed from the frame. */
  #notify<K extends LiqxEventName>(name: K, detail: DetailOf<K>): void {
    const event = new LiqxEvent(name, detail);
    this.dispatchEvent(event);
    this.#invoke(this[EVENTS[name].callback] as ((detail: DetailOf<K>) => void) | null, detail);
    if (EVENTS[name].frame) this.#invoke(this.onEvent, event as LiqxWidgetEvent);
  }

  /** A throwing partner callback must not break the relay: report it like an uncaught error and go on. */
  #invoke<A>(fn: ((arg: A) => void) | null | undefined, arg: A): void {
    if (typeof fn !== 'function') return;
    try {
      fn.call(this, arg);
    } catch (error) {
      globalThis.reportError?.(error);
    }
  }

  #setState(next: WidgetState): void {
    const previous = this.#state;
    if (previous === next) return;
    this.#state = next;
    this.setAttribute('state', next);
    this.requestUpdate();
    this.#notify('liqx-state-change', { state: next, previous });
  }

  #destroyFrame(): void {
    clearTimeout(this.#handshakeTimer);
    this.#channel?.destroy();
    this.#channel = null;
    this._active?.iframe.remove();
    this._active = null;
  }

  /** Destroys channel, timers and iframe; invalidates every pending async step. */
  #teardown(): void {
    this.#generation++;
    this.#helloed = false;
    this.#destroyFrame();
  }
}
