/**
 * The mock LIQX's recovery API (partner API key, like every partner route): the events it sent, one redelivery on
 * request, and the delivery log. Wire shapes: the package's contract (src/server/liqx-contract.ts), read by
 * `LiqxClient` and `reconcile` of liqx-payout-widget/server.
 *
 *   GET  /v1/events?since=&cursor=&limit=       -> 200 LiqxEventPage, oldest first | 400 INVALID_REQUEST | INVALID_CURSOR
 *   GET  /v1/events/:id                         -> 200 LiqxEvent | 404 EVENT_NOT_FOUND
 *   POST /v1/events/:id/redeliver               -> 200 LiqxDeliveryAttempt (one attempt, sent now) | 404 EVENT_NOT_FOUND
 *   GET  /v1/webhook-deliveries?intent_id=&event_id=&endpoint=
 *                                               -> 200 LiqxDeliveryLog: every attempt, oldest first
 *
 * An event's id is the webhook-id of its deliveries, and its payload is the body they carry, so a receipt built
 * from the list is the very receipt a delivery would have stored, under the same key.
 */
import type { Hono, MiddlewareHandler } from 'hono';
import { LiqxEventsQuery, type LiqxDeliveryLog, type LiqxEventPage } from '../../../src/server/liqx-contract.js';
import { zodIssues } from '../../contract/liqx.js';
import { invalidRequest } from '../json-body.js';
import type { WebhookDispatcher } from './dispatcher.js';

// The cursor is the last sequence number of a page, opaque to clients.
const encodeCursor = (seq: number) => Buffer.from(`evt:${seq}`).toString('base64url');
function decodeCursor(text: string): number | null {
  const m = /^evt:(\d{1,15})$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : null;
}

export function registerEventRoutes(partner: Hono, deps: { dispatcher: WebhookDispatcher; apiKey: MiddlewareHandler }): void {
  const { dispatcher, apiKey } = deps;
  const notFound = { error: { code: 'EVENT_NOT_FOUND', message: 'No such event.' } };

  partner.get('/events', apiKey, (c) => {
    const query = LiqxEventsQuery.safeParse(c.req.query());
    if (!query.success) return invalidRequest(c, zodIssues(query.error), 'The query does not match the contract.');
    const afterSeq = query.data.cursor === undefined ? 0 : decodeCursor(query.data.cursor);
    if (afterSeq === null) return c.json({ error: { code: 'INVALID_CURSOR', message: 'The cursor is not one this API produced.' } }, 400);
    const { events, more } = dispatcher.listEvents({ since: query.data.since, afterSeq, limit: query.data.limit });
    const last = events.at(-1);
    const page: LiqxEventPage = { data: events.map(({ seq: _seq, ...event }) => event), next_cursor: more && last ? encodeCursor(last.seq) : null };
    return c.json(page);
  });

  partner.get('/events/:id', apiKey, (c) => {
    const event = dispatcher.getEvent(c.req.param('id'));
    return event ? c.json(event) : c.json(notFound, 404);
  });

  partner.post('/events/:id/redeliver', apiKey, async (c) => {
    const attempt = await dispatcher.redeliver(c.req.param('id'));
    return attempt ? c.json(attempt) : c.json(notFound, 404);
  });

  partner.get('/webhook-deliveries', apiKey, (c) => {
    const { intent_id, event_id, endpoint } = c.req.query();
    const log: LiqxDeliveryLog = {
      deliveries: dispatcher.deliveries.filter(
        (d) => (!intent_id || d.intent_id === intent_id) && (!event_id || d.webhook_id === event_id) && (!endpoint || d.endpoint === endpoint),
      ),
    };
    return c.json(log);
  });
}
