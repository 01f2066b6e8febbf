/**
 * The server kit's internals: everything `liqx-payout-widget/server` (index.ts) exports, plus the helpers, zod
 * schema values, limits and LIQX contract shapes the demo, the bench and the tests need. Not a package export: a
 * partner's code depends on index.ts only, so what is here can change without breaking anyone.
 */
export * from './index.js';
export { DEFAULT_MAX_WEBHOOK_BYTES } from './webhook-handler.js';
export { DEFAULT_MAX_SESSION_BYTES, intentIdempotencyKey, type SessionCreated, type SessionHandlerError } from './session-handler.js';
export { ReceiptsQuery } from './receipts-handler.js';
export { NewReceipt, InvalidCursorError, INDEXES, MAX_QUARANTINE_PAGE, type ReceiptQuery, type ReceiptPage } from './store.js';
export {
  replayWith,
  quarantineEntry,
  MAX_DELIVERY_ID_LENGTH,
  type NewQuarantined,
  type QuarantinedDelivery,
  type QuarantineQuery,
  type QuarantinePage,
  type ReplayOptions,
  type ReplayResult,
  type Normalize,
} from './quarantine.js';
export { toNewReceipt } from './receipt-row.js';
export { NON_TERMINAL_SEQUENCE, statusRank, statusStep, type PayoutStatus, type StatusStep } from './payout-status.js';
export { type SqliteReceiptStoreOptions, type SqliteTx } from './sqlite-store.js';
export { type PostgresReceiptStoreOptions, type PostgresTx } from './postgres-store.js';
export { DEFAULT_MAX_LIQX_RESPONSE_BYTES, type LiqxClientOptions, type LiqxResult, type LiqxRefusal } from './liqx-client.js';
export {
  DEFAULT_HOSTED_RETURN_TOLERANCE_SECONDS,
  type HostedReturnErrorCode,
  type HostedReturnSecret,
  type VerifyHostedReturnOptions,
} from './hosted-return.js';
export { type ReconcileOptions, type ReconcileFailure } from './reconcile.js';
// Schema values (and their types) of the wire shapes whose types index.ts exports, and the rest of the LIQX contract.
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
export { SERVER_ERRORS, errorResponse, zodIssues, type IssueJson } from './errors.js';
export { isJsonContentType, readCappedBody, BodyTooLargeError } from './http.js';
