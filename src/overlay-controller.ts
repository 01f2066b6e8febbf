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
 * - when the dialog closes, focus returns to where it was;
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
    }
    const wanted = !!dialog && host.isConnected && host.state !== 'idle' && !this.#dismissed;
    if (wanted && !dialog.open) {
      this.#returnFocus = deepActiveElement();
      dialog.showModal();
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

  /** The browser closed the dialog without us (a non-cancelable Esc): still tell the frame, restore focus. */
  #onClosed = (): void => {
    if (this.#selfClosing) return void (this.#selfClosing = false);
    if (this.#dismissed) return;
    this.#dismissed = true;
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
    this.#restoreFocus();
  }

  #restoreFocus(): void {
    const target = this.#returnFocus;
    this.#returnFocus = null;
    if (target?.isConnected) target.focus();
  }
}
