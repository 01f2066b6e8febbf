/**
 * `display="overlay"`: the element's chrome inside a native modal `<dialog>` (showModal(): the rest of the page
 * is inert, so focus stays in the dialog without a hand-written trap, and the top layer needs no z-index).
 *
 * Behaviour, as a payment SDK user expects it:
 * - the dialog opens when a session starts (state leaves `idle`) and remembers what had focus;
 * - Esc asks the frame to close (`requestClose()` over the channel); the frame answers with WIDGET_CLOSE, the
 *   element fires `liqx-close` and closes the dialog itself. Without a connected frame (still loading, or an
 *   error is shown) Esc closes the dialog directly. Browsers may close a modal dialog on Esc at once when the
 *   user has not interacted with the page; the frame is still asked to close, so `liqx-close` follows;
 * - a tap on the backdrop, or on the close button an error shows, is the same request as Esc (with no frame connected,
 *   it closes the dialog: an error state must never trap a touch user);
 * - while open, the page behind does not scroll: its scroll position, its root's inline styles and its layout (the
 *   scrollbar's width is made up with padding) are restored exactly on close;
 * - when the dialog closes, focus returns to where it was, without scrolling the page;
 * - a new session (or `display` set again) opens it again; removing the element closes it.
 */
import type { ReactiveController, ReactiveControllerHost } from '@lit/reactive-element';

export interface OverlayHost extends ReactiveControllerHost, HTMLElement {
  readonly display: 'inline' | 'overlay';
  readonly state: string;
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** Asks the frame to close; resolves false when no frame is connected. */
  requestClose(): Promise<boolean>;
}

/** The root's inline properties the lock sets, with what they were; the scroll position; how many overlays hold it. */
const LOCKED = ['overflow-x', 'overflow-y', 'padding-right'] as const;
let locks = 0;
let saved: { props: Array<[string, string, string]>; hadStyle: boolean; x: number; y: number } | null = null;

function lockScroll(): void {
  if (locks++) return;
  const root = document.documentElement;
  const style = root.style;
  const gap = innerWidth - root.clientWidth;
  saved = { props: LOCKED.map((p) => [p, style.getPropertyValue(p), style.getPropertyPriority(p)]), hadStyle: root.hasAttribute('style'), x: scrollX, y: scrollY };
  // CSSOM, not the style attribute: allowed under a strict style-src CSP.
  if (gap > 0) style.setProperty('padding-right', `${parseFloat(getComputedStyle(root).paddingRight) + gap}px`, 'important');
  style.setProperty('overflow-x', 'hidden', 'important');
  style.setProperty('overflow-y', 'hidden', 'important');
}

function unlockScroll(): void {
  if (!locks || --locks || !saved) return;
  const root = document.documentElement;
  for (const [prop, value, priority] of saved.props) {
    if (value) root.style.setProperty(prop, value, priority);
    else root.style.removeProperty(prop);
  }
  if (!saved.hadStyle && !root.style.length) root.removeAttribute('style');
  if (scrollX !== saved.x || scrollY !== saved.y) window.scrollTo(saved.x, saved.y);
  saved = null;
}

/** The focused element, looking through open shadow roots (focus may sit inside another component). */
function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

export class OverlayController implements ReactiveController {
  readonly #host: OverlayHost;
  #dialog: HTMLDialogElement | null = null;
  #returnFocus: HTMLElement | null = null;
  /** Closed by the user or the frame for the current session; a new session clears it. */
  #dismissed = false;
  /** `close` fires asynchronously: marks the one we caused. */
  #selfClosing = false;
  /** This overlay holds the page's scroll lock. */
  #locked = false;

  constructor(host: OverlayHost) {
    this.#host = host;
    host.addController(this);
    host.addEventListener('liqx-close', () => this.#dismiss());
    host.addEventListener('liqx-state-change', (e) => {
      if (e.detail.state === 'loading' || e.detail.state === 'idle') this.#dismissed = false;
    });
  }

  /** The open dialog, if the overlay is showing. */
  get dialog(): HTMLDialogElement | null {
    return this.#dialog?.open ? this.#dialog : null;
  }

  hostUpdated(): void {
    const host = this.#host;
    const dialog = host.display === 'overlay' ? host.renderRoot.querySelector<HTMLDialogElement>('dialog[part~="overlay"]') : null;
    if (dialog !== this.#dialog) {
      this.#close();
      this.#dialog = dialog;
      dialog?.addEventListener('cancel', this.#onCancel);
      dialog?.addEventListener('close', this.#onClosed);
      dialog?.addEventListener('click', this.#onClick);
    }
    const wanted = !!dialog && host.isConnected && host.state !== 'idle' && !this.#dismissed;
    if (wanted && !dialog.open) {
      this.#returnFocus = deepActiveElement();
      dialog.showModal();
      if (!this.#locked) {
        this.#locked = true;
        lockScroll();
      }
      // Focus the panel, not the cross-origin iframe: Esc must reach this document's dialog.
      dialog.querySelector<HTMLElement>('[part~="dialog"]')?.focus();
    } else if (!wanted) {
      this.#close();
    }
  }

  hostDisconnected(): void {
    this.#close();
    this.#dialog = null;
  }

  #onCancel = (event: Event): void => {
    // Keep the dialog until the frame answers (it may finish a step first); the browser may close it anyway.
    event.preventDefault();
    void this.#host.requestClose().then((asked) => {
      if (!asked) this.#dismiss();
    });
  };

  /** The backdrop (the dialog itself, around the panel) or the close button: the same request as Esc. */
  #onClick = (event: Event): void => {
    const target = event.target as Element;
    if (target === this.#dialog || target.closest?.('[part~="close"]')) this.#onCancel(event);
  };

  /** The browser closed the dialog without us (a non-cancelable Esc): still tell the frame, restore focus. */
  #onClosed = (): void => {
    if (this.#selfClosing) return void (this.#selfClosing = false);
    if (this.#dismissed) return;
    this.#dismissed = true;
    this.#unlock();
    this.#restoreFocus();
    void this.#host.requestClose();
  };

  #dismiss(): void {
    this.#dismissed = true;
    this.#close();
  }

  #close(): void {
    const dialog = this.#dialog;
    if (dialog?.open) {
      this.#selfClosing = true;
      dialog.close();
    }
    this.#unlock();
    this.#restoreFocus();
  }

  #unlock(): void {
    if (!this.#locked) return;
    this.#locked = false;
    unlockScroll();
  }

  #restoreFocus(): void {
    const target = this.#returnFocus;
    this.#returnFocus = null;
    // preventScroll: the page is back where it was; focusing must not move it.
    if (target?.isConnected) target.focus({ preventScroll: true });
  }
}
