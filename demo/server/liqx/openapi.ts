/**
 * The mock LIQX API as an OpenAPI 3.1 document (served at GET /openapi.json), generated with zod 4's
 * `z.toJSONSchema` from the very schemas the server parses requests with (../../contract/liqx.ts, which builds on the
 * package's src/server/liqx-contract.ts). Every example below is parsed with its schema by
 * test/node/demo/sandbox-openapi.test.ts, which also checks that every route the server has is documented here.
 */
import * as z from 'zod';
import { LiqxDeliveryAttempt, LiqxDeliveryLog, LiqxEvent, LiqxEventPage, LiqxEventsQuery, MAX_EVENTS_PAGE } from '../../../src/server/liqx-contract.js';
import { HOSTED_RETURN_PARAMS, HostedLink } from '../../../src/server/liqx-contract.js';
import { CreateIntentRequest, DeclineRequest, Intent, LiqxError, WebhookEvent, WidgetPayout, WidgetSession } from '../../contract/liqx.js';
import { MAX_LIQX_BODY_BYTES } from '../json-body.js';
import { MAX_RETRY_AFTER_MS, RETRY_JITTER, RETRY_SCHEDULE } from './dispatcher.js';

/** One logged delivery attempt (GET /v1/webhook-deliveries, POST /v1/events/{id}/redeliver): the package's contract. */
export const DeliveryAttempt = LiqxDeliveryAttempt;
export const WebhookDeliveries = LiqxDeliveryLog;
/** The package reads an event's payload leniently; what this sandbox sends in it is exactly a WebhookEvent. */
export const Event = LiqxEvent.extend({ payload: WebhookEvent });
export const EventPage = LiqxEventPage.extend({ data: z.array(Event) });

const NOW = '2026-11-29T08:00:00.000Z';
const LATER = '2026-11-29T08:15:00.000Z';

