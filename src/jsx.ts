/**
 * Template typings for `<liqx-payout-widget>` outside Lit: JSX (React 19; Preact and Solid through the exported
 * interfaces), Svelte's `svelteHTML`, and the attribute /
 * property / event shapes every framework binding uses. Types only; import it as
 * `import type {} from 'liqx-payout-widget/jsx'` (React) or use the exported interfaces in your own
 * augmentation (Preact, Solid: see the README).
 */
import type { LiqxPayoutWidget } from './payout-widget.js';
import type { LiqxEventMap } from './events.js';
import type { WidgetSession } from './session.js';
import type { Locale, Theme } from './protocol.js';

/** The element's HTML attributes. */
export interface LiqxPayoutWidgetAttributes {
  'widget-url'?: string;
  'session-token'?: string;
  'session-id'?: string;
  'intent-id'?: string;
  'expires-at'?: string;
  locale?: Locale;
  theme?: Theme;
  display?: 'inline' | 'overlay';
  'handshake-timeout'?: number | string;
}

/** The properties a framework sets on the element (objects and functions cannot be attributes). */
export interface LiqxPayoutWidgetProperties {
  session?: WidgetSession | null;
  fetchSession?: (() => Promise<WidgetSession>) | null;
  locale?: Locale;
  theme?: Theme;
  display?: 'inline' | 'overlay';
  handshakeTimeout?: number;
}

/** `on<event-name>` listener props, as React 19 and Preact attach them to custom elements (`onliqx-ready`). */
export type LiqxPayoutWidgetEventProps = {
  [K in keyof LiqxEventMap as `on${K}`]?: (event: LiqxEventMap[K]) => void;
};

/** `on:<event-name>` listener props, as Solid and Svelte attach them (`on:liqx-ready`). */
export type LiqxPayoutWidgetSolidEventProps = {
  [K in keyof LiqxEventMap as `on:${K}`]?: (event: LiqxEventMap[K]) => void;
};

/** Everything JSX may pass to `<liqx-payout-widget>` (plus the framework's own `ref`, `key`, `class`, ...). */
export type LiqxPayoutWidgetJsxProps = LiqxPayoutWidgetAttributes & LiqxPayoutWidgetProperties & LiqxPayoutWidgetEventProps;

declare global {
  /** Svelte's template typings (svelte-check): `<liqx-payout-widget {session} on:liqx-payout-completed={...}>`. */
  namespace svelteHTML {
    interface IntrinsicElements {
      'liqx-payout-widget': LiqxPayoutWidgetAttributes & LiqxPayoutWidgetProperties & LiqxPayoutWidgetSolidEventProps & { class?: string; id?: string };
    }
  }
}

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      /** `<liqx-payout-widget>`; prefer `liqx-payout-widget/react`, whose props are camelCase (`onPayoutCompleted`). */
      'liqx-payout-widget': LiqxPayoutWidgetJsxProps & {
        ref?: import('react').Ref<LiqxPayoutWidget>;
        key?: import('react').Key;
        class?: string;
        className?: string;
        id?: string;
        style?: import('react').CSSProperties;
        hidden?: boolean;
        children?: import('react').ReactNode;
      };
    }
  }
}
