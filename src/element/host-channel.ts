/**
 * The host end of the channel to one widget iframe. The frame's first message is its hello, posted to this page
 * with a MessagePort transferred beside it; every later call, both ways, travels on that port (port-channel.ts).
 *
 * A hello is heard only when all of these hold, and is otherwise ignored without a trace (as any page's stray
 * messages must be): the event's origin is exactly the session's widget origin, its source is this element's
 * iframe window, it names this element's channel id, and it carries a port. What the hello says (protocol,
 * session, the optional first event) is then parsed by the element, which answers on the port (reply 0):
 * the session token travels only in that answer. No message is ever posted to `'*'`, and the host never posts into
 * the iframe's window at all: it answers on the port the frame gave it.
 *
 * A reloaded frame says hello again with a new port; the channel then moves to it and closes the old one.
 */
import { portChannel, toWireError, type CallHandler, type PortChannel } from '../protocol/port-channel.js';

export interface HostChannelOptions {
  /** The widget iframe (its `contentWindow` is the only source heard). */
  iframe: HTMLIFrameElement;
  /** Exactly the widget_url origin. Never '*'. */
  origin: string;
  /** Per-element id so two widgets on one page never cross. */
  channel: string;
  /** Parses a hello and returns the answer; throws (a WireError-like object) to refuse it. */
  hello(raw: unknown): unknown;
  /** The frame's calls after its hello (`emit`). */
  handle: CallHandler;
}

export class HostChannel {
  readonly #options: HostChannelOptions;
  #port: PortChannel | null = null;
  #destroyed = false;

  constructor(options: HostChannelOptions) {
    if (options.origin === '*' || options.origin === 'null') throw new Error(`Refusing to trust origin ${options.origin}`);
    this.#options = options;
    // Listening starts before the iframe is in the document, so the frame's first message always finds it.
    window.addEventListener('message', this.#onMessage);
  }

  /** True once a hello was accepted on the current port. */
  get connected(): boolean {
    return !!this.#port;
  }

  get destroyed(): boolean {
    return this.#destroyed;
  }

  /** Calls a frame method on the current port; rejects when no frame is connected. */
  call(method: string, arg?: unknown): Promise<unknown> {
    return this.#port ? this.#port.call(method, arg) : Promise.reject(new Error('NOT_CONNECTED'));
  }

  #onMessage = (event: MessageEvent): void => {
    const { origin, channel, iframe } = this.#options;
    const data = event.data as { channel?: unknown; hello?: unknown } | null;
    const port = event.ports[0];
    if (event.origin !== origin || !event.source || event.source !== iframe.contentWindow || !port) return;
    if (typeof data !== 'object' || data === null || data.channel !== channel) return;
    // The port is the channel while the hello is judged: a partner callback run by the ready it may carry can
    // already call the frame. Refused, the previous port (if any) stays the channel.
    const previous = this.#port;
    const next = (this.#port = portChannel(port, this.#options.handle));
    let result: unknown;
    try {
      result = this.#options.hello(data.hello);
    } catch (error) {
      port.postMessage({ reply: 0, error: toWireError(error) });
      next.close();
      if (this.#port === next) this.#port = previous;
      return;
    }
    previous?.close();
    if (!this.#destroyed) port.postMessage({ reply: 0, result });
  };

  /** Removes the listener and closes the port. Idempotent. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    window.removeEventListener('message', this.#onMessage);
    this.#port?.close();
    this.#port = null;
  }
}

/** A channel id unique per element instance and per load (crypto-random, not guessable by other frames). */
export function newChannelId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return 'liqx-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
