/**
 * Vue 3 typings for `<liqx-payout-widget>` in templates (`vue-tsc`, Volar): props, and `@liqx-*` events typed
 * with their DOM event classes. Types only: `import type {} from 'liqx-payout-widget/vue'`.
 * Tell Vue's compiler it is a custom element: `compilerOptions.isCustomElement = (tag) => tag.startsWith('liqx-')`.
 */
import type { DefineComponent } from 'vue';
import type { LiqxEventMap } from './events.js';
import type { LiqxPayoutWidgetAttributes, LiqxPayoutWidgetProperties } from './jsx.js';

type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;

/** `@liqx-payout-completed` is `onLiqxPayoutCompleted` to Vue's type checker. */
export type LiqxPayoutWidgetVueEvents = {
  [K in keyof LiqxEventMap as `on${Capitalize<Camel<K>>}`]?: (event: LiqxEventMap[K]) => void;
};

/** Props of `<liqx-payout-widget>` in a Vue template (`:session`, `display`, `@liqx-ready`, ...). */
export type LiqxPayoutWidgetVueProps = LiqxPayoutWidgetAttributes & LiqxPayoutWidgetProperties & LiqxPayoutWidgetVueEvents;

declare module 'vue' {
  interface GlobalComponents {
    'liqx-payout-widget': DefineComponent<LiqxPayoutWidgetVueProps>;
  }
}