/** Examples, each checked against its schema by the test. */
export const EXAMPLES = {
  CreateIntentRequest: {
    scenario: 'VERIFIED',
    external_ref: 'ord_20261129_0001',
    external_user_id: 'usr_0001',
    legal_name: '홍길동',
    user_email: 'jane@example.com',
    return_url: 'https://partner.example/payouts/ord_20261129_0001',
    amount_krw: '100000',
    amount_usdt: '75.000000',
  },
  Intent: {
    intent_id: 'pi_5f0c2a9e61b34d7a8c1e2f30',
    status: 'reserved',
    phase: 'PAYOUT',
    scenario: 'VERIFIED',
    external_ref: 'ord_20261129_0001',
    external_user_id: 'usr_0001',
    amount_krw: '100000',
    amount_usdt: '75.000000',
    return_url: 'https://partner.example/payouts/ord_20261129_0001',
    created_at: NOW,
    expires_at: LATER,
  },
  WidgetSession: {
    session_id: 'ws_3b1d8f0a2c4e6a8b0d2f4a6c',
    widget_url: 'http://127.0.0.1:4318/widget/ws_3b1d8f0a2c4e6a8b0d2f4a6c',
    session_token: 'lqxwst_M2IxZDhmMGEyYzRlNmE4YjBkMmY0YTZjM2IxZDhmMGE',
    expires_at: LATER,
    intent_id: 'pi_5f0c2a9e61b34d7a8c1e2f30',
  },
  HostedLink: {
    url: 'http://127.0.0.1:4318/hosted/start?code=q9Xv2m7Tn4bE1wRk8sZp0cYd6fHj3gLa',
    expires_at: LATER,
    intent_id: 'pi_5f0c2a9e61b34d7a8c1e2f30',
    session_id: 'ws_3b1d8f0a2c4e6a8b0d2f4a6c',
  },
  WidgetPayout: {
    intent_id: 'pi_5f0c2a9e61b34d7a8c1e2f30',
    session_id: 'ws_3b1d8f0a2c4e6a8b0d2f4a6c',
    status: 'reserved',
    external_ref: 'ord_20261129_0001',
    amount_krw: '100000',
    amount_usdt: '75.000000',
    legal_name: '홍길동',
    bank: { name_ko: '신한은행', name_en: 'Shinhan Bank', masked_account: '••••-••-1234' },
    expires_at: LATER,
    session_expires_at: LATER,
    server_time: NOW,
  },
  DeclineRequest: { reason_code: 'USER_DECLINED', message: 'Not my account.' },
  LiqxError: { error: { code: 'SESSION_EXPIRED', message: 'This widget session has expired; the partner can open a new one.' } },
  InvalidRequest: {
    error: { code: 'INVALID_REQUEST', message: 'The request does not match the contract.', issues: [{ path: 'amount_krw', message: 'A whole KRW amount as a decimal string, e.g. "100000"' }] },
  },
  Unauthorized: { error: { code: 'UNAUTHORIZED', message: 'A valid partner API key is required (Authorization: Bearer).' } },
  IntentNotFound: { error: { code: 'INTENT_NOT_FOUND', message: 'No such PAYOUT intent.' } },
  IntentExpired: { error: { code: 'INTENT_EXPIRED', message: 'The PAYOUT intent has expired.' } },
  InvalidDecline: { error: { code: 'INVALID_REQUEST', message: 'The request does not match the contract.', issues: [{ path: 'reason_code', message: 'Invalid option' }] } },
  InvalidCursor: { error: { code: 'INVALID_CURSOR', message: 'The cursor is not one this API produced.' } },
  PayloadTooLarge: { error: { code: 'PAYLOAD_TOO_LARGE', message: `The body is larger than ${MAX_LIQX_BODY_BYTES} bytes.` } },
  PreflightError: {
    error: { code: 'KYC_NOT_VERIFIED', message: 'The recipient has not completed KYC.' },
    intent_id: 'pi_7a1b2c3d4e5f60718293a4b5',
    external_ref: 'ord_20261129_0002',
  },
  WebhookDeliveries: {
    deliveries: [
      {
        webhook_id: 'msg_0c1d2e3f4a5b6c7d8e9f0a1b',
        event_type: 'transaction.completed',
        intent_id: 'pi_5f0c2a9e61b34d7a8c1e2f30',
        endpoint: 'https://partner.example/api/webhooks/liqx',
        attempt: 1,
        trigger: 'schedule',
        started_at: NOW,
        duration_ms: 41,
        http_status: 503,
        error: null,
        ok: false,
        retry_after_ms: 30_000,
        next_delay_ms: 30_000,
      },
      {
        webhook_id: 'msg_0c1d2e3f4a5b6c7d8e9f0a1b',
        event_type: 'transaction.completed',
        intent_id: 'pi_5f0c2a9e61b34d7a8c1e2f30',
        endpoint: 'https://partner.example/api/webhooks/liqx',
        attempt: 2,
        trigger: 'schedule',
        started_at: '2026-11-29T08:00:30.041Z',
        duration_ms: 12,
        http_status: 200,
        error: null,
        ok: true,
        retry_after_ms: null,
        next_delay_ms: null,
      },
    ],
  },
  Redelivery: {
    webhook_id: 'msg_0c1d2e3f4a5b6c7d8e9f0a1b',
    event_type: 'transaction.completed',
    intent_id: 'pi_5f0c2a9e61b34d7a8c1e2f30',
    endpoint: 'https://partner.example/api/webhooks/liqx',
    attempt: 9,
    trigger: 'redeliver',
    started_at: LATER,
    duration_ms: 15,
    http_status: 200,
    error: null,
    ok: true,
    retry_after_ms: null,
    next_delay_ms: null,
  },
  Event: {
    id: 'msg_0c1d2e3f4a5b6c7d8e9f0a1b',
    type: 'transaction.completed',
    created_at: NOW,
    intent_id: 'pi_5f0c2a9e61b34d7a8c1e2f30',
    payload: {
      type: 'transaction.completed',
      timestamp: NOW,
      data: {
        intent_id: 'pi_5f0c2a9e61b34d7a8c1e2f30',
        external_ref: 'ord_20261129_0001',
        external_user_id: 'usr_0001',
        phase: 'PAYOUT',
        status: 'completed',
        amount_krw: '100000',
        amount_usdt: '75.000000',
        transaction_id: 'tx_9a8b7c6d5e4f3a2b1c0d',
        attempt: 8,
      },
    },
    delivery: { state: 'failed', attempts: 8, last_attempt_at: '2026-11-30T12:10:00.000Z', last_http_status: null },
  },
  EventPage: {
    data: [
      {
        id: 'msg_0c1d2e3f4a5b6c7d8e9f0a1b',
        type: 'transaction.completed',
        created_at: NOW,
        intent_id: 'pi_5f0c2a9e61b34d7a8c1e2f30',
        payload: {
          type: 'transaction.completed',
          timestamp: NOW,
          data: {
            intent_id: 'pi_5f0c2a9e61b34d7a8c1e2f30',
            external_ref: 'ord_20261129_0001',
            external_user_id: 'usr_0001',
            phase: 'PAYOUT',
            status: 'completed',
            amount_krw: '100000',
            amount_usdt: '75.000000',
            transaction_id: 'tx_9a8b7c6d5e4f3a2b1c0d',
            attempt: 8,
          },
        },
        delivery: { state: 'failed', attempts: 8, last_attempt_at: '2026-11-30T12:10:00.000Z', last_http_status: null },
      },
    ],
    next_cursor: 'ZXZ0OjE',
  },
  EventNotFound: { error: { code: 'EVENT_NOT_FOUND', message: 'No such event.' } },
  WebhookEvent: {
    type: 'transaction.completed',
    timestamp: NOW,
    data: {
      intent_id: 'pi_5f0c2a9e61b34d7a8c1e2f30',
      external_ref: 'ord_20261129_0001',
      external_user_id: 'usr_0001',
      phase: 'PAYOUT',
      status: 'completed',
      amount_krw: '100000',
      amount_usdt: '75.000000',
      transaction_id: 'tx_9a8b7c6d5e4f3a2b1c0d',
      attempt: 1,
    },
  },
} as const;

