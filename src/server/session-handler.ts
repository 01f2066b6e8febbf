/**
 * The session endpoint: the partner's page asks its own backend for a widget session; the backend creates the
 * PAYOUT intent at LIQX and exchanges it for a session, which the page hands to <liqx-payout-widget>.
 *
 *   415 not JSON -> 413 declared over the cap -> authorize (its Response as is; else `{ owner, ... }`) -> body
 *   read up to the cap (413) -> 400 INVALID_REQUEST (zod paths) ->
 *   LIQX create intent (owner from authorize; Idempotency-Key from external_ref) + widget session, each answer
 *   checked against the package's contract, the session with the element's own schema ->
 *   201 (Cache-Control: no-store) | a typed refusal (LIQX's business 4xx as is, everything else 502/504)
 */
import * as z from 'zod';
import { errorResponse, json, zodIssues } from './errors.js';
import { BodyTooLargeError, declaredTooLarge, decodeUtf8, isJsonContentType, payloadTooLarge, readCappedBody, unsupportedMediaType } from './http.js';
import { createLiqxClient, type LiqxClient, type LiqxClientOptions, type LiqxRefusal } from './liqx-client.js';
import { CreateIntentRequest, Owner, type Intent, type WidgetSession } from './liqx-contract.js';

/** Default body cap of the session request: 16 KiB. */
export const DEFAULT_MAX_SESSION_BYTES = 16 * 1024;

/** What a successful exchange produced, for `respond`. */
export interface SessionCreated<Ctx, Body> {
  ctx: Ctx;
  body: Body;
  request: CreateIntentRequest;
  intent: Intent;
  session: WidgetSession;
  /** LIQX's answers as received. */
  raw: { intent: unknown; session: unknown };
}

/** What the session handler's `authorize` returns for a signed-in caller: at least whom the payout belongs to. */
export interface SessionOwner {
  /**
   * The partner's user or account the intent belongs to (1..200 characters). It goes to LIQX on the intent, comes
   * back on every webhook of it, and is what the receipts read is scoped by. Never taken from the browser's body.
   */
  owner: string;
}

export interface SessionHandlerOptions<Ctx extends SessionOwner, Body> {
  /** The LIQX partner API: its base URL and your API key (or a client you built with createLiqxClient). */
  liqx: LiqxClientOptions | LiqxClient;
  /**
   * Resolves the partner's signed-in user from the request as `{ owner, ...anything intent() needs }`, or returns
   * the Response to send (401, 403, ...). Without a usable `owner` the handler answers 500 OWNER_REQUIRED.
   */
  authorize: (request: Request) => Ctx | Response | Promise<Ctx | Response>;
  /** Schema of the browser's JSON body; a mismatch is a 400 with its issue paths. Default: any JSON object. */
  body?: z.ZodType<Body>;
  /**
   * Builds the intent request from your user and the body; checked against CreateIntentRequest (400 with paths).
   * Its `owner` is always replaced by `authorize`'s. Use your own order reference as `external_ref`: it is the
   * intent's idempotency key, so a double submit, a retry or a second tab gets the same intent back.
   */
  intent: (ctx: Ctx, body: Body) => z.input<typeof CreateIntentRequest> | Promise<z.input<typeof CreateIntentRequest>>;
  /** Extra top-level fields of the 201 body (they cannot replace `widget_session`). */
  respond?: (created: SessionCreated<Ctx, Body>) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Body cap, bytes; default {@link DEFAULT_MAX_SESSION_BYTES}. */
  maxBodyBytes?: number;
  /** Put LIQX's raw answers in responses (`upstream`): for diagnostics pages, not production. Default false. */
  exposeUpstream?: boolean;
  /**
   * Called for answers that point at a fault on the server side (OWNER_REQUIRED, LIQX refusing the API key,
   * LIQX unreachable or off-contract), for your logs. Default: `console.error` with the code and LIQX's status
   * (never the API key, the session token or the body).
   */
  onError?: (error: SessionHandlerError, request: Request) => void;
}

/** What `onError` gets: the code answered and, for LIQX's answers, its status. */
export interface SessionHandlerError {
  code: string;
  message: string;
  upstreamStatus?: number;
}

