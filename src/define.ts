/**
 * Side-effect entry: registers `<liqx-payout-widget>`. Safe to import twice (two bundles on one page)
 * and in Node (SSR), where there is no registry to register with.
 */
import { LiqxPayoutWidget, TAG_NAME } from './index.js';

if (typeof customElements !== 'undefined' && !customElements.get(TAG_NAME)) {
  customElements.define(TAG_NAME, LiqxPayoutWidget);
}

declare global {
  interface HTMLElementTagNameMap {
    'liqx-payout-widget': LiqxPayoutWidget;
  }
}

export { LiqxPayoutWidget, TAG_NAME };
export * from './index.js';