/** Each example's schema (the test parses every example with it). */
/** A full zod or a zod/mini schema (the widget session is the element's own, zod/mini). */
type AnySchema = z.core.$ZodType & { safeParse(value: unknown): { success: true } | { success: false; error: z.core.$ZodError } };
export const EXAMPLE_SCHEMAS: Record<keyof typeof EXAMPLES, AnySchema> = {
  CreateIntentRequest,
  Intent,
  WidgetSession,
  HostedLink,
  WidgetPayout,
  DeclineRequest,
  LiqxError,
  InvalidRequest: LiqxError,
  Unauthorized: LiqxError,
  IntentNotFound: LiqxError,
  IntentExpired: LiqxError,
  InvalidDecline: LiqxError,
  InvalidCursor: LiqxError,
  PayloadTooLarge: LiqxError,
  PreflightError: LiqxError,
  WebhookDeliveries,
  Redelivery: DeliveryAttempt,
  Event,
  EventPage,
  EventNotFound: LiqxError,
  WebhookEvent,
};

const COMPONENTS = {
  CreateIntentRequest,
  Intent,
  WidgetSession,
  HostedLink,
  WidgetPayout,
  DeclineRequest,
  LiqxError,
  WebhookDeliveries,
  DeliveryAttempt,
  Event,
  EventPage,
  WebhookEvent,
} as const;
type Component = keyof typeof COMPONENTS;

/** JSON Schema 2020-12 (OpenAPI 3.1's dialect) of a request body as accepted, or of a response as sent. */
function jsonSchema(name: Component, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _drop, ...schema } = z.toJSONSchema(COMPONENTS[name], { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  return schema;
}

const ref = (name: Component) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: Component, example: keyof typeof EXAMPLES) => ({ 'application/json': { schema: ref(name), example: EXAMPLES[example] } });
const error = (description: string, example: keyof typeof EXAMPLES = 'LiqxError') => ({ description, content: json('LiqxError', example) });

const PARTNER = [{ partnerApiKey: [] }];
const WIDGET = [{ widgetSessionToken: [] }];

/** A refusal's description, and the example it shows when not its status's usual one. */
type Refusal = string | { description: string; example: keyof typeof EXAMPLES };
/**
 * A route's LiqxError answers, from what the route does: 401 for its credential (the partner API key, or the widget
 * session token), 400 and 413 when it reads a JSON body, and the refusals of its own. One wording per code.
 */
