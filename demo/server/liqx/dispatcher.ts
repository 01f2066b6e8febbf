/**
 * Mock LIQX webhook dispatcher: one event per outcome, kept (for `GET /v1/events`), delivered as a signed POST to
 * the partner endpoint and retried on a schedule over hours until a 2xx answer.
 *
 * Standard Webhooks: headers webhook-id (the event id, constant across retries: the partner's idempotency key),
 * webhook-timestamp (fresh per attempt) and webhook-signature (`new Webhook(secret).sign(id, date, body)`,
 * re-signed per attempt); `data.attempt` in the body says which attempt it is.
 *
 * Retry schedule (after the first attempt, which is immediate): Standard Webhooks' 5 s, 5 min, 30 min, 2 h, 5 h,
 * 10 h, 10 h, written as multiples of the first retry, `retryBaseMs` (5000 gives exactly that schedule; a test
 * passes 10 and the whole schedule shrinks by the same factor). Each wait gets ±20 % jitter so endpoints coming
 * back after an outage are not hit by every sender in the same second. Past the schedule's end the last step
 * repeats, up to `maxAttempts` attempts in all (8: the schedule once).
 *   - 2xx: delivered, no more attempts.
 *   - 410 Gone: the endpoint asked not to receive this event again: no more scheduled attempts (a redelivery the
 *     partner asks for is still sent).
 *   - 429 / 503 with `Retry-After` (seconds or an HTTP date): the next wait is the longer of the scheduled one and
 *     the endpoint's (capped at 24 h). The endpoint's wait is real time, not scaled by `retryBaseMs`.
 *   - anything else, a network error or a timeout: the next scheduled wait.
 * Every attempt is logged (`deliveries`: time, endpoint, status, duration, error, the wait that followed), which
 * the mock serves as GET /v1/webhook-deliveries.
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { LiqxDeliveryAttempt, LiqxEvent, LiqxEventDeliveryState } from '../../../src/server/liqx-contract.js';
import { WebhookEvent } from '../../contract/liqx.js';

export interface DispatcherOptions {
  /** Partner endpoint; a function because the partner's port may be known only after both servers listen. */
  url: () => string;
  /** `whsec_<base64>` shared with the partner; during a rotation [current, previous]: one v1 signature per secret. */
  secret: string | readonly string[];
  /** The first retry's wait, ms; the rest of the schedule keeps Standard Webhooks' proportions to it. */
  retryBaseMs: number;
  /** Attempts per event, the first included. */
  maxAttempts: number;
  /** Per-attempt request timeout. */
  timeoutMs?: number;
  /** Jitter source, [0, 1); default Math.random. */
  random?: () => number;
}

/** One logged attempt: the package's contract (LiqxDeliveryAttempt). */
export type DeliveryAttempt = LiqxDeliveryAttempt;

/** Standard Webhooks' retry waits (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h) as multiples of the first. */
export const RETRY_SCHEDULE: readonly number[] = [1, 60, 360, 1440, 3600, 7200, 7200];
/** Each scheduled wait is its nominal value times a factor drawn from [1 - RETRY_JITTER, 1 + RETRY_JITTER). */
export const RETRY_JITTER = 0.2;
/** The longest `Retry-After` honoured. */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/** The nominal wait after attempt `attempt` (1-based), before jitter. */
export function nominalRetryDelayMs(attempt: number, retryBaseMs: number): number {
  return retryBaseMs * RETRY_SCHEDULE[Math.min(attempt, RETRY_SCHEDULE.length) - 1]!;
}

/** The range a scheduled wait after `attempt` falls in, jitter included: [min, max]. */
export function retryDelayRange(attempt: number, retryBaseMs: number): [number, number] {
  const nominal = nominalRetryDelayMs(attempt, retryBaseMs);
  return [Math.floor(nominal * (1 - RETRY_JITTER)), Math.ceil(nominal * (1 + RETRY_JITTER))];
}

