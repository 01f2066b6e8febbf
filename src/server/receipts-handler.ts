/**
 * The events read: `GET ?provider=&intent_id=&external_ref=&type=&status=&since=&limit=&cursor=`, newest first.
 * Blank filters are ignored. `next_cursor` continues below the last row, so pages stay stable while receipts are
 * being inserted (new rows sort above the cursor, never into a later page).
 */
import * as z from 'zod';
import { ReceiptStatus, WebhookProvider } from '../webhooks/index.js';
import { errorResponse, json, zodIssues } from './errors.js';
import { InvalidCursorError, type ReceiptStore } from './store.js';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const text = (max: number) => z.preprocess(blankToUndefined, z.string().max(max).optional());

/** The query string of the receipts read. */
export const ReceiptsQuery = z.object({
  limit: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100).default(20)),
  provider: z.preprocess(blankToUndefined, WebhookProvider.optional()),
  intent_id: text(200),
  external_ref: text(200),
  /** Any provider's raw event type: transaction.completed, CASHOUT_REFERENCE_FAILED, payoutUpdate, ... */
  type: text(100),
  status: z.preprocess(blankToUndefined, ReceiptStatus.optional()),
  since: z.preprocess(blankToUndefined, z.iso.datetime({ offset: true }).optional()),
  cursor: text(200),
});
export type ReceiptsQuery = z.infer<typeof ReceiptsQuery>;

export interface ReceiptsHandlerOptions<Ctx> {
  store: ReceiptStore<unknown>;
  /** Who may read receipts: return anything to allow, a Response (401, 403) to refuse. */
  authorize: (request: Request) => Ctx | Response | Promise<Ctx | Response>;
  onError?: (error: unknown, request: Request) => void;
}

/**
 * Creates the receipts handler: `(request: Request) => Promise<Response>`.
 * 200 `{ rows, limit, count, next_cursor }`; 400 INVALID_REQUEST with the query's issue paths.
 */
export function createReceiptsHandler<Ctx>(options: ReceiptsHandlerOptions<Ctx>): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return errorResponse('METHOD_NOT_ALLOWED', 'GET only.', { headers: { allow: 'GET' } });
    const allowed = await options.authorize(request);
    if (allowed instanceof Response) return allowed;
    const query = ReceiptsQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!query.success) return errorResponse('INVALID_REQUEST', 'Invalid receipt query.', { issues: zodIssues(query.error) });
    const { limit, type, cursor, ...filters } = query.data;
    try {
      const page = await options.store.list({ limit, event_type: type, ...filters, ...(cursor ? { cursor } : {}) });
      return json({ rows: page.rows, limit, count: page.rows.length, next_cursor: page.next_cursor });
    } catch (error) {
      if (error instanceof InvalidCursorError) return errorResponse('INVALID_REQUEST', error.message, { issues: [{ path: 'cursor', message: error.message }] });
      options.onError?.(error, request);
      return errorResponse('STORE_UNAVAILABLE', 'Receipts could not be read.');
    }
  };
}
