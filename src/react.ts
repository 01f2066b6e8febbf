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
import { EVENTS, type LiqxEvent, type LiqxEventName } from './element/events.js';
import type { LiqxPayoutWidgetJsxProps } from './jsx.js';

type Row<K extends LiqxEventName> = (typeof EVENTS)[K];
/** React prop name (the element's callback name) -> DOM event name, typed so the handler gets the typed event. */
type ReactEvents = { [K in LiqxEventName as Row<K>['callback']]: EventName<LiqxEvent<K>> };

/** Derived from the event table: `onPayoutCompleted` -> `liqx-payout-completed`, and so on for every event. */
export const REACT_EVENTS = Object.fromEntries(Object.entries(EVENTS).map(([name, row]) => [row.callback, name])) as ReactEvents;

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

// React 19 without the wrapper sets properties on custom elements and listens to `onliqx-*` props: this types the
// bare tag in JSX (`import type {} from 'liqx-payout-widget/react'`). It lives here, not in `/jsx`, so only apps that
// have React's types load it.
declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      /** `<liqx-payout-widget>`; prefer the `LiqxPayoutWidget` component, whose props are camelCase (`onPayoutCompleted`). */
      'liqx-payout-widget': LiqxPayoutWidgetJsxProps & {
        ref?: React.Ref<LiqxPayoutWidgetElement>;
        key?: React.Key;
        class?: string;
        className?: string;
        id?: string;
        style?: React.CSSProperties;
        hidden?: boolean;
        children?: React.ReactNode;
      };
    }
  }
}