/** `Retry-After` as ms from `now`: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
}

const MAX_LOGGED = 10_000;
const MAX_EVENTS = 10_000;

type EventSpec = { type: WebhookEvent['type']; data: Omit<WebhookEvent['data'], 'attempt'> };

interface EventRecord {
  seq: number;
  id: string;
  spec: EventSpec;
  createdAt: string;
  attempts: number;
  state: LiqxEventDeliveryState;
  lastAttemptAt: string | null;
  lastHttpStatus: number | null;
}

export class WebhookDispatcher {
  readonly deliveries: DeliveryAttempt[] = [];
  readonly #events: EventRecord[] = [];
  readonly #byId = new Map<string, EventRecord>();
  #seq = 0;
  readonly #opts: Required<DispatcherOptions>;
  readonly #webhooks: Webhook[];
  readonly #pending = new Set<Promise<unknown>>();
  readonly #abort = new AbortController();

  constructor(opts: DispatcherOptions) {
    this.#opts = { timeoutMs: 5000, random: Math.random, ...opts };
    this.#webhooks = (typeof opts.secret === 'string' ? [opts.secret] : opts.secret).map((s) => new Webhook(s));
  }

  /** Records one event, queues its delivery and returns its id (the webhook-id) at once. */
  dispatch(event: EventSpec): string {
    const id = `msg_${randomBytes(12).toString('hex')}`;
    const createdAt = new Date().toISOString();
    // The package's contract decides what LIQX sends: a mock that drifts from it throws here, in the caller's
    // request, instead of sending something a real partner would never receive.
    WebhookEvent.parse({ type: event.type, timestamp: createdAt, data: { ...event.data, attempt: 1 } });
    const record: EventRecord = { seq: ++this.#seq, id, spec: event, createdAt, attempts: 0, state: 'pending', lastAttemptAt: null, lastHttpStatus: null };
    this.#events.push(record);
    this.#byId.set(id, record);
    // A long-running sandbox keeps the recent events only.
    if (this.#events.length > MAX_EVENTS) for (const old of this.#events.splice(0, this.#events.length - MAX_EVENTS)) this.#byId.delete(old.id);
    this.#track(this.#deliver(record));
    return id;
  }

  /** Events created at or after `since` (ISO 8601) with a sequence number above `afterSeq`, oldest first. */
  listEvents(query: { since?: string; afterSeq?: number; limit: number }): { events: (LiqxEvent & { seq: number })[]; more: boolean } {
    const since = query.since ? Date.parse(query.since) : -Infinity;
    const after = query.afterSeq ?? 0;
    const matching = this.#events.filter((e) => e.seq > after && Date.parse(e.createdAt) >= since);
    return { events: matching.slice(0, query.limit).map((e) => ({ ...this.#view(e), seq: e.seq })), more: matching.length > query.limit };
  }

  getEvent(id: string): LiqxEvent | undefined {
    const record = this.#byId.get(id);
    return record && this.#view(record);
  }

  /**
   * Sends the event once more, now, outside the schedule, and resolves with that attempt's log row (undefined for
   * an unknown id). A 2xx marks the event delivered and ends its scheduled retries.
   */
  async redeliver(id: string): Promise<DeliveryAttempt | undefined> {
    const record = this.#byId.get(id);
    if (!record) return undefined;
    const run = this.#attempt(record, 'redeliver');
    this.#track(run);
    return (await run).log;
  }

  /** Resolves when every queued delivery has succeeded or given up. */
  async idle(): Promise<void> {
    while (this.#pending.size) await Promise.all([...this.#pending]);
  }

  /** Stops retrying and aborts requests in flight. */
  close(): void {
    this.#abort.abort();
  }

  #track(run: Promise<unknown>): void {
    const settled = run.catch(() => {});
    this.#pending.add(settled);
    void settled.finally(() => this.#pending.delete(settled));
  }

  #body(record: EventRecord, attempt: number): WebhookEvent {
    return { type: record.spec.type, timestamp: record.createdAt, data: { ...record.spec.data, attempt } };
  }

  #view(e: EventRecord): LiqxEvent {
    return {
      id: e.id,
      type: e.spec.type,
      created_at: e.createdAt,
      intent_id: e.spec.data.intent_id,
      payload: this.#body(e, Math.max(1, e.attempts)),
      delivery: { state: e.state, attempts: e.attempts, last_attempt_at: e.lastAttemptAt, last_http_status: e.lastHttpStatus },
    };
  }

  async #deliver(record: EventRecord): Promise<void> {
    const { maxAttempts, retryBaseMs, random } = this.#opts;
    for (let n = 1; n <= maxAttempts && !this.#abort.signal.aborted; n++) {
      // A redelivery the partner asked for may have got through while this loop waited.
      if (record.state === 'delivered') return;
      const { log, retryAfterMs, stop } = await this.#attempt(record, 'schedule');
      if (stop) {
        if (record.state === 'pending') record.state = log.ok ? 'delivered' : 'failed';
        return;
      }
      if (n === maxAttempts) break;
      const scheduled = Math.round(nominalRetryDelayMs(n, retryBaseMs) * (1 - RETRY_JITTER + 2 * RETRY_JITTER * random()));
      log.next_delay_ms = retryAfterMs === null ? scheduled : Math.max(scheduled, retryAfterMs);
      await this.#sleep(log.next_delay_ms);
    }
    if (record.state === 'pending') record.state = 'failed';
  }

  /** One attempt. `stop`: nothing more should be scheduled (delivered, 410, or no endpoint configured). */
  async #attempt(record: EventRecord, trigger: DeliveryAttempt['trigger']): Promise<{ log: DeliveryAttempt; retryAfterMs: number | null; stop: boolean }> {
    const attempt = ++record.attempts;
    const body = JSON.stringify(this.#body(record, attempt) satisfies WebhookEvent);
    const sentAt = new Date();
    const url = this.#opts.url() || null;
    const log: DeliveryAttempt = {
      webhook_id: record.id,
      event_type: record.spec.type,
      intent_id: record.spec.data.intent_id,
      endpoint: url,
      attempt,
      trigger,
      started_at: sentAt.toISOString(),
      duration_ms: 0,
      http_status: null,
      error: null,
      ok: false,
      retry_after_ms: null,
      next_delay_ms: null,
    };
    record.lastAttemptAt = log.started_at;
    this.deliveries.push(log);
    // A long-running sandbox keeps only the recent log.
    if (this.deliveries.length > MAX_LOGGED) this.deliveries.splice(0, this.deliveries.length - MAX_LOGGED);
    if (!url) {
      // The sandbox without WEBHOOK_URL: the attempt is logged, nothing is sent; the partner can list the events.
      log.error = 'No webhook URL is configured (WEBHOOK_URL).';
      return { log, retryAfterMs: null, stop: true };
    }
    const started = performance.now();
    let retryAfterMs: number | null = null;
    let stop = false;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': record.id,
          'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
          'webhook-signature': this.#webhooks.map((w) => w.sign(record.id, sentAt, body)).join(' '),
        },
        body,
        signal: AbortSignal.any([this.#abort.signal, AbortSignal.timeout(this.#opts.timeoutMs)]),
      });
      await res.arrayBuffer().catch(() => {});
      log.http_status = res.status;
      log.ok = res.ok;
      record.lastHttpStatus = res.status;
      if (res.ok) {
        record.state = 'delivered';
        stop = true;
      } else if (res.status === 410) {
        stop = true;
      } else if (res.status === 429 || res.status === 503) {
        retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), Date.now());
        log.retry_after_ms = retryAfterMs;
      }
    } catch (error) {
      log.error = String((error as Error)?.message ?? error);
      record.lastHttpStatus = null;
    }
    log.duration_ms = Math.round(performance.now() - started);
    return { log, retryAfterMs, stop };
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.#abort.signal.aborted) return resolve();
      const onAbort = () => (clearTimeout(timer), resolve());
      // Removed when the timer fires: a long-running sandbox would otherwise pile up one listener per retry.
      const timer = setTimeout(() => (this.#abort.signal.removeEventListener('abort', onAbort), resolve()), ms);
      this.#abort.signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
