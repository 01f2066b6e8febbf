/**
 * Mock LIQX webhook dispatcher: one signed POST per outcome to the partner endpoint, retried until a
 * 2xx answer.
 *
 * Standard Webhooks: headers webhook-id (constant across retries, the partner's idempotency key),
 * webhook-timestamp (fresh per attempt) and webhook-signature (`new Webhook(secret).sign(id, date, body)`,
 * re-signed per attempt). A non-2xx answer or a network error is retried after retryBaseMs * 2^(n-1),
 * up to maxAttempts; `data.attempt` in the body says which attempt it is. Every attempt is logged
 * (`deliveries`), which the mock exposes as GET /v1/webhook-deliveries.
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { WebhookEvent } from '../../contract/liqx.js';

export interface DispatcherOptions {
  /** Partner endpoint; a function because the partner's port may be known only after both servers listen. */
  url: () => string;
  /** `whsec_<base64>` shared with the partner; during a rotation [current, previous]: one v1 signature per secret. */
  secret: string | readonly string[];
  retryBaseMs: number;
  maxAttempts: number;
  /** Per-attempt request timeout. */
  timeoutMs?: number;
}

export interface DeliveryAttempt {
  webhook_id: string;
  event_type: WebhookEvent['type'];
  intent_id: string;
  attempt: number;
  started_at: string;
  /** HTTP status, or null on a network error / timeout. */
  http_status: number | null;
  error: string | null;
  ok: boolean;
  /** Backoff before the next attempt; null when this was the last one. */
  next_delay_ms: number | null;
}

const MAX_LOGGED = 2000;

type EventSpec = { type: WebhookEvent['type']; data: Omit<WebhookEvent['data'], 'attempt'> };

export class WebhookDispatcher {
  readonly deliveries: DeliveryAttempt[] = [];
  readonly #opts: Required<DispatcherOptions>;
  readonly #webhooks: Webhook[];
  readonly #pending = new Set<Promise<void>>();
  readonly #abort = new AbortController();

  constructor(opts: DispatcherOptions) {
    this.#opts = { timeoutMs: 5000, ...opts };
    this.#webhooks = (typeof opts.secret === 'string' ? [opts.secret] : opts.secret).map((s) => new Webhook(s));
  }

  /** Queues one event for delivery and returns its webhook id at once. */
  dispatch(event: EventSpec): string {
    const webhookId = `msg_${randomBytes(12).toString('hex')}`;
    const timestamp = new Date().toISOString();
    // The package's contract decides what LIQX sends: a mock that drifts from it throws here, in the caller's
    // request, instead of sending something a real partner would never receive.
    WebhookEvent.parse({ type: event.type, timestamp, data: { ...event.data, attempt: 1 } });
    const run = this.#deliver(webhookId, timestamp, event).catch(() => {});
    this.#pending.add(run);
    void run.finally(() => this.#pending.delete(run));
    return webhookId;
  }

  /** Resolves when every queued delivery has succeeded or given up. */
  async idle(): Promise<void> {
    while (this.#pending.size) await Promise.all([...this.#pending]);
  }

  /** Stops retrying and aborts requests in flight. */
  close(): void {
    this.#abort.abort();
  }

  async #deliver(webhookId: string, timestamp: string, event: EventSpec): Promise<void> {
    const { maxAttempts, retryBaseMs, timeoutMs } = this.#opts;
    for (let attempt = 1; attempt <= maxAttempts && !this.#abort.signal.aborted; attempt++) {
      const body = JSON.stringify({ type: event.type, timestamp, data: { ...event.data, attempt } } satisfies WebhookEvent);
      const sentAt = new Date();
      const log: DeliveryAttempt = {
        webhook_id: webhookId,
        event_type: event.type,
        intent_id: event.data.intent_id,
        attempt,
        started_at: sentAt.toISOString(),
        http_status: null,
        error: null,
        ok: false,
        next_delay_ms: null,
      };
      this.deliveries.push(log);
      // A long-running demo keeps only the recent log.
      if (this.deliveries.length > MAX_LOGGED) this.deliveries.splice(0, this.deliveries.length - MAX_LOGGED);
      const url = this.#opts.url();
      if (!url) {
        // The sandbox without WEBHOOK_URL: the attempt is logged (GET /v1/webhook-deliveries), nothing is sent.
        log.error = 'No webhook URL is configured (WEBHOOK_URL).';
        return;
      }
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'webhook-id': webhookId,
            'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
            'webhook-signature': this.#webhooks.map((w) => w.sign(webhookId, sentAt, body)).join(' '),
          },
          body,
          signal: AbortSignal.any([this.#abort.signal, AbortSignal.timeout(timeoutMs)]),
        });
        await res.arrayBuffer().catch(() => {});
        log.http_status = res.status;
        log.ok = res.ok;
        if (res.ok) return;
      } catch (error) {
        log.error = String((error as Error)?.message ?? error);
      }
      if (attempt < maxAttempts) {
        log.next_delay_ms = retryBaseMs * 2 ** (attempt - 1);
        await this.#sleep(log.next_delay_ms);
      }
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.#abort.signal.aborted) return resolve();
      const timer = setTimeout(resolve, ms);
      this.#abort.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
}
