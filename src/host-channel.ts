/**
 * The host end of the penpal channel to one widget iframe. Trusts exactly one origin and one channel id;
 * penpal itself drops messages from any other window (event.source), origin or channel.
 */
import { connect, type Connection, type RemoteProxy } from 'penpal';
import { exactOriginMessenger } from './exact-origin-messenger.js';
import type { FrameMethods, HostMethods } from './protocol.js';

export interface HostChannelOptions {
  /** The widget iframe's window (its `contentWindow` once the iframe is in the document). */
  frameWindow: Window;
  /** Exactly the widget_url origin. Never '*'. */
  origin: string;
  /** Per-element id so two widgets on one page never cross. */
  channel: string;
  methods: HostMethods;
}

export class HostChannel {
  readonly #connection: Connection<FrameMethods>;
  #destroyed = false;

  constructor({ frameWindow, origin, channel, methods }: HostChannelOptions) {
    if (origin === '*' || origin === 'null') throw new Error(`Refusing to trust origin ${origin}`);
    // The frame starts the handshake; the host answers, never posting into the iframe before it has loaded.
    const messenger = exactOriginMessenger(frameWindow, [origin], false);
    // No penpal timeout: the element runs its own handshake timer, which also covers `hello`.
    this.#connection = connect<FrameMethods>({ messenger, methods: { ...methods }, channel });
    // A destroyed connection never settles; a failed one must not surface as an unhandled rejection.
    this.#connection.promise.catch(() => {});
  }

  /** Resolves with the frame's methods once the transport handshake is done. */
  get remote(): Promise<RemoteProxy<FrameMethods>> {
    return this.#connection.promise;
  }

  get destroyed(): boolean {
    return this.#destroyed;
  }

  /** Removes every listener and port this channel added. Idempotent. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#connection.destroy();
  }
}

/** A channel id unique per element instance and per load (crypto-random, not guessable by other frames). */
export function newChannelId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return 'liqx-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
