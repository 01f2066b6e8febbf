/**
 * A typed client for the LIQX partner API: plain fetch with the partner API key, a timeout on every call, an
 * idempotency key on intent creation, and every answer parsed with the package's contract (./liqx-contract.ts).
 * It never throws for LIQX's behaviour: each call resolves to a typed success or a typed refusal.
 */
import * as z from 'zod';
import { BodyTooLargeError, decodeUtf8, readCappedBody } from './http.js';
import { IDEMPOTENCY_HEADER, Intent, LiqxError, WidgetSession, type CreateIntentRequest } from './liqx-contract.js';
import { LiqxDeliveryAttempt, LiqxEventPage } from './liqx-contract.js';
import { HostedLink } from './liqx-contract.js';

/** A refusal: LIQX's own code (from its error body) or one of UPSTREAM_UNAVAILABLE, UPSTREAM_TIMEOUT,
 * UPSTREAM_INVALID_RESPONSE, UPSTREAM_ERROR. `status` is LIQX's (502/504 when there was no usable answer). */
export interface LiqxRefusal {
  ok: false;
  status: number;
  code: string;
  message: string;
  issues?: { path: string; message: string }[];
  /** Set when LIQX created an intent even though it refused (reservation preflight failures). */
  intentId?: string;
  /** The answer's body as received (parsed JSON, or text), or null when there was none. */
  raw: unknown;
}
export type LiqxResult<T> = { ok: true; status: number; data: T; raw: unknown } | LiqxRefusal;

export interface LiqxClientOptions {
  /** `https://api.liqx.example` (no trailing slash), or a function read on each call. */
  baseUrl: string | (() => string);
  /** The partner API key (sent as a Bearer token). */
  apiKey: string;
  /** Per call, ms; default 10000. */
  timeoutMs?: number;
  /** For tests and custom agents; default globalThis.fetch. */
  fetch?: typeof fetch;
  /** Cap on an answer's body, bytes; default {@link DEFAULT_MAX_LIQX_RESPONSE_BYTES}. A larger one is refused unread. */
  maxResponseBytes?: number;
}

/** Default cap on a LIQX answer: 1 MiB (an intent or a session is under 2 KiB). */
export const DEFAULT_MAX_LIQX_RESPONSE_BYTES = 1024 * 1024;

export interface LiqxClient {
  /** `idempotencyKey` defaults to one derived from `external_ref`, so a retried request cannot create a second intent. */
  createIntent(request: CreateIntentRequest, options?: { idempotencyKey?: string }): Promise<LiqxResult<Intent>>;
  createWidgetSession(intentId: string): Promise<LiqxResult<WidgetSession>>;
  /** The intent as LIQX holds it now (`GET /v1/payout-intents/:id`), whatever webhooks did or did not arrive. */
  getIntent(intentId: string): Promise<LiqxResult<Intent>>;
  /**
   * One page of the webhook events LIQX sent, oldest first (`GET /v1/events`): created at or after `since`, after
   * `cursor` (a previous page's `next_cursor`), at most `limit` (1..100, default 50). `reconcile` reads every page.
   */
  listEvents(query?: { since?: string | Date; cursor?: string; limit?: number }): Promise<LiqxResult<LiqxEventPage>>;
  /** Has LIQX send one event to the webhook endpoint again, now (`POST /v1/events/:id/redeliver`); resolves with that attempt. */
  redeliver(eventId: string): Promise<LiqxResult<LiqxDeliveryAttempt>>;
  /**
   * A hosted link for a reserved intent (`POST /v1/payout-intents/:id/hosted-links`): open `url` top-level (a new tab,
   * a WebView); it carries a single-use code, never the session token. Opens a new widget session (older ones end).
   */
  createHostedLink(intentId: string): Promise<LiqxResult<HostedLink>>;
}

export function createLiqxClient(options: LiqxClientOptions): LiqxClient {
  const base = typeof options.baseUrl === 'function' ? options.baseUrl : () => options.baseUrl as string;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? globalThis.fetch;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_LIQX_RESPONSE_BYTES;

  async function call<S extends z.core.$ZodType>(path: string, body: unknown, schema: S, headers: Record<string, string> = {}): Promise<LiqxResult<z.output<S>>> {
    let res: Response;
    let text: string;
    try {
      res = await doFetch(`${base()}${path}`, {
        // No body: a read (GET).
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json', accept: 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      try {
        text = decodeUtf8(await readCappedBody(res, maxResponseBytes));
      } catch (error) {
        if (!(error instanceof BodyTooLargeError)) throw error;
        // Stop the transfer: the rest of the body is never read.
        await res.body?.cancel().catch(() => undefined);
        return { ok: false, status: 502, code: 'UPSTREAM_INVALID_RESPONSE', message: `LIQX answered with a body over ${maxResponseBytes} bytes.`, raw: null };
      }
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      return {
        ok: false,
        status: timedOut ? 504 : 502,
        code: timedOut ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_UNAVAILABLE',
        message: timedOut ? `LIQX did not answer within ${timeoutMs} ms.` : `LIQX could not be reached: ${(error as Error).message}`,
        raw: null,
      };
    }
    let raw: unknown = text;
    try {
      raw = JSON.parse(text);
    } catch {
      // Not JSON: keep the text as received.
    }
    if (!res.ok) {
      const err = LiqxError.safeParse(raw);
      if (!err.success) return { ok: false, status: res.status, code: 'UPSTREAM_ERROR', message: `LIQX answered HTTP ${res.status}.`, raw };
      return {
        ok: false,
        status: res.status,
        code: err.data.error.code,
        message: err.data.error.message,
        ...(err.data.error.issues ? { issues: err.data.error.issues } : {}),
        ...(err.data.intent_id ? { intentId: err.data.intent_id } : {}),
        raw,
      };
    }
    // z.safeParse takes either zod flavour: the widget session is the element's zod/mini schema.
    const parsed = z.safeParse(schema, raw);
    if (!parsed.success) return { ok: false, status: 502, code: 'UPSTREAM_INVALID_RESPONSE', message: 'LIQX answered with a body that does not match its contract.', raw };
    return { ok: true, status: res.status, data: parsed.data, raw };
  }

  return {
    createIntent: (request, opts = {}) =>
      call('/v1/payout-intents', request, Intent, { [IDEMPOTENCY_HEADER]: opts.idempotencyKey ?? `intent:${request.external_ref}` }),
    createWidgetSession: (intentId) => call(`/v1/payout-intents/${encodeURIComponent(intentId)}/widget-sessions`, {}, WidgetSession),
    getIntent: (intentId) => call(`/v1/payout-intents/${encodeURIComponent(intentId)}`, undefined, Intent),
    listEvents: (query = {}) => {
      const params = new URLSearchParams();
      if (query.since !== undefined) params.set('since', query.since instanceof Date ? query.since.toISOString() : query.since);
      if (query.cursor !== undefined) params.set('cursor', query.cursor);
      if (query.limit !== undefined) params.set('limit', String(query.limit));
      const search = params.toString() ? `?${params}` : '';
      return call(`/v1/events${search}`, undefined, LiqxEventPage);
    },
    redeliver: (eventId) => call(`/v1/events/${encodeURIComponent(eventId)}/redeliver`, {}, LiqxDeliveryAttempt),
    createHostedLink: (intentId) => call(`/v1/payout-intents/${encodeURIComponent(intentId)}/hosted-links`, {}, HostedLink),
  };
}
