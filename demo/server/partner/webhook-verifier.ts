/**
 * Verifies a LIQX webhook the Standard Webhooks way before anything is stored: the three headers must
 * be present, the timestamp within the tolerance (replay window), the HMAC signature must match the
 * exact raw body, and only then is the body parsed against the contract.
 *
 *   401 MISSING_SIGNATURE | TIMESTAMP_OUT_OF_TOLERANCE | INVALID_SIGNATURE   (nothing stored)
 *   400 INVALID_REQUEST with zod issue paths                                  (signed but malformed)
 */
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { WebhookEvent, zodIssues } from '../liqx-contract.js';

/** standardwebhooks itself refuses anything older than 5 minutes; a tolerance can only be tighter. */
export const MAX_TOLERANCE_SEC = 300;

export type Verified =
  | { ok: true; webhookId: string; event: WebhookEvent; raw: string }
  | { ok: false; status: 400 | 401; code: string; message: string; issues?: { path: string; message: string }[] };

export function createWebhookVerifier(secret: string, toleranceSec = MAX_TOLERANCE_SEC) {
  const webhook = new Webhook(secret);
  const tolerance = Math.min(toleranceSec, MAX_TOLERANCE_SEC);

  return function verify(headers: Record<string, string | undefined>, raw: string, now = Date.now()): Verified {
    const id = headers['webhook-id'];
    const timestamp = headers['webhook-timestamp'];
    const signature = headers['webhook-signature'];
    if (!id || !timestamp || !signature) {
      return { ok: false, status: 401, code: 'MISSING_SIGNATURE', message: 'webhook-id, webhook-timestamp and webhook-signature are required.' };
    }
    const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : NaN;
    if (!Number.isFinite(seconds) || Math.abs(now / 1000 - seconds) > tolerance) {
      return { ok: false, status: 401, code: 'TIMESTAMP_OUT_OF_TOLERANCE', message: `webhook-timestamp is not within ${tolerance} s of now (replay refused).` };
    }
    let body: unknown;
    try {
      body = webhook.verify(raw, { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature });
    } catch (error) {
      if (error instanceof WebhookVerificationError) return { ok: false, status: 401, code: 'INVALID_SIGNATURE', message: 'The webhook signature does not match.' };
      // Signed correctly but not JSON.
      return { ok: false, status: 400, code: 'INVALID_REQUEST', message: 'The webhook body is not JSON.', issues: [{ path: '(root)', message: 'Invalid JSON' }] };
    }
    const parsed = WebhookEvent.safeParse(body);
    if (!parsed.success) return { ok: false, status: 400, code: 'INVALID_REQUEST', message: 'The webhook body does not match the contract.', issues: zodIssues(parsed.error) };
    return { ok: true, webhookId: id, event: parsed.data, raw };
  };
}
