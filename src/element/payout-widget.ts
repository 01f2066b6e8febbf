import { ReactiveElement, supportsAdoptingStyleSheets, unsafeCSS, type PropertyValues } from '@lit/reactive-element';
import type { FrameEvent, Locale, Theme } from '../protocol/schemas.js';
import type { Appearance } from '../protocol/wire.js';
import type { WidgetSession } from '../protocol/session.js';
import { RELAYED_AS } from '../protocol/events.js';
import { appearanceVars, checkAppearance } from './appearance.js';
import {
  EVENTS,
  LiqxEvent,
  detailOf,
  type DetailOf,
  type ErrorDetail,
  type LiqxCallbacks,
  type LiqxEventName,
  type LiqxWidgetEvent,
  type WidgetState,
} from './events.js';
import { hasMessage, t } from './messages.js';
import { styles } from './payout-widget.styles.js';
import { OverlayController } from './overlay-controller.js';
import { overlayStyles } from './overlay-controller.styles.js';
import { SessionController } from './session-controller.js';
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

/** The reactive properties whose accessor the class defines (in its static block): their types. */
interface Props {
  session: WidgetSession | null;
  widgetUrl: string;
  sessionToken: string;
  sessionId: string;
  intentId: string;
  expiresAt: string;
  locale: Locale;
  theme: Theme | 'auto';
  display: 'inline' | 'overlay';
}

/** Their defaults (also in each property's doc). */
const PROPS: Props = { session: null, widgetUrl: '', sessionToken: '', sessionId: '', intentId: '', expiresAt: '', locale: 'ko', theme: 'light', display: 'inline' };

/** The callback properties (`onReady`, `onPayoutRejected`, ...) come from the event table: see LiqxCallbacks. */
export interface LiqxPayoutWidget extends LiqxCallbacks {}

