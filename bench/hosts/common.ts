/**
 * The host side of one contender of the peer bench (bench/peers.ts): its script (the library, plus this glue)
 * registers `benchHost`, whose `mount(frameUrl, onEvent)` embeds the minimal frame (bench/frames/) the way the
 * library does and resolves `ready` when the library reports the frame ready on the host.
 */
export interface Mounted {
  ready: Promise<void>;
  /** The contender's iframes (the host page posts `{ bench: 'emitOne' }` to them for the relay rows). */
  frames(): HTMLIFrameElement[];
  dispose(): void;
}
export interface MountOptions {
  /** penpal only: the iframe as the widget makes it (sandbox, allow, referrerpolicy, a fragment), to compare. */
  widgetAttributes?: boolean;
  /** penpal only: one of the widget's iframe traits alone (`sandbox`, `allow`, `referrerpolicy`, `fragment`). */
  only?: 'sandbox' | 'allow' | 'referrerpolicy' | 'fragment';
}
export interface BenchHost {
  mount(frameUrl: string, onEvent: () => void, options?: MountOptions): Mounted;
}

export function register(host: BenchHost): void {
  (globalThis as unknown as { benchHost: BenchHost }).benchHost = host;
}

export function deferred(): { promise: Promise<void>; resolve(): void; reject(error: unknown): void } {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((ok, fail) => ((resolve = ok), (reject = fail)));
  return { promise, resolve, reject };
}

/** The widget's iframe attributes (src/element/session-controller.ts #open), for the penpal variant that isolates their cost. */
export function widgetLikeIframe(iframe: HTMLIFrameElement): void {
  iframe.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox');
  iframe.allow = 'clipboard-write';
  iframe.referrerPolicy = 'strict-origin';
  iframe.title = 'LIQX payout';
}
