/**
 * DEMO ONLY: the diagnostics panel's sample-webhook sender. It signs a sample event with the provider's secret,
 * which no real partner backend holds for LIQX and none should expose as an endpoint. It exists so the demo can
 * show the cash-out reference and Ipay paths without those providers.
 *
 *   POST /api/demo/sample-webhook { provider: 'liqx' | 'cashout-reference' | 'ipay', unknown_type?: true }
 *        (JSON only, capped) signs a sample exactly as that provider (or, for the two unsigned ones, the
 *        shared-secret sender) would, POSTs it to this server's own endpoint over HTTP, and answers what the
 *        endpoint answered, `demo_only: true`. `unknown_type` (LIQX only) sends an event of a type LIQX "added"
 *        that the installed kit does not read: the endpoint quarantines it (202), the Recovery panel replays it.
 *
 * Neither the cash-out reference nor the Ipay document defines a signature; the demo accepts
 * `x-webhook-signature: sha256=<hex>` of `${x-webhook-timestamp}.${body}` with a per-provider shared secret.
 */
import type { Hono } from 'hono';
import * as z from 'zod';
import { Webhook } from 'standardwebhooks';
import { signSharedSecret } from '../../../src/webhooks/internal.js';
import { BodyTooLargeError, errorResponse, readCappedBody, zodIssues } from '../../../src/server/internal.js';
import { SAMPLE_PROVIDERS, sampleWebhook } from './sample-bodies.js';
import { UNKNOWN_LIQX_TYPE } from './quarantine.js';

/** Demo-only shared secrets: both sides run on your machine; never reuse them anywhere real. */
export const DEMO_PROVIDER_SECRETS = {
  cashout: 'cashout-demo-shared-secret-not-for-production',
  ipay: 'ipay-demo-shared-secret-not-for-production',
} as const;

/** The endpoint path of each provider. */
export const WEBHOOK_PATHS = {
  liqx: '/api/webhooks/liqx',
  'cashout-reference': '/api/webhooks/cashout',
  ipay: '/api/webhooks/ipay',
} as const;

export interface SampleSenderOptions {
  /** Shared HMAC secrets of the two providers whose documents define no signature. */
  secrets: { cashout: string; ipay: string };
  /** The LIQX Standard Webhooks secret (`whsec_...`), for signing the LIQX sample as LIQX would. */
  liqxSecret: string;
  /** This server's own origin (never taken from the request's Host header). */
  selfUrl: (() => string) | undefined;
  maxBodyBytes: number;
}

const SampleRequest = z
  .object({ provider: z.enum(SAMPLE_PROVIDERS), unknown_type: z.literal(true).optional() })
  .refine((r) => !r.unknown_type || r.provider === 'liqx', { path: ['unknown_type'], message: 'Only the LIQX sample has an unknown-type variant' });

export function registerSampleSender(app: Hono, opts: SampleSenderOptions): void {
  app.post('/api/demo/sample-webhook', async (c) => {
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(await readCappedBody(c.req.raw, opts.maxBodyBytes)));
    } catch (error) {
      if (error instanceof BodyTooLargeError) return errorResponse('PAYLOAD_TOO_LARGE', error.message);
      return errorResponse('INVALID_REQUEST', 'The body is not JSON.', { issues: [{ path: '(root)', message: 'The body must be a JSON object.' }] });
    }
    const request = SampleRequest.safeParse(json);
    if (!request.success) {
      return errorResponse('INVALID_REQUEST', `Send { "provider": ${SAMPLE_PROVIDERS.map((p) => `"${p}"`).join(' | ')} }.`, { issues: zodIssues(request.error) });
    }
    const { provider } = request.data;
    if (!opts.selfUrl) return errorResponse('NOT_CONFIGURED', 'The sample sender needs selfUrl.', { status: 503 });
    const sample = sampleWebhook(provider);
    const { webhookId } = sample;
    let body = sample.body;
    if (request.data.unknown_type) {
      // The LIQX sample as LIQX would send an event type it added after this kit version was released.
      const event = JSON.parse(body) as { type: string; data: Record<string, unknown> };
      const { transaction_id: _completedOnly, ...data } = event.data;
      body = JSON.stringify({ ...event, type: UNKNOWN_LIQX_TYPE, data: { ...data, status: 'canceled' } });
    }
    const now = new Date();
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (provider === 'liqx') {
      // As the mock LIQX's dispatcher signs: Standard Webhooks with the standardwebhooks package.
      headers['webhook-id'] = webhookId!;
      headers['webhook-timestamp'] = String(Math.floor(now.getTime() / 1000));
      headers['webhook-signature'] = new Webhook(opts.liqxSecret).sign(webhookId!, now, body);
    } else {
      const secret = provider === 'ipay' ? opts.secrets.ipay : opts.secrets.cashout;
      Object.assign(headers, await signSharedSecret(secret, body, Math.floor(now.getTime() / 1000)));
    }
    const url = `${opts.selfUrl()}${WEBHOOK_PATHS[provider]}`;
    const started = performance.now();
    try {
      const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(5000) });
      const text = await res.text();
      let response: unknown = text;
      try {
        response = JSON.parse(text);
      } catch {
        // keep the text
      }
      return c.json({
        demo_only: true,
        provider,
        endpoint: WEBHOOK_PATHS[provider],
        http_status: res.status,
        ok: res.ok,
        duration_ms: Math.round(performance.now() - started),
        response,
        sent: { headers, body },
      });
    } catch (err) {
      return c.json({ demo_only: true, provider, endpoint: WEBHOOK_PATHS[provider], http_status: 0, ok: false, error: String(err), sent: { headers, body } }, 502);
    }
  });
}