/**
 * Embeds the LIQX payout UI for one widget session in a cross-origin iframe and relays what it reports.
 *
 * @tagname liqx-payout-widget
 * @summary LIQX PAYOUT widget.
 *
 * Events and their callback properties are listed once, in `EVENTS` (src/protocol/events.ts); the manifest's events and
 * callback members are generated from it (custom-elements-manifest.config.mjs).
 *
 * @csspart base - The box around everything.
 * @csspart frame - The LIQX iframe.
 * @csspart loading - The loading indicator: fades in 300 ms after the frame starts loading (none for a frame ready sooner), until it is ready.
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
  // partner's strict `style-src` blocks: no styles there, and a session fails with UNSUPPORTED_BROWSER (SessionController).
  // One stylesheet, not an array: Lit flattens and dedupes an array at define time, which costs more than the
  // concatenation in a fresh page.
  static override styles = supportsAdoptingStyleSheets ? unsafeCSS(styles.cssText + overlayStyles.cssText) : undefined;

  // Declared here rather than with decorators: the decorator helpers cost bytes in the script-tag file.
  // `noAccessor` everywhere: the accessors below are part of the class, where Lit would add one per property with
  // Object.defineProperty at define time (about half of customElements.define in a fresh page). The properties
  // without an accessor (widgetOrigin, handshakeTimeout, fetchSession) are only read when a session starts or the
  // element connects, so a change needs no update; they stay declared for their attribute and so that a value set
  // before the element is upgraded is kept.
  static override properties = {
    session: { attribute: false, noAccessor: true },
    widgetUrl: { attribute: 'widget-url', noAccessor: true },
    sessionToken: { attribute: 'session-token', noAccessor: true },
    sessionId: { attribute: 'session-id', noAccessor: true },
    intentId: { attribute: 'intent-id', noAccessor: true },
    expiresAt: { attribute: 'expires-at', noAccessor: true },
    widgetOrigin: { attribute: 'widget-origin', noAccessor: true },
    appearance: { attribute: false, noAccessor: true },
    locale: { reflect: true, noAccessor: true },
    theme: { reflect: true, noAccessor: true },
    display: { reflect: true, noAccessor: true },
    handshakeTimeout: { type: Number, attribute: 'handshake-timeout', noAccessor: true },
    fetchSession: { attribute: false, noAccessor: true },
  };

  /** The values behind the accessors defined below. */
  #props: Props = { ...PROPS };

  // The accessors of the properties declared next, one defineProperty each when the class is created: Lit would add
  // its own at define time, wrapping each (about half of customElements.define in a fresh page).
  static {
    for (const key in PROPS) {
      Object.defineProperty(this.prototype, key, {
        get(this: LiqxPayoutWidget) {
          return this.#props[key as keyof Props];
        },
        set(this: LiqxPayoutWidget, value: never) {
          const old = this.#props[key as keyof Props];
          this.#props[key as keyof Props] = value;
          this.requestUpdate(key, old);
        },
        configurable: true,
        enumerable: true,
      });
    }
  }

  /**
   * The widget session from your backend (`{ session_id, widget_url, session_token, expires_at, intent_id }`). Validated; takes precedence over the attributes.
   * @default null
   */
  declare session: WidgetSession | null;

  /**
   * Attribute form: the session's widget_url.
   * @default ''
   */
  declare widgetUrl: string;
  /**
   * Attribute form: the session token. Sent to the frame only over the verified channel, never in a URL.
   * @default ''
   */
  declare sessionToken: string;
  /**
   * Attribute form, optional: the session id; when absent it is pinned from the frame's first hello.
   * @default ''
   */
  declare sessionId: string;
  /**
   * Attribute form, optional: the intent id the frame's events must carry.
   * @default ''
   */
  declare intentId: string;
  /**
   * Attribute form, optional: ISO 8601 expiry.
   * @default ''
   */
  declare expiresAt: string;
  /**
   * The LIQX widget origin when it is known before the session (e.g. `https://widget.liqx.io`): the element adds a
   * `<link rel="preconnect">` to it once connected, so the frame's connection is open by the time the session
   * arrives. `widget-url` does the same.
   */
  widgetOrigin = '';

  /**
   * Language of the element and the frame.
   * @default 'ko'
   */
  declare locale: Locale;
  /**
   * Colour theme of the element's own box and of the frame; `auto` follows the user's `prefers-color-scheme`, live.
   * A change after connect reaches the frame without a reconnect.
   * @default 'light'
   */
  declare theme: Theme | 'auto';
  /**
   * `inline` renders in place; `overlay` renders a modal dialog.
   * @default 'inline'
   */
  declare display: 'inline' | 'overlay';
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

  /** The error shown; every change is followed by an update (started, showError). */
  #error: ErrorDetail | null = null;

  #state: WidgetState = 'idle';
  // display="overlay": the modal dialog, Esc -> requestClose(), focus return (overlay-controller.ts).
  #overlay = new OverlayController(this);
  // Session -> iframe -> channel -> admitted events (session-controller.ts); this class draws and relays what it reports.
  #session = new SessionController(this, {
    started: () => {
      this.#error = null;
      this.requestUpdate();
    },
    settings: () => ({ locale: this.locale, theme: this.#theme(), display: this.display, appearance: this.#appearance }),
    mount: (iframe) => {
      this.#render();
      iframe.classList.add('pending');
      this.#view!.base.prepend(iframe);
    },
    state: (next) => this.#setState(next),
    relay: (event) => this.#relay(event),
    error: (detail) => this.#showError(detail),
    dropped: (detail) => this.#notify('liqx-protocol-error', detail),
  });
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
    if (!this.#session.connected) return false;
    try {
      await this.#session.call('requestClose');
      return true;
    } catch {
      return false;
    }
  }

  /** The iframe currently embedded, if any (for tests and advanced hosts). */
  get frame(): HTMLIFrameElement | null {
    return this.#session.iframe;
  }

  override connectedCallback(): void {
    this.setAttribute('state', this.#state);
    preconnect(this.widgetOrigin || this.widgetUrl);
    this.#watchScheme();
    // Then the controllers: a re-attached element (React StrictMode, moving the node) restarts its session there;
    // the first connection starts from willUpdate.
    super.connectedCallback();
  }

  override disconnectedCallback(): void {
    // The controllers tear the session down (channel, timer, iframe) and close the overlay.
    super.disconnectedCallback();
    this.#watchScheme();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.#watchScheme();
    if (this.isConnected && SESSION_INPUTS.some((k) => changed.has(k))) this.#session.restart();
    else if (changed.has('locale') || changed.has('theme') || changed.has('appearance')) this.#sendSettings();
  }

  /** The theme drawn: `auto` resolved against the user's colour scheme. */
  #theme(): Theme {
    return this.theme === 'dark' || (this.theme === 'auto' && !!this.#scheme?.matches) ? 'dark' : 'light';
  }

  /** Live locale and theme: the connected frame redraws in place (no reconnect, the payout's state stays). */
  #sendSettings(): void {
    if (this.#session.connected) this.#session.call('update', { locale: this.locale, theme: this.#theme(), appearance: this.#appearance }).catch(() => {});
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
    this.#session.iframe?.classList.toggle('pending', this.#state === 'loading');
  }

  protected override update(changed: PropertyValues<this>): void {
    super.update(changed);
    this.#render();
  }

  #render(): void {
    const locale = this.locale;
    const error = this.#error;
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

  /** An admitted frame event: its state, then its DOM event and callbacks. */
  #relay(event: FrameEvent): void {
    if (event.type === 'WIDGET_ERROR') {
      const { code, message } = event.data.error;
      return this.#showError({
        code, message, source: 'frame', sessionId: event.sessionId, intentId: event.intentId, eventId: event.eventId, occurredAt: event.occurredAt,
      });
    }
    const name: LiqxEventName = RELAYED_AS[event.type];
    const { state } = EVENTS[name];
    if (state) this.#setState(state);
    // The detail shape is fixed per type by the schema; the cast only joins the union back to one name.
    this.#notify(name, detailOf(event) as DetailOf<typeof name>);
  }

  /** The session's terminal error, raised by the host or reported by the frame: shown, then `liqx-error`. */
  #showError(detail: ErrorDetail): void {
    this.#error = detail;
    this.requestUpdate();
    this.#setState('error');
    this.#notify('liqx-error', detail);
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
}
