/** What the provider mappings share: their context and how they refuse a payload with a path. */
import { WebhookPayloadError, WebhookPayloadErrorCode } from '../errors.js';

/** Options resolved by `normalizePayoutWebhook` before a provider mapping runs. */
export interface ProviderContext {
  /** Event id from outside the body (LIQX: the `webhook-id` header). */
  eventId: string | undefined;
  /** Zone of timestamps that carry none (cash-out reference), already checked. */
  timeZone: string;
}

/** Throws the typed refusal for a payload that passed its schema but cannot be mapped (e.g. a date out of range). */
export function refuse(
  provider: string,
  path: (string | number)[],
  message: string,
  code: 'INVALID_PAYLOAD' | 'MISSING_EVENT_ID' = 'INVALID_PAYLOAD',
): never {
  throw new WebhookPayloadError(WebhookPayloadErrorCode[code], provider, [{ path, message, code: 'custom' }]);
}
