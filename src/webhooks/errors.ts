/**
 * The two typed errors of `liqx-payout-widget/webhooks`. Both carry a stable `code`, so a webhook endpoint can
 * answer 400 (payload) or 401 (verification) without parsing messages.
 */

/** Why a payload was refused by {@link parseWebhookBody} or {@link normalizePayoutWebhook}. */
export const WebhookPayloadErrorCode = {
  /** The body is not JSON, not even the tolerant dialect of the providers' documents. */
  INVALID_JSON: 'INVALID_JSON',
  /** The JSON does not match the provider's documented payload; `issues` lists the paths. */
  INVALID_PAYLOAD: 'INVALID_PAYLOAD',
  /** The provider name is not one of `liqx`, `cashout-reference`, `ipay`. */
  UNKNOWN_PROVIDER: 'UNKNOWN_PROVIDER',
  /** A provider that defines an event id (LIQX: the `webhook-id` header) sent none. */
  MISSING_EVENT_ID: 'MISSING_EVENT_ID',
} as const;
export type WebhookPayloadErrorCode = (typeof WebhookPayloadErrorCode)[keyof typeof WebhookPayloadErrorCode];

/** One reason a payload was refused: where (`path`, as in zod) and what. */
export interface WebhookIssue {
  /** Path into the payload, e.g. `['data', 'intent_id']`; empty for the payload itself. */
  path: (string | number)[];
  /** Human-readable reason. */
  message: string;
  /** zod's issue code (`invalid_type`, `invalid_value`, ...) or our own (`custom`). */
  code: string;
}

/** Dotted form of an issue path: `data.intent_id`, `details.code`, `(root)` for the payload itself. */
export function formatIssuePath(path: readonly (string | number)[]): string {
  return path.length ? path.map(String).join('.') : '(root)';
}

/**
 * A webhook body or payload was refused. Nothing from it should be stored: the receipt is all or nothing.
 */
export class WebhookPayloadError extends Error {
  override readonly name = 'WebhookPayloadError';
  readonly code: WebhookPayloadErrorCode;
  /** The provider the payload was read as, when known. */
  readonly provider: string | undefined;
  /** Every reason, with its path (the zod issue paths for schema failures). */
  readonly issues: readonly WebhookIssue[];

  constructor(code: WebhookPayloadErrorCode, provider: string | undefined, issues: readonly WebhookIssue[], message?: string) {
    const summary = issues
      .slice(0, 5)
      .map((i) => `${formatIssuePath(i.path)}: ${i.message}`)
      .join('; ');
    super(message ?? `${provider ?? 'webhook'} payload refused (${code})${summary ? `: ${summary}` : ''}`);
    this.code = code;
    this.provider = provider;
    this.issues = issues;
  }

  /** The issue paths in dotted form, e.g. `['data.intent_id', 'timestamp']`. */
  get paths(): string[] {
    return this.issues.map((i) => formatIssuePath(i.path));
  }
}

/** Why a signature check failed. Any of these means: answer 401 and store nothing. */
export const WebhookVerificationErrorCode = {
  /** The signature (or, where required, the id or timestamp) header is absent. */
  MISSING_HEADERS: 'MISSING_HEADERS',
  /** The timestamp header is not an integer number of seconds. */
  INVALID_TIMESTAMP: 'INVALID_TIMESTAMP',
  /** The timestamp is outside the tolerance window (a replay, or a badly skewed clock). */
  STALE_TIMESTAMP: 'STALE_TIMESTAMP',
  /** No signature in the header matches the body. */
  BAD_SIGNATURE: 'BAD_SIGNATURE',
  /** The signature header lists more candidates than `MAX_SIGNATURE_CANDIDATES`: refused before any HMAC runs. */
  TOO_MANY_SIGNATURES: 'TOO_MANY_SIGNATURES',
  /** The configured secret is empty or not in the expected form (a configuration error). */
  INVALID_SECRET: 'INVALID_SECRET',
} as const;
export type WebhookVerificationErrorCode =
  (typeof WebhookVerificationErrorCode)[keyof typeof WebhookVerificationErrorCode];

/** A webhook's signature could not be verified. */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  readonly code: WebhookVerificationErrorCode;

  constructor(code: WebhookVerificationErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
