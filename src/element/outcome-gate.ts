/**
 * Exactly one terminal outcome per session. The gate admits each eventId once and, after the first
 * terminal outcome, only signals (a finished frame still resizes its result screen and asks to close on "Done").
 * Which type is which is its row's `kind` in the event table (src/protocol/events.ts), defined nowhere else.
 */
import { kindOf } from '../protocol/events.js';
import type { EventType } from '../protocol/events.js';
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
    const kind = kindOf(type);
    if (this.#terminal && kind !== 'signal') return 'AFTER_TERMINAL';
    this.#seen.add(eventId);
    if (this.#seen.size > MAX_REMEMBERED) this.#seen.delete(this.#seen.values().next().value as string);
    if (kind === 'outcome') this.#terminal = true;
    return 'admit';
  }

  /** A terminal outcome raised by the host itself (handshake timeout, protocol mismatch). */
  terminate(): boolean {
    if (this.#terminal) return false;
    this.#terminal = true;
    return true;
  }
}
