/**
 * `liqx-payout-widget/react`: a React component for `<liqx-payout-widget>`, made with @lit/react.
 *
 * Event props receive the **DOM event** (read `event.detail`), not the bare detail the element's own
 * callback properties get:
 *
 * ```tsx
 * import { LiqxPayoutWidget } from 'liqx-payout-widget/react';
 *
 * <LiqxPayoutWidget
 *   session={session}
 *   locale="en"
 *   onPayoutCompleted={(e) => markPending(e.detail.intentId)}
 *   onPayoutRejected={(e) => showReason(e.detail.reason)}
 * />
 * ```
 *
 * Every other prop the element class declares (`session`, `locale`, `display`, `fetchSession`, ...) is set
 * as a property. `react` and `@lit/react` are peer dependencies; this entry registers the tag.
 */
import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { LiqxPayoutWidget as LiqxPayoutWidgetElement, TAG_NAME } from './define.js';
import type {
  LiqxCloseEvent,
  LiqxErrorEvent,
  LiqxPayoutCompletedEvent,
  LiqxPayoutExpiredEvent,
  LiqxPayoutRejectedEvent,
  LiqxPayoutSubmittedEvent,
  LiqxProtocolErrorEvent,
  LiqxReadyEvent,
  LiqxResizeEvent,
  LiqxStateChangeEvent,
} from './events.js';

/** React prop name -> DOM event name. The handler receives the typed DOM event. */
export const REACT_EVENTS = {
  onReady: 'liqx-ready' as EventName<LiqxReadyEvent>,
  onPayoutSubmitted: 'liqx-payout-submitted' as EventName<LiqxPayoutSubmittedEvent>,
  onPayoutCompleted: 'liqx-payout-completed' as EventName<LiqxPayoutCompletedEvent>,
  onPayoutRejected: 'liqx-payout-rejected' as EventName<LiqxPayoutRejectedEvent>,
  onPayoutExpired: 'liqx-payout-expired' as EventName<LiqxPayoutExpiredEvent>,
  onResize: 'liqx-resize' as EventName<LiqxResizeEvent>,
  onClose: 'liqx-close' as EventName<LiqxCloseEvent>,
  onError: 'liqx-error' as EventName<LiqxErrorEvent>,
  onStateChange: 'liqx-state-change' as EventName<LiqxStateChangeEvent>,
  onProtocolError: 'liqx-protocol-error' as EventName<LiqxProtocolErrorEvent>,
};

/**
 * The element as React sees it: its detail-taking callback properties (`onReady`, ...) give way to the
 * event props of the same names, and `onEvent` (a catch-all callback) is left to the element itself.
 */
type ReactElementProps = Omit<LiqxPayoutWidgetElement, keyof typeof REACT_EVENTS | 'onEvent'> & HTMLElement;

/**
 * `<liqx-payout-widget>` as a React component. Props: the element's properties plus `onReady`,
 * `onPayoutSubmitted`, `onPayoutCompleted`, `onPayoutRejected`, `onPayoutExpired`, `onResize`, `onClose`,
 * `onError`, `onStateChange`, `onProtocolError` (each called with the DOM event). A `ref` gives the element.
 */
export const LiqxPayoutWidget = createComponent({
  react: React,
  tagName: TAG_NAME,
  // Same class; only its type is narrowed (see ReactElementProps).
  elementClass: LiqxPayoutWidgetElement as unknown as new () => ReactElementProps,
  events: REACT_EVENTS,
  displayName: 'LiqxPayoutWidget',
});

/** The props `<LiqxPayoutWidget>` accepts. */
export type LiqxPayoutWidgetProps = React.ComponentProps<typeof LiqxPayoutWidget>;

export { LiqxPayoutWidgetElement };
