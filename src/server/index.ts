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
export { createWebhookHandler, DEFAULT_MAX_WEBHOOK_BYTES, type WebhookHandlerOptions } from './webhook-handler.js';
export {
  createSessionHandler,
  DEFAULT_MAX_SESSION_BYTES,
  intentIdempotencyKey,
  type SessionHandlerOptions,
  type SessionCreated,
  type SessionOwner,
  type SessionHandlerError,
} from './session-handler.js';
export { createReceiptsHandler, ReceiptsQuery, type ReceiptsHandlerOptions, type ReceiptsReader } from './receipts-handler.js';
export {
  NewReceipt,
  InvalidCursorError,
  INDEXES,
  type StoredReceipt,
  type ReceiptQuery,
  type ReceiptPage,
  type ReceiptStore,
} from './store.js';
export { toNewReceipt } from './receipt-row.js';
export { NON_TERMINAL_SEQUENCE, statusRank, statusStep, type PayoutStatus, type PayoutStatusChange, type StatusStep } from './payout-status.js';
export { sqliteReceiptStore, type SqliteReceiptStoreOptions, type SqliteTx } from './sqlite-store.js';
export { postgresReceiptStore, type PostgresReceiptStoreOptions, type PostgresTx } from './postgres-store.js';
export { createLiqxClient, DEFAULT_MAX_LIQX_RESPONSE_BYTES, type LiqxClient, type LiqxClientOptions, type LiqxResult, type LiqxRefusal } from './liqx-client.js';
export {
  verifyHostedReturn,
  HostedReturnError,
  DEFAULT_HOSTED_RETURN_TOLERANCE_SECONDS,
  type HostedReturn,
  type HostedReturnErrorCode,
  type HostedReturnSecret,
  type VerifyHostedReturnOptions,
} from './hosted-return.js';
export { reconcile, ReconcileError, type ReconcileOptions, type ReconcileResult, type ReconcileFailure } from './reconcile.js';
export {
  CreateIntentRequest,
  Intent,
  IntentStatus,
  WidgetSession,
  Owner,
  LiqxError,
  Failure,
  AmountKrw,
  AmountUsdt,
  ScenarioName,
  IDEMPOTENCY_HEADER,
  LiqxEvent,
  LiqxEventPage,
  LiqxEventsQuery,
  LiqxEventDeliveryState,
  LiqxDeliveryAttempt,
  LiqxDeliveryLog,
  MAX_EVENTS_PAGE,
  HostedLink,
  HostedOutcome,
  HostedReturnPayload,
  HOSTED_RETURN_PARAMS,
} from './liqx-contract.js';
export { SERVER_ERRORS, errorResponse, zodIssues, type ServerErrorCode, type IssueJson } from './errors.js';
export { isJsonContentType, readCappedBody, BodyTooLargeError } from './http.js';
