/**
 * The mock LIQX's Idempotency-Key store for intent creation, as the contract documents it: the same key with the
 * same request answers the first answer again (status and body, whatever happened since); the same key with
 * another request is refused (422 IDEMPOTENCY_KEY_REUSED). Keys are kept for 24 hours, in memory.
 */

/** The request as compared: its JSON with object keys sorted, so key order does not make another request. */
export function fingerprint(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

export interface FirstAnswer {
  status: number;
  body: unknown;
}

export type Lookup = { kind: 'new' } | { kind: 'replay'; answer: FirstAnswer } | { kind: 'conflict' };

export class IdempotencyKeys {
  readonly #entries = new Map<string, { fingerprint: string; answer: FirstAnswer; at: number }>();
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: { ttlMs?: number; now?: () => number } = {}) {
    this.#ttlMs = options.ttlMs ?? 24 * 3_600_000;
    this.#now = options.now ?? Date.now;
  }

  lookup(key: string, print: string): Lookup {
    this.#prune();
    const entry = this.#entries.get(key);
    if (!entry) return { kind: 'new' };
    return entry.fingerprint === print ? { kind: 'replay', answer: entry.answer } : { kind: 'conflict' };
  }

  /** Call in the same turn as the `new` lookup (no await between): a concurrent retry then sees this answer. */
  remember(key: string, print: string, answer: FirstAnswer): void {
    this.#entries.set(key, { fingerprint: print, answer, at: this.#now() });
  }

  // Entries are in insertion order, so the expired ones are at the front.
  #prune(): void {
    const cutoff = this.#now() - this.#ttlMs;
    for (const [key, entry] of this.#entries) {
      if (entry.at > cutoff) break;
      this.#entries.delete(key);
    }
  }
}
