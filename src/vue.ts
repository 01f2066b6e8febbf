/**
 * Vue 3 typings for `<liqx-payout-widget>` in templates (`vue-tsc`, Volar): props, and `@liqx-*` events typed
 * with their DOM event classes (`import type {} from 'liqx-payout-widget/vue'`), and `protectSession`, which keeps
 * the session token out of what Vue's dev warnings print.
 * Tell Vue's compiler it is a custom element: in a Vite app, `vue({ template: { compilerOptions: { isCustomElement:
 * (tag) => tag.startsWith('liqx-') } } })` (with the runtime compiler, `app.config.compilerOptions.isCustomElement`).
 * Without it Vue warns "Failed to resolve component", and a Vue warning's component trace prints the props of the
 * components around the tag: a parent that receives the session as a prop would put its token in the console,
 * unless the session was passed through `protectSession` first.
 * Nothing here needs React: these typings load only `vue` and this package's own types; the code imports nothing.
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

type Session = NonNullable<LiqxPayoutWidgetProperties['session']>;

/** Type-only mark: a prop typed `ProtectedWidgetSession` accepts only what `protectSession` returned. */
declare const PROTECTED: unique symbol;

/** A widget session whose token is in no enumerable field, JSON or inspection (see `protectSession`). */
export type ProtectedWidgetSession = Readonly<Session> & { readonly [PROTECTED]: true };

/** What JSON, Node's `util.inspect` and the console's preview show in place of the token. */
export const REDACTED_TOKEN = '[redacted]';

/**
 * The session to keep in Vue state and pass as a prop: the same fields, with `session_token` readable only by
 * asking for it (a non-enumerable getter, which the element does). Vue's dev warnings print the props of every
 * component in their trace, and a console shows an object's enumerable fields, its JSON or its inspection: none
 * of them holds the token. Frozen, so Vue's `ref`/`reactive` keep it as it is instead of wrapping it in a proxy.
 *
 * ```ts
 * session.value = protectSession(body.widget_session);
 * ```
 */
export function protectSession(session: Session): ProtectedWidgetSession {
  // Partners call this with JSON from their own backend: name what is wrong instead of hiding a bad token.
  if (typeof session !== 'object' || session === null || typeof session.session_token !== 'string') {
    throw new TypeError('protectSession: expected the widget session object (with a session_token string) your backend returned');
  }
  const { session_token: token, ...shown } = session;
  const redacted = Object.freeze({ ...shown, session_token: REDACTED_TOKEN });
  const hidden = { ...shown };
  Object.defineProperties(hidden, {
    session_token: { get: () => token, enumerable: false },
    toJSON: { value: () => redacted, enumerable: false },
    [Symbol.for('nodejs.util.inspect.custom')]: { value: () => redacted, enumerable: false },
  });
  return Object.freeze(hidden) as ProtectedWidgetSession;
}
