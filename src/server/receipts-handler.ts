/**
 * The events read: `GET ?provider=&intent_id=&external_ref=&type=&status=&since=&limit=&cursor=`, newest first,
 * always within what `authorize` returned: one owner's receipts (`{ owner }`), or, for an operator who asked for
 * it by name, every owner's (`{ allOwners: true }`, where `?owner=` filters). Blank filters are ignored. `next_cursor` continues below the last row, so pages stay stable while receipts are
 * being inserted (new rows sort above the cursor, never into a later page).
 */
import * as z from 'zod';
import { ReceiptStatus, WebhookProvider } from '../webhooks/index.js';
import { errorResponse, json, zodIssues } from './errors.js';
import { InvalidCursorError, type ReceiptStore } from './store.js';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
// U+0000 can be in a stored value (PostgreSQL keeps it escaped) but never in a filter: no row is looked up by it.
const text = (max: number) => z.preprocess(blankToUndefined, z.string().max(max).refine((s) => !s.includes('\0'), 'Must not contain U+0000').optional());
/** `since`: ISO 8601 with a zone, within 1970..9999 in UTC (what both engines' timestamps can hold). */
const since = z.iso.datetime({ offset: true }).refine((s) => {
  const ms = Date.parse(s);
  return ms >= 0 && ms < Date.UTC(10_000, 0, 1);
}, 'Must be between 1970 and 9999');

/** The query string of the receipts read. */
export const ReceiptsQuery = z.object({
  limit: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100).default(20)),
  provider: z.preprocess(blankToUndefined, WebhookProvider.optional()),
  intent_id: text(200),
  external_ref: text(200),
  /** Any provider's raw event type: transaction.completed, CASHOUT_REFERENCE_FAILED, payoutUpdate, ... */
  type: text(100),
  status: z.preprocess(blankToUndefined, ReceiptStatus.optional()),
  since: z.preprocess(blankToUndefined, since.optional()),
  cursor: text(200),
  /** Operators only (`{ allOwners: true }`): one owner's rows. For an owner's own read it can only narrow. */
  owner: text(200),
});
export type ReceiptsQuery = z.infer<typeof ReceiptsQuery>;

/**
 * Who reads: `{ owner }` reads that owner's receipts only (the owner the session handler's `authorize` put on the
 * intent); `{ allOwners: true }` is an operator's read across owners, and must be returned deliberately.
 */
export type ReceiptsReader = { owner: string; allOwners?: never } | { allOwners: true; owner?: never };

export interface ReceiptsHandlerOptions {
  store: ReceiptStore<unknown>;
  /**
   * Who is reading: `{ owner }` (a signed-in user or account), `{ allOwners: true }` (an operator), or a Response
   * (401, 403) to refuse. Anything else answers 500 OWNER_REQUIRED and reads nothing.
   */
  authorize: (request: Request) => ReceiptsReader | Response | Promise<ReceiptsReader | Response>;
  /** Called with errors answered 5xx, for your logs. Default: `console.error` (the error only, never the request). */
  onError?: (error: unknown, request: Request) => void;
}

const defaultOnError = (error: unknown) => console.error('liqx-payout-widget receipts handler:', error);

/** The owner to scope by, null for an operator, undefined when `authorize` returned neither shape. */
function scopeOf(reader: unknown): string | null | undefined {
  if (!reader || typeof reader !== 'object') return undefined;
  const { owner, allOwners } = reader as { owner?: unknown; allOwners?: unknown };
  if (allOwners === true && owner === undefined) return null;
  if (allOwners === undefined && typeof owner === 'string' && owner.length > 0) return owner;
  return undefined;
}

/**
 * Creates the receipts handler: `(request: Request) => Promise<Response>`.
 * 200 `{ rows, limit, count, next_cursor }`; 400 INVALID_REQUEST with the query's issue paths.
 */
export function createReceiptsHandler(options: ReceiptsHandlerOptions): (request: Request) => Promise<Response> {
  const onError = options.onError ?? defaultOnError;
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return errorResponse('METHOD_NOT_ALLOWED', 'GET only.', { headers: { allow: 'GET' } });
    const reader = await options.authorize(request);
    if (reader instanceof Response) return reader;
    const scope = scopeOf(reader);
    if (scope === undefined) {
      const message = 'authorize must return { owner: string } or, for an operator, { allOwners: true }.';
      onError(new TypeError(message), request);
      return errorResponse('OWNER_REQUIRED', message);
    }
    const query = ReceiptsQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!query.success) return errorResponse('INVALID_REQUEST', 'Invalid receipt query.', { issues: zodIssues(query.error) });
    const { limit, type, cursor, owner: ownerFilter, ...filters } = query.data;
    // An owner asking for another owner's rows gets none: the filter narrows, it never widens.
    if (scope !== null && ownerFilter !== undefined && ownerFilter !== scope) return json({ rows: [], limit, count: 0, next_cursor: null });
    const owner = scope ?? ownerFilter;
    try {
      const page = await options.store.list({ limit, event_type: type, ...filters, ...(owner !== undefined ? { owner } : {}), ...(cursor ? { cursor } : {}) });
      return json({ rows: page.rows, limit, count: page.rows.length, next_cursor: page.next_cursor });
    } catch (error) {
      if (error instanceof InvalidCursorError) return errorResponse('INVALID_REQUEST', error.message, { issues: [{ path: 'cursor', message: error.message }] });
      onError(error, request);
      return errorResponse('STORE_UNAVAILABLE', 'Receipts could not be read.');
    }
  };
}
