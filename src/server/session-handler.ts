/**
 * The session endpoint: the partner's page asks its own backend for a widget session; the backend creates the
 * PAYOUT intent at LIQX and exchanges it for a session, which the page hands to <liqx-payout-widget>.
 *
 *   415 not JSON -> 413 declared over the cap -> authorize (its Response as is) -> body read up to the cap (413)
 *   -> 400 INVALID_REQUEST (zod paths) ->
 *   LIQX create intent + widget session -> 201 (Cache-Control: no-store) | LIQX's refusal, typed
 */
import * as z from 'zod';
import { errorResponse, json, zodIssues } from './errors.js';
import { BodyTooLargeError, declaredTooLarge, decodeUtf8, isJsonContentType, payloadTooLarge, readCappedBody, unsupportedMediaType } from './http.js';
import { createLiqxClient, type LiqxClient, type LiqxClientOptions, type LiqxRefusal } from './liqx-client.js';
import { CreateIntentRequest, type Intent, type WidgetSession } from './liqx-contract.js';

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

export interface SessionHandlerOptions<Ctx, Body> {
  /** The LIQX partner API: its base URL and your API key (or a client you built with createLiqxClient). */
  liqx: LiqxClientOptions | LiqxClient;
  /** Resolves the partner's signed-in user from the request, or returns the Response to send (401, 403, ...). */
  authorize: (request: Request) => Ctx | Response | Promise<Ctx | Response>;
  /** Schema of the browser's JSON body; a mismatch is a 400 with its issue paths. Default: any JSON object. */
  body?: z.ZodType<Body>;
  /** Builds the intent request from your user and the body; checked against CreateIntentRequest (400 with paths). */
  intent: (ctx: Ctx, body: Body) => z.input<typeof CreateIntentRequest> | Promise<z.input<typeof CreateIntentRequest>>;
  /** Extra top-level fields of the 201 body (they cannot replace `widget_session`). */
  respond?: (created: SessionCreated<Ctx, Body>) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Body cap, bytes; default {@link DEFAULT_MAX_SESSION_BYTES}. */
  maxBodyBytes?: number;
  /** Put LIQX's raw answers in responses (`upstream`): for diagnostics pages, not production. Default false. */
  exposeUpstream?: boolean;
}

const isClient = (v: LiqxClientOptions | LiqxClient): v is LiqxClient => typeof (v as LiqxClient).createIntent === 'function';

/**
 * Creates the session handler: `(request: Request) => Promise<Response>`.
 *
 * 201 `{ intent_id, status, external_ref, external_user_id, widget_session, ...respond() }`; a LIQX refusal answers
 * LIQX's status with `{ error: { code, message, upstream_status, issues? }, intent_id?, external_ref }`.
 */
export function createSessionHandler<Ctx, Body = Record<string, unknown>>(options: SessionHandlerOptions<Ctx, Body>): (request: Request) => Promise<Response> {
  const client = isClient(options.liqx) ? options.liqx : createLiqxClient(options.liqx);
  const bodySchema = (options.body ?? z.record(z.string(), z.unknown())) as z.ZodType<Body>;
  const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_SESSION_BYTES;

  return async (request) => {
    if (request.method !== 'POST') return errorResponse('METHOD_NOT_ALLOWED', 'POST only.', { headers: { allow: 'POST' } });
    if (!isJsonContentType(request.headers.get('content-type'))) return unsupportedMediaType();
    if (declaredTooLarge(request, maxBytes)) return payloadTooLarge(maxBytes);
    // Who is asking, before reading what they send.
    const ctx = await options.authorize(request);
    if (ctx instanceof Response) return ctx;
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
    const intentRequest = CreateIntentRequest.safeParse(await options.intent(ctx, body.data));
    if (!intentRequest.success) return errorResponse('INVALID_REQUEST', 'The payout request is not valid.', { issues: zodIssues(intentRequest.error) });
    const req = intentRequest.data;

    const refused = (r: LiqxRefusal, intentId?: string) =>
      errorResponse(r.code, r.message, {
        status: r.status,
        upstreamStatus: r.status,
        ...(r.issues ? { issues: r.issues } : {}),
        extra: {
          ...(intentId ?? r.intentId ? { intent_id: intentId ?? r.intentId } : {}),
          external_ref: req.external_ref,
          ...(options.exposeUpstream ? { upstream: r.raw } : {}),
        },
      });

    const intent = await client.createIntent(req);
    if (!intent.ok) return refused(intent);
    const session = await client.createWidgetSession(intent.data.intent_id);
    if (!session.ok) return refused(session, intent.data.intent_id);

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
