/**
 * The partner's webhook endpoints for the two other payout providers, and the diagnostics panel's sample sender.
 * Everything goes through liqx-payout-widget/webhooks: verify over the raw body, parse, normalize into one
 * PayoutReceipt, store once under its receipt key, and only then answer 2xx.
 *
 *   POST /api/webhooks/cashout   cash-out reference (PAYMENT_REQUEST_CASHOUT); shared-secret HMAC, see below
 *   POST /api/webhooks/ipay      Ipay payout events; shared-secret HMAC
 *        401 { error: { code: MISSING_HEADERS | INVALID_TIMESTAMP | STALE_TIMESTAMP | BAD_SIGNATURE } }  nothing stored
 *        400 { error: { code: 'INVALID_REQUEST', reason: INVALID_JSON | INVALID_PAYLOAD, message, issues } } nothing stored
 *        200 { received: true, duplicate, provider, webhook_id, status } after the commit
 *   POST /api/demo/sample-webhook { provider: 'liqx' | 'cashout-reference' | 'ipay' }
 *        signs a sample exactly as that provider (or, for the two unsigned ones, the shared-secret sender) would,
 *        POSTs it to this server's own endpoint over HTTP, and answers what the endpoint answered.
 *
 * Neither provider document defines a signature; the demo accepts `x-webhook-signature: sha256=<hex>` of
 * `${x-webhook-timestamp}.${body}` with a per-provider shared secret (configured on both sides out of band).
 */
import type { Hono } from 'hono';
import * as z from 'zod';
import { Webhook } from 'standardwebhooks';
import {
  WebhookPayloadError,
  WebhookVerificationError,
  formatIssuePath,
  normalizePayoutWebhook,
  parseWebhookBody,
  receiptKey,
  signSharedSecret,
  verifySharedSecretSignature,
  type PayoutReceipt,
} from '../../../src/webhooks/index.js';
import type { NewReceipt, ReceiptStore } from '../receipt-store.js';
import { SAMPLE_PROVIDERS, sampleWebhook } from './sample-webhooks.js';

export interface ProviderWebhookOptions {
  store: ReceiptStore;
  /** Shared HMAC secrets of the two providers whose documents define no signature. */
  secrets: { cashout: string; ipay: string };
  /** The LIQX Standard Webhooks secret (`whsec_...`), for signing the LIQX sample as LIQX would. */
  liqxSecret: string;
  /** This server's own origin, for the sample sender (never taken from the request's Host header). */
  selfUrl: (() => string) | undefined;
  /** Zone of the cash-out reference's zone-less timestamps; default UTC. */
  cashoutTimeZone?: string;
}

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

/**
 * A normalized receipt as a store row. `event_id` is the receipt key without the provider prefix: the webhook id
 * for LIQX, `sha256:<hex>` of the canonical payload for the providers without ids.
 */
export async function toNewReceipt(receipt: PayoutReceipt, rawBody: string): Promise<NewReceipt> {
  const key = await receiptKey(receipt);
  let strict = true;
  try {
    JSON.parse(rawBody);
  } catch {
    strict = false;
  }
  const raw = receipt.raw as { data?: { phase?: unknown } };
  return {
    provider: receipt.provider,
    event_id: key.slice(receipt.provider.length + 1),
    event_type: receipt.eventType,
    intent_id: receipt.intentId ?? null,
    external_ref: receipt.externalRef ?? null,
    status: receipt.status,
    phase: typeof raw.data?.phase === 'string' ? raw.data.phase : null,
    attempts: receipt.attempts ?? null,
    reference: receipt.reference,
    amount_minor: receipt.amount?.minor ?? null,
    currency: receipt.amount?.currency ?? null,
    failure_code: receipt.failure?.code ?? null,
    failure_message: receipt.failure?.message ?? null,
    occurred_at: receipt.occurredAt,
    // The verified body verbatim when it is JSON; a commented one (the documents' style) as the JSON it means.
    payload: strict ? rawBody : JSON.stringify(receipt.raw),
  };
}

/** The 400 of a refused payload, in the demo's `{ error: { code: 'INVALID_REQUEST', issues } }` shape. */
export function payloadRefusal(err: WebhookPayloadError) {
  return {
    error: {
      code: 'INVALID_REQUEST',
      reason: err.code,
      message: err.message,
      issues: err.issues.map((i) => ({ path: formatIssuePath(i.path), message: i.message })),
    },
  };
}

const SampleRequest = z.object({ provider: z.enum(SAMPLE_PROVIDERS) });

export function registerProviderWebhooks(app: Hono, opts: ProviderWebhookOptions): void {
  const endpoint = (provider: 'cashout-reference' | 'ipay', secret: string) => {
    app.post(WEBHOOK_PATHS[provider], async (c) => {
      const rawBody = await c.req.text();
      try {
        await verifySharedSecretSignature(rawBody, c.req.raw.headers, { secret });
        const receipt = normalizePayoutWebhook(provider, parseWebhookBody(rawBody, provider), {
          timeZone: opts.cashoutTimeZone ?? 'UTC',
        });
        const row = await toNewReceipt(receipt, rawBody);
        // commit() resolves after the transaction holding the row has committed: only then is the delivery acknowledged.
        const { inserted } = await opts.store.commit(row);
        return c.json({ received: true, duplicate: !inserted, provider, webhook_id: row.event_id, status: receipt.status });
      } catch (err) {
        if (err instanceof WebhookVerificationError) return c.json({ error: { code: err.code, message: err.message } }, 401);
        if (err instanceof WebhookPayloadError) return c.json(payloadRefusal(err), 400);
        throw err;
      }
    });
  };
  endpoint('cashout-reference', opts.secrets.cashout);
  endpoint('ipay', opts.secrets.ipay);

  app.post('/api/demo/sample-webhook', async (c) => {
    let request: z.infer<typeof SampleRequest>;
    try {
      request = SampleRequest.parse(JSON.parse(await c.req.text()));
    } catch {
      return c.json({ error: { code: 'INVALID_REQUEST', message: `Send { "provider": ${SAMPLE_PROVIDERS.map((p) => `"${p}"`).join(' | ')} }.` } }, 400);
    }
    const { provider } = request;
    if (!opts.selfUrl) return c.json({ error: { code: 'NOT_CONFIGURED', message: 'The sample sender needs selfUrl.' } }, 503);
    const { body, webhookId } = sampleWebhook(provider);
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
        provider,
        endpoint: WEBHOOK_PATHS[provider],
        http_status: res.status,
        ok: res.ok,
        duration_ms: Math.round(performance.now() - started),
        response,
        sent: { headers, body },
      });
    } catch (err) {
      return c.json({ provider, endpoint: WEBHOOK_PATHS[provider], http_status: 0, ok: false, error: String(err), sent: { headers, body } }, 502);
    }
  });
}
