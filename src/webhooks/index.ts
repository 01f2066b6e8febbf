/**
 * liqx-payout-widget/webhooks: server-side helpers for payout webhooks from LIQX, the cash-out reference provider
 * and Ipay. Verify the signature over the raw body, read it once into one {@link PayoutReceipt}, store it once under
 * its key. Runs on Node 20 and Web Crypto runtimes; imports nothing from node: or the DOM.
 *
 * @example
 * // Built once: any listed secret verifies, so a secret can be rotated without downtime.
 * const liqx = new PayoutWebhook('liqx', { secret: [process.env.LIQX_WEBHOOK_SECRET!, process.env.LIQX_WEBHOOK_SECRET_OLD!] });
 * // Per request, with the body bytes as received:
 * const { receipt, key } = await liqx.verify(rawBody, request.headers);
 * await db.run('INSERT INTO receipts (key, receipt) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [key, JSON.stringify(receipt)]);
 */
export { PayoutWebhook, type PayoutWebhookOptions, type VerifiedPayout } from './payout-webhook.js';
export {
  StandardWebhookScheme,
  SharedSecretScheme,
  verifyPayoutWebhook,
  type PayoutWebhookSecrets,
  type WebhookSecrets,
  type HeaderSource,
} from './verify.js';
export { parseWebhookBody } from './lenient-json.js';
export { normalizePayoutWebhook } from './normalize.js';
export { receiptKey } from './receipt-key.js';
export {
  WebhookPayloadError,
  WebhookPayloadErrorCode,
  WebhookVerificationError,
  WebhookVerificationErrorCode,
  type WebhookIssue,
} from './errors.js';
export { PayoutReceipt, ReceiptStatus, WebhookProvider } from './receipt.js';
export { LiqxWebhookEvent } from './providers/liqx.js';
export { CashoutReferencePayload } from './providers/cashout-reference.js';
export { IpayPayoutPayload } from './providers/ipay.js';