function refusals(route: { auth: 'partner' | 'widget'; jsonBody?: boolean; 400?: Refusal; 404?: Refusal; 409?: Refusal; 422?: Refusal }) {
  const usual: Record<'400' | '404' | '409', keyof typeof EXAMPLES> = { '400': 'InvalidRequest', '404': 'IntentNotFound', '409': 'IntentExpired' };
  const response = (status: '400' | '404' | '409' | '422', r: Refusal | undefined) =>
    r === undefined ? {} : { [status]: typeof r === 'string' ? error(r, status === '422' ? 'LiqxError' : usual[status]) : error(r.description, r.example) };
  return {
    ...response('400', route[400] ?? (route.jsonBody ? 'INVALID_REQUEST: the body does not match the schema; error.issues lists each path.' : undefined)),
    '401':
      route.auth === 'partner'
        ? error('UNAUTHORIZED: missing or wrong partner API key.', 'Unauthorized')
        : error('INVALID_SESSION_TOKEN (never issued), SESSION_EXPIRED or SESSION_REVOKED (a newer session was opened, or the payout finished). The body holds the error only, never payout data.'),
    ...response('404', route[404]),
    ...response('409', route[409]),
    ...(route.jsonBody ? { '413': error(`PAYLOAD_TOO_LARGE: the body is over ${MAX_LIQX_BODY_BYTES} bytes (nothing past that is read).`, 'PayloadTooLarge') } : {}),
    ...response('422', route[422]),
  };
}
const intentId = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: EXAMPLES.Intent.intent_id };
const eventId = { name: 'id', in: 'path', required: true, description: 'The event id: the webhook-id header of its deliveries.', schema: { type: 'string' }, example: EXAMPLES.Event.id };
/** A query parameter's schema from the zod query schema the server parses with. */
const queryParam = (name: keyof typeof LiqxEventsQuery.shape, description: string) => {
  const { $schema: _drop, ...schema } = z.toJSONSchema(LiqxEventsQuery.shape[name], { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { name, in: 'query', required: false, description, schema };
};
const hours = (ms: number) => (ms >= 3_600_000 ? `${ms / 3_600_000} h` : ms >= 60_000 ? `${ms / 60_000} min` : `${ms / 1000} s`);
/** The retry schedule in words, from the dispatcher's own constants. */
const RETRIES =
  `Retries: the first attempt is immediate; then ${RETRY_SCHEDULE.map((f) => hours(f * 5000)).join(', ')} ` +
  `(Standard Webhooks' schedule; the sandbox scales it by WEBHOOK_RETRY_BASE_MS / 5000, so WEBHOOK_RETRY_BASE_MS=5000 plays it in real time), ` +
  `each wait ±${RETRY_JITTER * 100} % jitter, up to WEBHOOK_MAX_ATTEMPTS attempts (the last step repeats). ` +
  `A 2xx ends the retries; 410 Gone ends them too (the event stays listed and can be redelivered); ` +
  `on 429 or 503 a Retry-After (seconds or HTTP date, at most ${hours(MAX_RETRY_AFTER_MS)}) makes the next wait at least that long. ` +
  'Every attempt is logged (GET /v1/webhook-deliveries). Missed events can be listed (GET /v1/events) and redelivered.';

/** The document; `serverUrl` is where this sandbox listens. */
export function openApiDocument(serverUrl: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Mock LIQX sandbox API',
      version: '1',
      description:
        'The partner API (server to server, partner API key) and the widget API the LIQX frame page calls (widget session token). ' +
        'Webhooks: one signed POST (Standard Webhooks headers webhook-id, webhook-timestamp, webhook-signature; secret whsec_...) ' +
        'per outcome to WEBHOOK_URL; the body is the WebhookEvent schema. ' +
        RETRIES,
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        partnerApiKey: { type: 'http', scheme: 'bearer', description: 'The partner API key (printed by `npm run sandbox`). Server side only.' },
        widgetSessionToken: { type: 'http', scheme: 'bearer', description: 'A widget session token; the frame receives it over the verified channel, never in a URL.' },
      },
      schemas: {
        CreateIntentRequest: jsonSchema('CreateIntentRequest', 'input'),
        DeclineRequest: jsonSchema('DeclineRequest', 'input'),
        Intent: jsonSchema('Intent', 'output'),
        WidgetSession: jsonSchema('WidgetSession', 'output'),
        HostedLink: jsonSchema('HostedLink', 'output'),
        WidgetPayout: jsonSchema('WidgetPayout', 'output'),
        LiqxError: jsonSchema('LiqxError', 'output'),
        WebhookDeliveries: jsonSchema('WebhookDeliveries', 'output'),
        DeliveryAttempt: jsonSchema('DeliveryAttempt', 'output'),
        Event: jsonSchema('Event', 'output'),
        EventPage: jsonSchema('EventPage', 'output'),
        WebhookEvent: jsonSchema('WebhookEvent', 'output'),
      },
    },
    paths: {
      '/v1/payout-intents': {
        post: {
          operationId: 'createPayoutIntent',
          summary: 'Reserve a PAYOUT intent. The scenario decides what the sandbox plays (VERIFIED, USER_DECLINES, EXPIRES, preflight failures...).',
          security: PARTNER,
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description: 'The same key with the same body answers the first answer again (header idempotent-replayed: true); with another body, 422 IDEMPOTENCY_KEY_REUSED.',
              schema: { type: 'string', minLength: 1, maxLength: 255 },
            },
          ],
          requestBody: { required: true, content: json('CreateIntentRequest', 'CreateIntentRequest') },
          responses: {
            '201': { description: 'Reserved.', content: json('Intent', 'Intent') },
            ...refusals({
              auth: 'partner',
              jsonBody: true,
              400: 'INVALID_REQUEST: the body does not match the schema, or the Idempotency-Key is not 1..255 characters; error.issues lists each path.',
              409: { description: 'MERCHANT_CAPACITY_EXCEEDED (preflight): the intent is created failed and a transaction.failed webhook is sent.', example: 'PreflightError' },
              422: {
                description: 'KYC_NOT_VERIFIED | BANK_ACCOUNT_MISSING | BROKER_POLICY_BLOCKED (preflight): created failed, transaction.failed webhook sent. IDEMPOTENCY_KEY_REUSED: the key was used with another body.',
                example: 'PreflightError',
              },
            }),
          },
        },
      },
      '/v1/payout-intents/{id}': {
        get: {
          operationId: 'getPayoutIntent',
          security: PARTNER,
          parameters: [intentId],
          responses: {
            '200': { description: 'The intent.', content: json('Intent', 'Intent') },
            ...refusals({ auth: 'partner', 404: 'INTENT_NOT_FOUND.' }),
          },
        },
      },
      '/v1/payout-intents/{id}/widget-sessions': {
        post: {
          operationId: 'createWidgetSession',
          summary: 'Exchange a reserved intent for a widget session (hand it to the browser: `el.session = ...`). A newer session revokes the older ones.',
          security: PARTNER,
          parameters: [intentId],
          responses: {
            '201': { description: 'The session; expires_at is never after the intent\'s. A completed or declined intent gets a read-only session (the page shows the outcome; confirm and decline answer 409 INTENT_NOT_PENDING), so a reload after the end shows the result.', content: json('WidgetSession', 'WidgetSession') },
            ...refusals({ auth: 'partner', 404: 'INTENT_NOT_FOUND.', 409: 'INTENT_EXPIRED.' }),
          },
        },
      },
      '/v1/payout-intents/{id}/hosted-links': {
        post: {
          operationId: 'createHostedLink',
          summary: 'Hosted mode: a link that opens the payout page top-level (new tab, WebView). It carries a single-use code (never the session token), valid until expires_at. Opens a new widget session for the intent (older ones are revoked).',
          security: PARTNER,
          parameters: [intentId],
          responses: {
            '201': { description: 'The link.', content: json('HostedLink', 'HostedLink') },
            ...refusals({ auth: 'partner', 404: 'INTENT_NOT_FOUND.', 409: 'INTENT_EXPIRED | INTENT_NOT_RESERVED.' }),
          },
        },
      },
      '/v1/webhook-deliveries': {
        get: {
          operationId: 'listWebhookDeliveries',
          summary: 'The delivery log: every webhook delivery attempt (time, endpoint, HTTP status, duration, error, the wait that followed), oldest first.',
          security: PARTNER,
          parameters: [
            { name: 'intent_id', in: 'query', required: false, schema: { type: 'string' } },
            { name: 'event_id', in: 'query', required: false, description: 'One event\'s attempts.', schema: { type: 'string' } },
            { name: 'endpoint', in: 'query', required: false, description: 'One endpoint\'s attempts (its exact URL).', schema: { type: 'string' } },
          ],
          responses: {
            '200': { description: 'The attempts.', content: json('WebhookDeliveries', 'WebhookDeliveries') },
            ...refusals({ auth: 'partner' }),
          },
        },
      },
      '/v1/events': {
        get: {
          operationId: 'listEvents',
          summary:
            'The webhook events LIQX sent, oldest first, whether or not they were delivered: what a partner whose endpoint was down reads to recover. ' +
            'Each event\'s id is the webhook-id of its deliveries and its payload is their body, so storing it under that id deduplicates against deliveries.',
          security: PARTNER,
          parameters: [
            queryParam('since', 'Events created at or after this time (ISO 8601 with zone).'),
            queryParam('cursor', 'The previous page\'s next_cursor.'),
            queryParam('limit', `Events per page, 1..${MAX_EVENTS_PAGE}.`),
          ],
          responses: {
            '200': { description: 'One page; next_cursor is null when there are no more events now.', content: json('EventPage', 'EventPage') },
            ...refusals({ auth: 'partner', 400: { description: 'INVALID_REQUEST (a bad since or limit) | INVALID_CURSOR.', example: 'InvalidCursor' } }),
          },
        },
      },
      '/v1/events/{id}': {
        get: {
          operationId: 'getEvent',
          security: PARTNER,
          parameters: [eventId],
          responses: {
            '200': { description: 'The event and its delivery state.', content: json('Event', 'Event') },
            ...refusals({ auth: 'partner', 404: { description: 'EVENT_NOT_FOUND.', example: 'EventNotFound' } }),
          },
        },
      },
      '/v1/events/{id}/redeliver': {
        post: {
          operationId: 'redeliverEvent',
          summary:
            'Sends the event to the webhook endpoint once more, now (same webhook-id, so a receiver that already has it answers as for a duplicate). ' +
            'Answers after that one attempt with its log row; a 2xx marks the event delivered and ends its scheduled retries.',
          security: PARTNER,
          parameters: [eventId],
          responses: {
            '200': { description: 'The attempt (ok false when the endpoint refused it or could not be reached).', content: json('DeliveryAttempt', 'Redelivery') },
            ...refusals({ auth: 'partner', 404: { description: 'EVENT_NOT_FOUND.', example: 'EventNotFound' } }),
          },
        },
      },
      '/v1/widget/payout': {
        get: {
          operationId: 'readWidgetPayout',
          summary: 'What the frame shows. Called by the LIQX frame page (same origin), not by the partner.',
          security: WIDGET,
          responses: { '200': { description: 'The payout.', content: json('WidgetPayout', 'WidgetPayout') }, ...refusals({ auth: 'widget' }) },
        },
      },
      '/v1/widget/payout/confirm': {
        post: {
          operationId: 'confirmWidgetPayout',
          security: WIDGET,
          responses: {
            '200': { description: 'Completed (a transaction.completed webhook follows); the session is revoked.', content: json('WidgetPayout', 'WidgetPayout') },
            ...refusals({ auth: 'widget', 409: 'INTENT_EXPIRED | INTENT_NOT_PENDING.' }),
          },
        },
      },
      '/v1/widget/payout/decline': {
        post: {
          operationId: 'declineWidgetPayout',
          security: WIDGET,
          requestBody: { required: true, content: json('DeclineRequest', 'DeclineRequest') },
          responses: {
            '200': { description: 'Failed with the reason (a transaction.failed webhook follows); the session is revoked.', content: json('WidgetPayout', 'WidgetPayout') },
            ...refusals({
              auth: 'widget',
              jsonBody: true,
              400: { description: 'INVALID_REQUEST: the body does not match the schema; error.issues lists each path.', example: 'InvalidDecline' },
              409: 'INTENT_EXPIRED | INTENT_NOT_PENDING.',
            }),
          },
        },
      },
      '/widget/{session_id}': {
        get: {
          operationId: 'widgetFramePage',
          summary: "The widget frame page (widget_url). CSP frame-ancestors lists PARTNER_ORIGINS: a page on any other origin cannot embed it.",
          parameters: [{ name: 'session_id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'HTML.', content: { 'text/html': { schema: { type: 'string' } } } }, '404': { description: 'Unknown session (the page still renders, and reports the error).' } },
        },
      },
      '/gallery/frame': {
        get: {
          operationId: 'galleryFramePage',
          summary: "Sandbox only: the payout page with a fixed payout and a frozen clock, put into one screen for the widget gallery (no session, no intent). Framed by PARTNER_ORIGINS like the widget page.",
          parameters: [{ name: 'screen', in: 'query', required: false, schema: { type: 'string' } }],
          responses: { '200': { description: 'HTML.', content: { 'text/html': { schema: { type: 'string' } } } }, '503': { description: 'The demo pages are not built.' } },
        },
      },
      '/hosted/start': {
        get: {
          operationId: 'hostedStart',
          summary: 'Where a hosted link points: exchanges its single-use code for an HttpOnly cookie scoped to the hosted page, then 303 to /hosted/{session_id} (the code never stays in history).',
          parameters: [{ name: 'code', in: 'query', required: true, schema: { type: 'string' } }],
          responses: { '303': { description: 'To the hosted payout page.' }, '410': { description: 'The code is unknown, used or expired.', content: { 'text/html': { schema: { type: 'string' } } } } },
        },
      },
      '/hosted/{session_id}': {
        get: {
          operationId: 'hostedPage',
          summary: 'The payout page, top-level (frame-ancestors none). Reports each event once to a native bridge when present (ReactNativeWebView, webkit.messageHandlers.liqx, liqxAndroid).',
          parameters: [{ name: 'session_id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'HTML.', content: { 'text/html': { schema: { type: 'string' } } } }, '401': { description: 'This browser did not open the link.', content: { 'text/html': { schema: { type: 'string' } } } } },
        },
      },
      '/hosted/{session_id}/return': {
        get: {
          operationId: 'hostedReturn',
          summary: `Once the payout has ended: 303 to the intent's return_url with ${HOSTED_RETURN_PARAMS.result} (base64url JSON: intent_id, outcome completed | rejected | expired, ...) and ${HOSTED_RETURN_PARAMS.signature} (v1,<HMAC-SHA256> with the webhook secret; verifyHostedReturn in liqx-payout-widget/server). The webhook stays the proof.`,
          parameters: [{ name: 'session_id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '303': { description: 'To return_url with the signed result.' }, '401': { description: 'This browser did not open the link.', content: { 'text/html': { schema: { type: 'string' } } } }, '409': { description: 'The payout is still open.', content: { 'text/html': { schema: { type: 'string' } } } } },
        },
      },
      '/': {
        get: { operationId: 'index', summary: 'Where things are.', responses: { '200': { description: 'A small JSON index.' } } },
      },
      '/openapi.json': {
        get: { operationId: 'openApiDocument', summary: 'This document.', responses: { '200': { description: 'OpenAPI 3.1.', content: { 'application/json': {} } } } },
      },
    },
    webhooks: {
      payoutOutcome: {
        post: {
          summary: 'Sent to WEBHOOK_URL once per outcome (transaction.completed | transaction.failed | transaction.expired). Verify with liqx-payout-widget/webhooks.',
          requestBody: { content: json('WebhookEvent', 'WebhookEvent') },
          responses: {
            '2XX': { description: 'Received: no more attempts.' },
            '410': { description: 'Gone: no more scheduled attempts for this event.' },
            '429': { description: 'Retried; a Retry-After header sets the least wait.' },
            '503': { description: 'Retried; a Retry-After header sets the least wait.' },
            default: { description: 'Retried on the schedule (see the description above).' },
          },
        },
      },
    },
  };
}
