/**
 * The diagnostics panel's quarantine routes: verified webhooks the kit could not read, kept by createWebhookHandler
 * (answered 202), listed and replayed through the store's own methods, as a partner's operator tooling would.
 *
 *   GET  /api/webhooks/quarantine?pending=true&limit=20&cursor=   -> 200 { rows, next_cursor }, newest first; each
 *        row is the kept delivery with its body as text (`body`, UTF-8, U+FFFD for a byte that is not) and its length
 *        in bytes (`body_bytes`)
 *   POST /api/webhooks/quarantine/replay   { provider, webhook_id, kit?: 'installed' | 'next' } -> 200 ReplayResult
 *        | 404 QUARANTINED_NOT_FOUND
 *   400 INVALID_REQUEST with the zod issue paths on a bad body or query.
 *
 * `kit: 'next'` is DEMO ONLY: the demo cannot upgrade its own kit between two clicks, so it models the next kit
 * version, one that reads the `transaction.canceled` event LIQX "added" (the demo's unknown-type sample), as a
 * `canceled` receipt. `installed` (the default) is what a partner runs: `store.replayQuarantined`, the parser of
 * the kit installed now. Both insert through the same idempotent path as a webhook.
 */
import type { Hono } from 'hono';
import * as z from 'zod';
import {
  BodyTooLargeError,
  InvalidCursorError,
  MAX_QUARANTINE_PAGE,
  errorResponse,
  readCappedBody,
  replayWith,
  zodIssues,
  type Normalize,
  type QuarantinedDelivery,
  type ReceiptStore,
} from '../../../src/server/internal.js';
import { WebhookProvider, normalizeChecked } from '../../../src/webhooks/internal.js';

/** The event type the demo's unknown-type sample carries: LIQX has "added" it, the installed kit does not know it. */
export const UNKNOWN_LIQX_TYPE = 'transaction.canceled';

/**
 * DEMO ONLY: the parser of the next kit version, which reads {@link UNKNOWN_LIQX_TYPE} as a canceled payout and
 * everything else as the installed kit does.
 */
export const nextKit: Normalize = (provider, raw, ctx) => {
  const body = raw as { type?: unknown } | null;
  if (provider !== 'liqx' || body?.type !== UNKNOWN_LIQX_TYPE) return normalizeChecked(provider, raw, ctx);
  // The payload is otherwise a PAYOUT event as the installed kit knows it: read it as one, then name it.
  const { receipt, phase } = normalizeChecked('liqx', { ...body, type: 'transaction.expired' }, ctx);
  return { receipt: { ...receipt, eventType: UNKNOWN_LIQX_TYPE, status: 'canceled', raw }, phase };
};

export const QuarantineQuery = z.object({
  pending: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_QUARANTINE_PAGE).default(20),
  cursor: z.string().max(200).optional(),
});
export const ReplayRequest = z.object({
  provider: WebhookProvider,
  webhook_id: z.string().min(1).max(600),
  kit: z.enum(['installed', 'next']).default('installed'),
});

/** A kept delivery as JSON: the bytes as text, for reading in the panel. */
export const quarantinedJson = (d: QuarantinedDelivery) => ({
  provider: d.provider,
  webhook_id: d.webhook_id,
  event_type: d.event_type,
  error_code: d.error_code,
  issues: d.issues,
  headers: d.headers,
  body: new TextDecoder().decode(d.body),
  body_bytes: d.body.byteLength,
  received_at: d.received_at,
  replayed_at: d.replayed_at,
});
export type QuarantinedJson = ReturnType<typeof quarantinedJson>;

export function registerQuarantineRoutes(app: Hono, opts: { store: ReceiptStore<unknown>; maxBodyBytes: number }): void {
  app.get('/api/webhooks/quarantine', async (c) => {
    const query = QuarantineQuery.safeParse(c.req.query());
    if (!query.success) return errorResponse('INVALID_REQUEST', 'Send ?pending=true|false&limit=1..100&cursor=.', { issues: zodIssues(query.error) });
    const { pending, limit, cursor } = query.data;
    try {
      const page = await opts.store.listQuarantine({ limit, pending: pending === 'true', ...(cursor ? { cursor } : {}) });
      return c.json({ rows: page.rows.map(quarantinedJson), next_cursor: page.next_cursor }, 200, { 'cache-control': 'no-store' });
    } catch (error) {
      if (!(error instanceof InvalidCursorError)) throw error;
      return errorResponse('INVALID_REQUEST', error.message, { issues: [{ path: 'cursor', message: error.message }] });
    }
  });

  app.post('/api/webhooks/quarantine/replay', async (c) => {
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(await readCappedBody(c.req.raw, opts.maxBodyBytes)));
    } catch (error) {
      if (error instanceof BodyTooLargeError) return errorResponse('PAYLOAD_TOO_LARGE', error.message);
      return errorResponse('INVALID_REQUEST', 'The body is not JSON.', { issues: [{ path: '(root)', message: 'The body must be a JSON object.' }] });
    }
    const body = ReplayRequest.safeParse(json);
    if (!body.success) {
      return errorResponse('INVALID_REQUEST', 'Send { "provider", "webhook_id", "kit"?: "installed" | "next" }.', { issues: zodIssues(body.error) });
    }
    const { provider, webhook_id, kit } = body.data;
    // No onReceipt: the endpoint's is the simulated outage of PARTNER_ENDPOINT_FLAKY, which a replay is not.
    const result = kit === 'next' ? await replayWith(opts.store, provider, webhook_id, {}, nextKit) : await opts.store.replayQuarantined(provider, webhook_id);
    if (result.outcome === 'not_found') return errorResponse('QUARANTINED_NOT_FOUND', 'No such quarantined delivery.', { status: 404 });
    return c.json(result);
  });
}
