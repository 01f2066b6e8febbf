/**
 * Vue 3 typings for `<liqx-payout-widget>` in templates (`vue-tsc`, Volar): props, and `@liqx-*` events typed
 * with their DOM event classes. Types only: `import type {} from 'liqx-payout-widget/vue'`.
 * Tell Vue's compiler it is a custom element: in a Vite app, `vue({ template: { compilerOptions: { isCustomElement:
 * (tag) => tag.startsWith('liqx-') } } })` (with the runtime compiler, `app.config.compilerOptions.isCustomElement`).
 * Without it Vue warns "Failed to resolve component", and a Vue warning's component trace prints the props of the
 * components around the tag: a parent that receives the session as a prop would put its token in the console.
 * Nothing here needs React: these typings load only `vue` and this package's own types.
 */
import type { DefineComponent } from 'vue';
import type { LiqxEventMap } from './element/events.js';
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
