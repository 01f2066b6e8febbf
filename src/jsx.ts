/**
 * Template typings for `<liqx-payout-widget>` outside Lit: the attribute / property / event shapes every framework
 * binding uses (Preact and Solid through these interfaces in your own augmentation) and Svelte's `svelteHTML`.
 * Types only, and they need nothing a partner did not install: no framework's types are referenced here (`/vue`
 * loads this file in apps without React). React's JSX typing of the tag comes with `liqx-payout-widget/react`.
 */
import type { LiqxEventMap } from './element/events.js';
import type { WidgetSession } from './protocol/session.js';
import type { Locale, Theme } from './protocol/schemas.js';
import type { Appearance } from './protocol/wire.js';

/** The element's HTML attributes. */
export interface LiqxPayoutWidgetAttributes {
  'widget-url'?: string;
  'session-token'?: string;
  'session-id'?: string;
  'intent-id'?: string;
  'expires-at'?: string;
  locale?: Locale;
  theme?: Theme | 'auto';
  display?: 'inline' | 'overlay';
  'handshake-timeout'?: number | string;
}

/** The properties a framework sets on the element (objects and functions cannot be attributes). */
export interface LiqxPayoutWidgetProperties {
  session?: WidgetSession | null;
  fetchSession?: (() => Promise<WidgetSession>) | null;
  appearance?: Appearance | null;
  locale?: Locale;
  theme?: Theme | 'auto';
  display?: 'inline' | 'overlay';
  handshakeTimeout?: number;
}

/** `on<event-name>` listener props, as React 19, Preact and Svelte 5 attach them to custom elements (`onliqx-ready`). */
export type LiqxPayoutWidgetEventProps = {
  [K in keyof LiqxEventMap as `on${K}`]?: (event: LiqxEventMap[K]) => void;
};

/** `on:<event-name>` listener props, as Solid and Svelte 4 attach them (`on:liqx-ready`). */
export type LiqxPayoutWidgetSolidEventProps = {
  [K in keyof LiqxEventMap as `on:${K}`]?: (event: LiqxEventMap[K]) => void;
};

/** Everything JSX may pass to `<liqx-payout-widget>` (plus the framework's own `ref`, `key`, `class`, ...). */
export type LiqxPayoutWidgetJsxProps = LiqxPayoutWidgetAttributes & LiqxPayoutWidgetProperties & LiqxPayoutWidgetEventProps;

declare global {
  /**
   * Svelte's template typings (svelte-check): `<liqx-payout-widget {session} onliqx-payout-completed={...}>` (Svelte 5's
   * event attributes; `on:liqx-payout-completed` in Svelte 4 components). A value of the wrong type, such as
   * `locale="xx"` or a handler that does not take the event, is a type error.
   */
  namespace svelteHTML {
    interface IntrinsicElements {
      'liqx-payout-widget': LiqxPayoutWidgetAttributes & LiqxPayoutWidgetProperties & LiqxPayoutWidgetEventProps & LiqxPayoutWidgetSolidEventProps & { class?: string; id?: string };
    }
  }
}
