/**
 * The element's own chrome (box, loading indicator, error message, overlay dialog), built with plain DOM calls.
 *
 * Why not lit-html templates: the chrome is five static nodes whose only changes are "shown or not" and a few
 * strings, and lit-html's ~3 KB gzip is what keeps the script-tag file within its size budget (build/size-budget.ts). The iframe is not
 * built here: the element inserts it into `base` once per session, so no update ever touches the frame.
 */

/** What the chrome shows; `null` hides a part. */
export interface ChromeState {
  /** Draw the box with the dark defaults (`--liqx-*` properties still win). */
  readonly dark: boolean;
  /** `display="overlay"`: wrap `base` in a modal `<dialog>` labelled `label`. */
  readonly overlay: boolean;
  readonly label: string;
  /** Loading text, or null when not loading. */
  readonly loading: string | null;
  /** `close`: the label of the error's close button (overlay only: an error must not trap the user); null for none. */
  readonly error: { readonly title: string; readonly text: string; readonly code: string; readonly close: string | null } | null;
}

type Child = Node | string;

/** `<tag attr=value ...>children</tag>`. Attributes only, never `style` or handlers: CSP-clean by construction. */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string>, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const name in attrs) node.setAttribute(name, attrs[name]!);
  node.append(...children);
  return node;
}

export class ChromeView {
  /** The box around everything; the element prepends the iframe here. */
  readonly base = el('div', { part: 'base' });
  readonly #root: Node;
  #dialog: HTMLDialogElement | null = null;
  #loading: HTMLElement | null = null;
  #loadingText: Text | null = null;
  #error: HTMLElement | null = null;
  #shownError: ChromeState['error'] = null;

  constructor(root: Node) {
    this.#root = root;
  }

  render(state: ChromeState): void {
    this.base.classList.toggle('dark', state.dark);
    this.#renderWrapper(state);
    this.#renderLoading(state.loading);
    this.#renderError(state.error);
  }

  #renderWrapper({ overlay, label }: ChromeState): void {
    if (overlay) {
      // The dialog's shape is what overlay-controller.ts looks for: dialog[part=overlay] > [part=dialog] > base.
      this.#dialog ??= el('dialog', { part: 'overlay' }, el('div', { part: 'dialog', tabindex: '-1' }, this.base));
      this.#dialog.setAttribute('aria-label', label);
      if (this.#dialog.parentNode !== this.#root) this.#root.appendChild(this.#dialog);
    } else {
      this.#dialog?.remove();
      this.#dialog = null;
      if (this.base.parentNode !== this.#root) this.#root.appendChild(this.base);
    }
  }

  #renderLoading(text: string | null): void {
    if (text === null) {
      this.#loading?.remove();
      this.#loading = this.#loadingText = null;
      return;
    }
    if (!this.#loading) {
      this.#loadingText = document.createTextNode('');
      this.#loading = el('div', { part: 'loading', role: 'status', 'aria-live': 'polite' },
        el('div', { part: 'spinner', 'aria-hidden': 'true' }), el('span', {}, this.#loadingText));
      this.base.insertBefore(this.#loading, this.#error);
    }
    this.#loadingText!.data = text;
  }

  #renderError(error: ChromeState['error']): void {
    const shown = this.#shownError;
    if (error?.title === shown?.title && error?.text === shown?.text && error?.code === shown?.code && error?.close === shown?.close) return;
    this.#shownError = error;
    // A new node per error: a fresh role="alert" is announced again.
    this.#error?.remove();
    this.#error = error && el('div', { part: 'error', role: 'alert' }, el('strong', {}, error.title), el('span', {}, error.text), el('code', {}, error.code));
    // The overlay controller handles the click (it closes the dialog).
    if (error?.close) this.#error!.append(el('button', { part: 'close', type: 'button' }, error.close));
    if (this.#error) this.base.append(this.#error);
  }
}