/** LIQX business refusals the browser may see with LIQX's own status and code (KYC, capacity, a bad request). */
const PASSED_ON_STATUSES = new Set([400, 404, 409, 422, 429]);
const KIT_UPSTREAM_CODES = new Set(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_TIMEOUT', 'UPSTREAM_INVALID_RESPONSE', 'UPSTREAM_ERROR']);

const defaultOnError = (error: SessionHandlerError) =>
  console.error(`liqx-payout-widget session handler: ${error.code}${error.upstreamStatus !== undefined ? ` (LIQX HTTP ${error.upstreamStatus})` : ''}: ${error.message}`);

/**
 * The kit's answer for a LIQX refusal: LIQX's business refusals (its error contract, a 4xx it means for the
 * caller) keep their status and code; LIQX refusing our API key is UPSTREAM_AUTH_REFUSED (502: never a 401 that
 * reads like "sign in"); any other status (3xx, 5xx, unknown) is UPSTREAM_ERROR 502; the client's own codes keep
 * theirs (502, 504).
 */
function mapRefusal(r: LiqxRefusal): { code: string; message: string; status: number; serverFault: boolean } {
  if (r.status === 401 || r.status === 403) {
    return { code: 'UPSTREAM_AUTH_REFUSED', message: 'LIQX refused the partner API key: check the key the server is configured with.', status: 502, serverFault: true };
  }
  if (KIT_UPSTREAM_CODES.has(r.code)) {
    return { code: r.code, message: r.message, status: r.code === 'UPSTREAM_TIMEOUT' ? 504 : 502, serverFault: true };
  }
  if (PASSED_ON_STATUSES.has(r.status)) return { code: r.code, message: r.message, status: r.status, serverFault: false };
  return { code: 'UPSTREAM_ERROR', message: `LIQX answered HTTP ${r.status} (${r.code}): ${r.message}`, status: 502, serverFault: true };
}

/**
 * The Idempotency-Key of an intent: the partner's own order reference, so every request for one order (a double
 * submit, a retry after a timeout, a second tab) is one intent at LIQX.
 */
export const intentIdempotencyKey = (externalRef: string) => `intent:${externalRef}`;

const isClient = (v: LiqxClientOptions | LiqxClient): v is LiqxClient => typeof (v as LiqxClient).createIntent === 'function';

/**
 * Creates the session handler: `(request: Request) => Promise<Response>`.
 *
 * 201 `{ intent_id, status, external_ref, external_user_id, widget_session, ...respond() }`; a LIQX refusal answers
 * LIQX's status with `{ error: { code, message, upstream_status, issues? }, intent_id?, external_ref }`.
 */
export function createSessionHandler<Ctx extends SessionOwner, Body = Record<string, unknown>>(options: SessionHandlerOptions<Ctx, Body>): (request: Request) => Promise<Response> {
  const client = isClient(options.liqx) ? options.liqx : createLiqxClient(options.liqx);
  const onError = options.onError ?? defaultOnError;
  const bodySchema = (options.body ?? z.record(z.string(), z.unknown())) as z.ZodType<Body>;
  const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_SESSION_BYTES;

  return async (request) => {
    if (request.method !== 'POST') return errorResponse('METHOD_NOT_ALLOWED', 'POST only.', { headers: { allow: 'POST' } });
    if (!isJsonContentType(request.headers.get('content-type'))) return unsupportedMediaType();
    if (declaredTooLarge(request, maxBytes)) return payloadTooLarge(maxBytes);
    // Who is asking, before reading what they send.
    const ctx = await options.authorize(request);
    if (ctx instanceof Response) return ctx;
    // Fail closed: an intent without an owner would make receipts nobody (or everybody) can read.
    const owner = Owner.safeParse((ctx as Partial<SessionOwner> | null)?.owner);
    if (!owner.success) {
      const message = 'authorize must return { owner: string } (1..200 characters) for a signed-in caller.';
      onError({ code: 'OWNER_REQUIRED', message }, request);
      return errorResponse('OWNER_REQUIRED', message);
    }
    let text: string;
    try {
      text = decodeUtf8(await readCappedBody(request, maxBytes));
    } catch (error) {
      if (error instanceof BodyTooLargeError) return payloadTooLarge(maxBytes);
      throw error;
    }

    let json_: unknown;
    try {
      json_ = JSON.parse(text);
    } catch {
      return errorResponse('INVALID_REQUEST', 'The body is not JSON.', { issues: [{ path: '(root)', message: 'The body must be a JSON object.' }] });
    }
    const body = bodySchema.safeParse(json_);
    if (!body.success) return errorResponse('INVALID_REQUEST', 'The request does not match the contract.', { issues: zodIssues(body.error) });
    const intentRequest = CreateIntentRequest.safeParse({ ...(await options.intent(ctx, body.data)), owner: owner.data });
    if (!intentRequest.success) return errorResponse('INVALID_REQUEST', 'The payout request is not valid.', { issues: zodIssues(intentRequest.error) });
    const req = intentRequest.data;

    const refused = (r: LiqxRefusal, intentId?: string) => {
      const mapped = mapRefusal(r);
      if (mapped.serverFault) onError({ code: mapped.code, message: mapped.message, upstreamStatus: r.status }, request);
      return errorResponse(mapped.code, mapped.message, {
        status: mapped.status,
        upstreamStatus: r.status,
        ...(r.issues ? { issues: r.issues } : {}),
        extra: {
          ...(intentId ?? r.intentId ? { intent_id: intentId ?? r.intentId } : {}),
          external_ref: req.external_ref,
          ...(options.exposeUpstream ? { upstream: r.raw } : {}),
        },
      });
    };
    const offContract = (message: string, raw: unknown, intentId?: string) =>
      refused({ ok: false, status: 502, code: 'UPSTREAM_INVALID_RESPONSE', message, raw }, intentId);

    const intent = await client.createIntent(req, { idempotencyKey: intentIdempotencyKey(req.external_ref) });
    if (!intent.ok) return refused(intent);
    // The intent LIQX answered must be this caller's order: never hand one owner's session to another.
    if (intent.data.external_ref !== req.external_ref || (intent.data.owner !== undefined && intent.data.owner !== req.owner)) {
      return offContract('LIQX answered with an intent for another order or owner.', intent.raw);
    }
    const session = await client.createWidgetSession(intent.data.intent_id);
    if (!session.ok) return refused(session, intent.data.intent_id);
    if (session.data.intent_id !== undefined && session.data.intent_id !== intent.data.intent_id) {
      return offContract('LIQX answered with a widget session of another intent.', session.raw, intent.data.intent_id);
    }

    const extra = options.respond
      ? await options.respond({ ctx, body: body.data, request: req, intent: intent.data, session: session.data, raw: { intent: intent.raw, session: session.raw } })
      : {};
    return json(
      {
        intent_id: intent.data.intent_id,
        status: intent.data.status,
        external_ref: intent.data.external_ref,
        external_user_id: intent.data.external_user_id,
        ...extra,
        ...(options.exposeUpstream ? { upstream: { intent: intent.raw, session: session.raw } } : {}),
        widget_session: session.data,
      },
      201,
    );
  };
}
