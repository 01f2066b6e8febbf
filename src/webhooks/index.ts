/**
 * liqx-payout-widget/webhooks: server-side helpers for payout webhooks from LIQX, the cash-out reference provider
 * and Ipay. Verify the signature over the raw body, parse it, normalize it into one {@link PayoutReceipt}, store it
 * once under {@link receiptKey}. Runs on Node 20 and Web Crypto runtimes; imports nothing from node: or the DOM.
 *
 * @example
 * const { id } = await verifyPayoutWebhook('liqx', rawBody, request.headers, { liqx: { secret: 'whsec_...' } });
 * const receipt = normalizePayoutWebhook('liqx', parseWebhookBody(rawBody, 'liqx'), { eventId: id });
 * await db.insertIgnore(await receiptKey(receipt), receipt);
 */
export {
  WebhookProvider,
  WEBHOOK_PROVIDERS,
  ReceiptStatus,
  TERMINAL_RECEIPT_STATUSES,
  ReceiptAmount,
  ReceiptFailure,
  PayoutReceipt,
} from './receipt.js';
export {
  WebhookPayloadError,
  WebhookPayloadErrorCode,
  WebhookVerificationError,
  WebhookVerificationErrorCode,
  formatIssuePath,
  type WebhookIssue,
} from './errors.js';
export { normalizePayoutWebhook, NormalizeOptions } from './normalize.js';
export { parseWebhookBody, parseLenientJson } from './lenient-json.js';
export { receiptKey, canonicalJson, sha256Hex, DELIVERY_FIELDS } from './receipt-key.js';
export {
  verifyPayoutWebhook,
  StandardWebhookScheme,
  SharedSecretScheme,
  CheckedHeaders,
  MAX_SIGNATURE_CANDIDATES,
  verifyStandardWebhook,
  verifySharedSecretSignature,
  signStandardWebhook,
  signSharedSecret,
  getHeader,
  DEFAULT_TOLERANCE_SECONDS,
  type HeaderSource,
  type WebhookSecret,
  type WebhookSecrets,
  type StandardWebhookOptions,
  type SharedSecretOptions,
  type PayoutWebhookSecrets,
  type VerifiedWebhook,
} from './verify.js';
export { LiqxWebhookEvent, LiqxWebhookPayload, LIQX_EVENT_STATUS } from './providers/liqx.js';
export { CashoutReferencePayload, CASHOUT_EVENTS } from './providers/cashout-reference.js';
export { IpayPayoutPayload, IPAY_EVENTS, IPAY_STATUS } from './providers/ipay.js';
export { UNIX_MS_THRESHOLD } from './time.js';
export { MAX_PAYLOAD_DEPTH, exceedsDepth } from './depth.js';
export { PayoutWebhook, type PayoutWebhookOptions, type VerifiedPayout } from './payout-webhook.js';
