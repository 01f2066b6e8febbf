/**
 * Exactly one terminal outcome per session. The gate admits each eventId once and, after the first
 * terminal outcome, only the non-outcome types a finished frame legitimately still sends.
 */
import { TERMINAL_EVENT_TYPES, type EventType } from './protocol.js';

/** After the outcome the frame may still resize (result screen) and ask to close ("Done"). */
const ALLOWED_AFTER_TERMINAL: ReadonlySet<EventType> = new Set<EventType>(['WIDGET_RESIZE', 'WIDGET_CLOSE']);
const TERMINAL: ReadonlySet<string> = new Set(TERMINAL_EVENT_TYPES);
/** Bounds memory against a frame that floods unique ids; older ids are forgotten first. */
const MAX_REMEMBERED = 10_000;

export type Admission = 'admit' | 'DUPLICATE_EVENT' | 'AFTER_TERMINAL';

export class OutcomeGate {
  #seen = new Set<string>();
  #terminal = false;

  get terminated(): boolean {
    return this.#terminal;
  }

  /** Decides whether an event is relayed, and records it when it is. */
  admit(type: EventType, eventId: string): Admission {
    if (this.#seen.has(eventId)) return 'DUPLICATE_EVENT';
    if (this.#terminal && !ALLOWED_AFTER_TERMINAL.has(type)) return 'AFTER_TERMINAL';
    this.#seen.add(eventId);
    if (this.#seen.size > MAX_REMEMBERED) this.#seen.delete(this.#seen.values().next().value as string);
    if (TERMINAL.has(type)) this.#terminal = true;
    return 'admit';
  }

  /** A terminal outcome raised by the host itself (handshake timeout, protocol mismatch). */
  terminate(): boolean {
    if (this.#terminal) return false;
    this.#terminal = true;
    return true;
  }
}
