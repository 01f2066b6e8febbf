/**
 * Leak counters measured by the page itself, so they work on every engine (no DevTools protocol):
 * - iframes: iframe elements in the document and every open shadow root, and `window.frames.length` (which per
 *   HTML counts the document tree's frames only: WebKit leaves out shadow trees' iframes, Chromium counts them);
 * - listeners: EventTarget.prototype.add/removeEventListener are wrapped while a probe is installed, and the
 *   probe counts the registrations still in place on what outlives a widget: window, document, nodes still in the
 *   document, and MessagePorts (`once` and `signal` removals included; a duplicate add is a no-op, as in the DOM);
 * - nodes: every node in the document, shadow roots included.
 * What it cannot see is memory: a detached element kept alive by a closure. That stays with the Chromium-only
 * DevTools counters (forced GC, JS heap, DOM node counter) in leaks.test.ts.
 */

export interface PageCounts {
  childFrames: number;
  iframes: number;
  nodes: number;
  listeners: { window: number; document: number; connectedNodes: number; ports: number; windowMessage: number };
}

type Registered = Map<EventListenerOrEventListenerObject, EventListenerOrEventListenerObject>;

/** Every node of `root` and of the open shadow roots inside it. */
function walk(root: Node, visit: (node: Node) => void): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ALL);
  for (let node: Node | null = walker.currentNode; node; node = walker.nextNode()) {
    visit(node);
    const shadow = (node as Element).shadowRoot;
    if (shadow) walk(shadow, visit);
  }
}

export class ListenerProbe {
  readonly #add = EventTarget.prototype.addEventListener;
  readonly #remove = EventTarget.prototype.removeEventListener;
  readonly #registry = new WeakMap<EventTarget, Map<string, Registered>>();
  readonly #targets = new Set<WeakRef<EventTarget>>();
  #installed = false;

  install(): this {
    if (this.#installed) return this;
    this.#installed = true;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const probe = this;
    const add = this.#add;
    const remove = this.#remove;
    EventTarget.prototype.addEventListener = function (this: EventTarget, type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions) {
      if (!listener) return add.call(this, type, listener, options);
      const opts = typeof options === 'object' ? options : undefined;
      if (opts?.signal?.aborted) return;
      const byListener = probe.#entry(this, type, options);
      if (byListener.has(listener)) return;
      const forget = () => byListener.delete(listener);
      let registered: EventListenerOrEventListenerObject = listener;
      if (opts?.once) {
        registered = function (this: unknown, event: Event) {
          forget();
          return typeof listener === 'function' ? listener.call(this, event) : listener.handleEvent(event);
        };
      }
      byListener.set(listener, registered);
      add.call(this, type, registered, options);
      if (opts?.signal) add.call(opts.signal, 'abort', forget, { once: true });
    };
    EventTarget.prototype.removeEventListener = function (this: EventTarget, type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions) {
      const byListener = listener ? probe.#registry.get(this)?.get(probe.#key(type, options)) : undefined;
      const registered = listener ? byListener?.get(listener) : undefined;
      if (listener && registered) byListener!.delete(listener);
      return remove.call(this, type, registered ?? listener, options);
    };
    return this;
  }

  uninstall(): void {
    if (!this.#installed) return;
    EventTarget.prototype.addEventListener = this.#add;
    EventTarget.prototype.removeEventListener = this.#remove;
    this.#installed = false;
  }

  #key(type: string, options?: boolean | EventListenerOptions): string {
    return `${type}|${typeof options === 'boolean' ? options : !!options?.capture}`;
  }

  #entry(target: EventTarget, type: string, options?: boolean | EventListenerOptions): Registered {
    let byKey = this.#registry.get(target);
    if (!byKey) {
      byKey = new Map();
      this.#registry.set(target, byKey);
      this.#targets.add(new WeakRef(target));
    }
    const key = this.#key(type, options);
    let byListener = byKey.get(key);
    if (!byListener) byKey.set(key, (byListener = new Map()));
    return byListener;
  }

  /** Registrations (made while installed) still in place, by what they are on. */
  listeners(): PageCounts['listeners'] {
    const counts = { window: 0, document: 0, connectedNodes: 0, ports: 0, windowMessage: 0 };
    for (const ref of this.#targets) {
      const target = ref.deref();
      if (!target) {
        this.#targets.delete(ref);
        continue;
      }
      let n = 0;
      for (const [key, byListener] of this.#registry.get(target) ?? []) {
        n += byListener.size;
        if (target === window && key.startsWith('message|')) counts.windowMessage += byListener.size;
      }
      if (target === window) counts.window += n;
      else if (target === document) counts.document += n;
      else if (target instanceof MessagePort) counts.ports += n;
      else if (target instanceof Node && target.isConnected) counts.connectedNodes += n;
    }
    return counts;
  }

  counts(): PageCounts {
    let nodes = 0;
    let iframes = 0;
    walk(document, (node) => {
      nodes++;
      if (node instanceof HTMLIFrameElement) iframes++;
    });
    return { childFrames: window.frames.length, iframes, nodes, listeners: this.listeners() };
  }
}
