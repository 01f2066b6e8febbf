/**
 * liqx-payout-widget/server: the partner's backend half. Three Fetch API handlers (Request in, Response out:
 * Hono, Express through an adapter, Next.js route handlers, edge runtimes where the store allows), a receipt
 * store with two engines, and a typed client for the LIQX partner API. Node 20+; no DOM.
 *
 * @example
 * const store = await sqliteReceiptStore('receipts.sqlite');
 * const webhooks = createWebhookHandler({ providers: ['liqx'], secrets: { liqx: { secret: 'whsec_...' } }, store });
 * app.post('/webhooks/:provider', (c) => webhooks(c.req.raw));
 */
export { createSessionHandler, type SessionHandlerOptions, type SessionOwner } from './session-handler.js';
export { createWebhookHandler, type WebhookHandlerOptions } from './webhook-handler.js';
export { createReceiptsHandler, type ReceiptsHandlerOptions, type ReceiptsReader } from './receipts-handler.js';
export { sqliteReceiptStore } from './sqlite-store.js';
export { postgresReceiptStore } from './postgres-store.js';
export type { ReceiptStore, StoredReceipt } from './store.js';
export type { PayoutStatusChange } from './payout-status.js';
export { createLiqxClient, type LiqxClient } from './liqx-client.js';
export { reconcile, ReconcileError, type ReconcileResult } from './reconcile.js';
export { verifyHostedReturn, HostedReturnError, type HostedReturn } from './hosted-return.js';
export type { ServerErrorCode } from './errors.js';
// Types only: exporting the zod schema values would make zod's own types part of this package's contract.
export type { WidgetSession, Intent, CreateIntentRequest } from './liqx-contract.js';
