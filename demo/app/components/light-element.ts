import { LitElement } from 'lit';

/**
 * The page's components render into the light DOM so one plain stylesheet (demo/app/styles.css) styles the
 * whole page, with no inline styles for a strict CSP. The payout widget keeps its own shadow root.
 */
export class LightElement extends LitElement {
  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  /** Dispatches a bubbling event for the app component to handle. */
  protected emit<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true }));
  }
}
