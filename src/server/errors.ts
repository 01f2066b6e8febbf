/**
 * The one set of error codes every handler of `liqx-payout-widget/server` answers with, and the one body shape:
 * `{ error: { code, message, issues?: [{ path, message }] } }`. A client branches on `code`, never on `message`.
 */
import type * as z from 'zod';
import { formatIssuePath, type WebhookIssue, type WebhookPayloadErrorCode, type WebhookVerificationErrorCode } from '../webhooks/internal.js';

/** Every code, with the HTTP status it goes with. */
export const SERVER_ERRORS = {
  /** The query or JSON body does not match its schema; `issues` has the zod paths. */
  INVALID_REQUEST: 400,
  /** A webhook body that is not JSON (nor the providers' documented dialect). */
  INVALID_JSON: 400,
  /** A webhook body that is JSON but not the provider's payload (or nests deeper than MAX_PAYLOAD_DEPTH). */
  INVALID_PAYLOAD: 400,
  /** A LIQX webhook without an event id. */
  MISSING_EVENT_ID: 400,
  /** Signature, id or timestamp header absent. Nothing was read or stored. */
  MISSING_HEADERS: 401,
  /** The timestamp header is not Unix seconds. */
  INVALID_TIMESTAMP: 401,
  /** The timestamp is outside the tolerance: a replay or a skewed clock. */
  STALE_TIMESTAMP: 401,
  /** No signature matches the raw body bytes. */
  BAD_SIGNATURE: 401,
  /** The signature header lists more candidates than the verifier compares (MAX_SIGNATURE_CANDIDATES). */
  TOO_MANY_SIGNATURES: 401,
  /** The webhook path names no configured provider. */
  UNKNOWN_PROVIDER: 404,
  METHOD_NOT_ALLOWED: 405,
  /** The body is over the handler's cap (Content-Length, or counted while streaming: reading stopped there). */
  PAYLOAD_TOO_LARGE: 413,
  /** A POST whose Content-Type is not JSON (`application/json` or `*+json`). */
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** A provider's secret is missing or malformed: a configuration error, never the sender's fault. */
  INVALID_SECRET: 500,
  /** `onReceipt` threw: its transaction rolled back, nothing is stored, the sender will retry. */
  RECEIPT_HANDLER_FAILED: 500,
  /** `authorize` returned no usable owner (`{ owner }`, or `{ allOwners: true }` on the receipts read): a configuration error. */
  OWNER_REQUIRED: 500,
  /** The store could not commit: nothing acknowledged, the sender will retry. */
  STORE_UNAVAILABLE: 503,
  /** LIQX could not be reached. */
  UPSTREAM_UNAVAILABLE: 502,
  /** LIQX did not answer within the client's timeout. */
  UPSTREAM_TIMEOUT: 504,
  /** LIQX answered 2xx with a body that breaks its contract. */
  UPSTREAM_INVALID_RESPONSE: 502,
  /** LIQX refused with a status the kit does not pass on (5xx, 3xx, an unknown one), or without its error contract. */
  UPSTREAM_ERROR: 502,
  /** LIQX refused the partner API key (its 401/403): a configuration error on the partner's side, not the user's. */
  UPSTREAM_AUTH_REFUSED: 502,
} as const satisfies Record<WebhookVerificationErrorCode | WebhookPayloadErrorCode, number> & Record<string, number>;
// ^ Every code the webhooks module can throw must have its status here: a new verification code without one fails
//   the typecheck instead of becoming a 500 that senders retry forever.
export type ServerErrorCode = keyof typeof SERVER_ERRORS;

/** One issue as the JSON error body lists it. */
export interface IssueJson {
  path: string;
  message: string;
}

/** A zod error's issues in the body's `{ path: 'a.b', message }` form (`(root)` for the value itself). */
export function zodIssues(error: z.ZodError, prefix: readonly (string | number)[] = []): IssueJson[] {
  return error.issues.map((i) => ({ path: formatIssuePath([...prefix, ...i.path.map((k) => (typeof k === 'number' ? k : String(k)))]), message: i.message }));
}

/** A webhook error's issues in the body's form. */
export const webhookIssues = (issues: readonly WebhookIssue[]): IssueJson[] =>
  issues.map((i) => ({ path: formatIssuePath(i.path), message: i.message }));

/** Security headers every JSON answer of the kit carries. */
export const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
} as const;

/** A JSON response with the kit's headers. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

interface ErrorOptions {
  issues?: IssueJson[];
  status?: number;
  extra?: Record<string, unknown>;
  headers?: Record<string, string>;
  upstreamStatus?: number;
}

/**
 * The error response for `code`. `status` overrides the code's own (upstream refusals pass LIQX's status on);
 * `extra` adds top-level fields beside `error`; `upstreamStatus` records LIQX's status inside it. A code of the
 * kit has its status in SERVER_ERRORS; any other code (an application's own) must say its status.
 */
export function errorResponse(code: ServerErrorCode, message: string, options?: ErrorOptions): Response;
export function errorResponse(code: string, message: string, options: ErrorOptions & { status: number }): Response;
export function errorResponse(code: string, message: string, options: ErrorOptions = {}): Response {
  const status = options.status ?? SERVER_ERRORS[code as ServerErrorCode];
  const error = {
    code,
    message,
    ...(options.upstreamStatus !== undefined ? { upstream_status: options.upstreamStatus } : {}),
    ...(options.issues ? { issues: options.issues } : {}),
  };
  return json({ error, ...options.extra }, status, options.headers);
}
